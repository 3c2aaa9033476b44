"""Plumbing shared by several apps (no models): safe spreadsheets in and out, archive bounds."""
