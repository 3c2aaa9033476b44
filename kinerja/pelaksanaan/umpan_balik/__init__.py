"""Umpan balik."""
