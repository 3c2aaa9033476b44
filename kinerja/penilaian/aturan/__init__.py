"""Aturan."""
