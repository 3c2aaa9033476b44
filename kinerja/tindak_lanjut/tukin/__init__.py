"""Tukin."""
