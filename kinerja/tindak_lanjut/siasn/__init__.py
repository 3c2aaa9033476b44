"""Siasn."""
