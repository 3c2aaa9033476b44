"""Papan."""
