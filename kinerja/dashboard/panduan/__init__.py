"""The user guide (/panduan/), the page-to-guide map behind every page's Bantuan link and the first-run
checklist of a new instansi (docs/rules.md §36)."""
