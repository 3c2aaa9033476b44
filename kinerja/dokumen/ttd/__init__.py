"""Certified electronic signatures (PAdES) inside the issued documents (docs/rules.md §29)."""
