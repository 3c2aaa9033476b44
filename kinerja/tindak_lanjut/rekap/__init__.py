"""Rekap."""
