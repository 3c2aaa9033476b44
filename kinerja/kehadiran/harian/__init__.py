"""The pegawai's days, their absence and correction requests, and the atasan's and admin's boards."""
