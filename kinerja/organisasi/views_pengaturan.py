"""Pengaturan instansi: the admin kepegawaian changes the identity and CONFIG settings of their instansi
and sees who changed which setting, when, from what to what."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kinerja.common.forms import apply_errors
from kinerja.common.riwayat import Perubahan, nama_pelaku
from kinerja.organisasi import services
from kinerja.organisasi.forms import PengaturanInstansiForm, persen
from kinerja.organisasi.models import Instansi, User
from kinerja.permissions import admin_instansi
from kinerja.rules.rating import AmbangCapaianOrganisasi, AmbangRating
from kinerja.rules.types import CapaianOrganisasi, Predikat

RIWAYAT_MAKS = 50


@dataclass
class EntriRiwayat:
    tanggal: Any
    oleh: str
    dibuat: bool = False  # the row that recorded the instansi itself
    perubahan: list[Perubahan] = field(default_factory=list)


def _persen_teks(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + "%"


def _tampil_json(name: str, value: Any) -> str | None:
    """The JSON settings in words; None when ``value`` is not in the form the setting stores."""
    try:
        if name == "ambang_capaian_organisasi":
            ambang = AmbangCapaianOrganisasi.from_dict(value)
            return ", ".join(
                f"{c.label} ≥ {_persen_teks(ambang.batas(c))}" for c in list(CapaianOrganisasi)[:-1]
            )
        if name == "ambang_rating":
            rating = AmbangRating.from_dict(value)
            return (
                f"sebagian besar: lebih dari {_persen_teks(persen(rating.sebagian_besar))}; "
                f"sebagian kecil: paling banyak {_persen_teks(persen(rating.sebagian_kecil))}"
            )
        if name == "pemetaan_rating_pimpinan":
            pemetaan = services.read_pemetaan_pimpinan(value)
            return ", ".join(f"{c.label} → {r.label}" for c, r in pemetaan.items())
    except (ValueError, TypeError):
        return None
    return None


#: What an empty JSON setting means.
KOSONG = {
    "ambang_capaian_organisasi": "(kosong: tanpa saran)",
    "ambang_rating": "(bawaan: lebih dari 50%; paling banyak sepertiga)",
    "pemetaan_rating_pimpinan": "(bawaan: Istimewa → Diatas, Baik → Sesuai, lainnya → Dibawah Ekspektasi)",
    "predikat_tinjauan_sanksi": "(bawaan: Kurang/Misconduct, Sangat Kurang)",
}


def _tampil(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value in (None, "", {}):
        return KOSONG.get(name, "(kosong)")
    if isinstance(value, dict):
        teks = _tampil_json(name, value)
        return teks if teks is not None else str(value)
    if isinstance(value, list):  # predikat_tinjauan_sanksi
        label = dict(Predikat.choices())
        return ", ".join(str(label.get(v, v)) for v in value)
    pilihan = dict(Instansi._meta.get_field(name).flatchoices)
    if value in pilihan:
        return str(pilihan[value])
    satuan = PengaturanInstansiForm.SATUAN.get(name)
    return f"{value} {satuan}" if satuan else str(value)


def riwayat_pengaturan(instansi: Instansi, maks: int = RIWAYAT_MAKS) -> tuple[list[EntriRiwayat], bool]:
    """The newest `maks` history rows of the instansi as changes of its settings, newest first, and
    whether older rows exist. Two queries however long the history: the rows (one more than shown, to
    diff the oldest shown against its predecessor) and their users in one batch."""
    names = services.PENGATURAN_INSTANSI
    labels = {n: PengaturanInstansiForm.base_fields[n].label for n in names}
    rows = list(
        instansi.history.order_by("-history_date", "-history_id").only(
            "history_id", "history_date", "history_type", "history_user_id", *names
        )[: maks + 1]
    )
    lebih = len(rows) > maks
    user_ids = {r.history_user_id for r in rows[:maks] if r.history_user_id}
    users = User.objects.select_related("pegawai").in_bulk(user_ids) if user_ids else {}
    entri = []
    for i, row in enumerate(rows[:maks]):
        sebelumnya = rows[i + 1] if i + 1 < len(rows) else None
        item = EntriRiwayat(
            tanggal=row.history_date,
            oleh=nama_pelaku(users.get(row.history_user_id), "sistem (impor/data awal)"),
        )
        if row.history_type == "+":
            item.dibuat = True
        elif sebelumnya is None:
            continue  # the oldest row is a change whose starting values were never recorded
        else:
            item.perubahan = [
                Perubahan(labels[n], _tampil(n, getattr(sebelumnya, n)), _tampil(n, getattr(row, n)))
                for n in names
                if getattr(sebelumnya, n) != getattr(row, n)
            ]
            if not item.perubahan:
                continue  # a save that touched none of these settings
        entri.append(item)
    return entri, lebih


@login_required
def pengaturan(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    nama_instansi = instansi.nama  # the form writes its input onto the instance while validating
    form = PengaturanInstansiForm(request.POST or None, request.FILES or None, instance=instansi)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pengaturan_instansi(
                instansi, request.user, **{n: form.cleaned_data[n] for n in services.PENGATURAN_INSTANSI}
            )
        except ValidationError as exc:
            apply_errors(form, exc, tandai=False)
        else:
            messages.success(request, "Pengaturan instansi disimpan.")
            return redirect("organisasi:pengaturan")
    riwayat, riwayat_lebih = riwayat_pengaturan(instansi)
    return render(
        request,
        "organisasi/pengaturan.html",
        {
            "nav": "organisasi",
            "nama_instansi": nama_instansi,
            "form": form,
            "riwayat": riwayat,
            "riwayat_lebih": riwayat_lebih,
            "riwayat_maks": RIWAYAT_MAKS,
        },
    )
