"""The keberatan decision as an issued, signable document (docs/rules.md §29.7)."""
