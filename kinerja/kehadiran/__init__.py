"""Kehadiran and TPP: the working calendar, attendance taps, absences and corrections, and the month's
Tambahan Penghasilan Pegawai computed from them (docs/rules.md §27–§28)."""
