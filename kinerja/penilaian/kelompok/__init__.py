"""Kelompok."""
