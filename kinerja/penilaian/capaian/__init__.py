"""Capaian."""
