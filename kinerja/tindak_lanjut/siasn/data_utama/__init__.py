"""What SIASN holds for each pegawai (data-utama) and the mismatch report against Kinerja (docs/rules.md
§21.10–21.11)."""
