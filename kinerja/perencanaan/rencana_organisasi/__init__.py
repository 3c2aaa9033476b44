"""Rencana organisasi."""
