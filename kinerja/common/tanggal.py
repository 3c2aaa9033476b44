"""Dates as the instansi sees them (docs/rules.md §22): one helper for the local date of a moment and one
for the Indonesian long form ("31 Januari 2026") used in messages, pages and documents.

Instansi have no time zone of their own: every local date is in ``settings.TIME_ZONE`` (Asia/Jakarta). A
finalisation at 00:30 WIB on 10 January is 10 January, although it is still 9 January in UTC. API, JSON
and xlsx date cells keep ISO dates (of the local date).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinerja.rules.realisasi import format_tanggal


def tanggal_lokal(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    """The local date of ``value``: an aware datetime in the instansi's time zone, a naive one as it is
    (already local), a date unchanged."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def tanggal_panjang(value: datetime.date | datetime.datetime | None) -> str:
    """``31 Januari 2026`` (empty for None), of the local date."""
    tanggal = tanggal_lokal(value)
    return format_tanggal(tanggal) if tanggal is not None else ""


def waktu_singkat(value: datetime.datetime) -> str:
    """``12 Juli 2026 10.05`` of the local time, as a template's ``|date:"j F Y H.i"`` writes it (for
    pages that write many rows in Python, where the date filter costs ~20 µs a call)."""
    lokal = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_tanggal(lokal.date())} {lokal:%H.%M}"


def tanggal_acuan(teks: str | None, contoh: str, hari_ini: datetime.date) -> datetime.date:
    """A command's ``--tanggal YYYY-MM-DD`` (another day to pretend today is), `hari_ini` without it."""
    from django.core.management.base import CommandError

    if not teks:
        return hari_ini
    try:
        return datetime.date.fromisoformat(teks)
    except ValueError:
        raise CommandError(f"Format --tanggal: YYYY-MM-DD, mis. {contoh}.") from None
