"""Catatan."""
