"""Notifikasi."""
