"""Taps in: attendance machines and their PINs, attlog and spreadsheet imports, the push API's writes."""
