"""Bukti."""
