"""Evaluasi."""
