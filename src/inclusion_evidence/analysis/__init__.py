"""Computation per chapter: tables and summary numbers, never drawing."""
