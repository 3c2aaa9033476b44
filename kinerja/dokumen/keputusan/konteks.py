"""The decision document's template context, from its content data only (what the hash covers)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kinerja.common.pdf import qr_data_uri
from kinerja.common.tampil import nip_tampil
from kinerja.common.tanggal import tanggal_panjang
from kinerja.dokumen.konteks import kop
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.rules.keberatan import Status
from kinerja.rules.types import Predikat, Rating

RATING = dict(Rating.choices())
PREDIKAT = dict(Predikat.choices())


def _tanggal(iso: str | None) -> str:
    return tanggal_panjang(datetime.datetime.fromisoformat(iso)) if iso else ""


def _orang(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "nip_tampil": nip_tampil(data["nip"]) if data.get("nip") else ""}


def _nilai(data: dict[str, str]) -> dict[str, str]:
    return {
        "rating_hasil": RATING.get(data.get("rating_hasil", ""), "-"),
        "rating_perilaku": RATING.get(data.get("rating_perilaku", ""), "-"),
        "predikat": PREDIKAT.get(data.get("predikat", ""), "-"),
    }


def konteks_keputusan(isi: Isi, dok: Dokumen, url_verifikasi: str) -> dict[str, Any]:
    data = isi.data
    dikabulkan = data["keputusan"] == Status.DIKABULKAN.value
    return {
        "judul_dokumen": "Keputusan atas Keberatan Predikat Kinerja Pegawai",
        "kop": kop(dok.instansi),  # a decision of a pejabat carries the instansi's letterhead (§31)
        "data": data,
        "dokumen": dok,
        "url_verifikasi": url_verifikasi,
        "qr": qr_data_uri(url_verifikasi),
        "dicetak": tanggal_panjang(timezone.now()),
        "pegawai": _orang(data["pegawai"]),
        "penilai": _orang(data["penilai"]) if data["penilai"] else {},
        "pemutus": _orang(data["pemutus"]) if data["pemutus"] else {},
        "awal": _nilai(data["awal"]),
        "baru": _nilai(data["baru"]) if dikabulkan else {},
        "dikabulkan": dikabulkan,
        "diajukan": _tanggal(data["diajukan_pada"]),
        "dijelaskan": _tanggal(data["dijelaskan_pada"]),
        "tanggal": _tanggal(data["diputus_pada"]),
        # The footer of dokumen/_cetak.html: the decision is final, never a draft.
        "disetujui": True,
        "status_label": "Final",
        "tanggal_setuju": _tanggal(data["diputus_pada"]),
    }
