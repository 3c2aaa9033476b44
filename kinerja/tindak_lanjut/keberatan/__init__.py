"""Keberatan."""
