"""The Textual app: the only place textual is imported."""
