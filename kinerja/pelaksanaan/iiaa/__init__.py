"""Iiaa."""
