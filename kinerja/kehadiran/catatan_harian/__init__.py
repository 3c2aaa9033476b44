"""Catatan kegiatan day by day, who has not logged, and the reminders (docs/rules.md §34)."""
