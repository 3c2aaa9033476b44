"""Dialog."""
