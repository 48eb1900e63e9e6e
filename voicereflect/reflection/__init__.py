"""Reflection: prompt packs, the pure dialogue engine, answer parsing and safety."""
