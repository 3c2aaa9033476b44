"""Units and pegawai read from SIASN and applied to the organisation (docs/rules.md §21.12)."""
