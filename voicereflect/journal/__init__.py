"""The private journal: SQLite/SQLCipher storage, search, export and encryption."""
