"""SIASN export for an instansi without API access: the rows of the file (``rows.py``), the export page
(``views.py``), the upload of pegawai ids from a file (``impor_id.py``, ``selectors.py``, ``services.py``,
``views_id.py``). The read-API tokens (``services_token.py``, pages in ``views.py``) live here too: they
serve the same record to a system that reads it instead of a file (docs/rules.md §21)."""
