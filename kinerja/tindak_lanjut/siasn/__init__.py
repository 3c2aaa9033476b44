"""SIASN, the national civil-service system: what every part shares (the client ``klien.py``, the request
bodies ``permintaan.py``, the plan of a record ``selectors.py``, ``urls.py``) and the sub-rooms ``ekspor/``
(file export, id upload, read-API tokens), ``kirim/`` (sends and the sync page), ``data_utama/`` (what SIASN
holds per pegawai, the mismatch report) and ``organisasi/`` (units and pegawai from SIASN)."""
