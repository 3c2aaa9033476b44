"""Keamanan."""
