"""Laporan."""
