"""Impor."""
