"""Shared pytest configuration; paths live in tests/helpers.py."""
