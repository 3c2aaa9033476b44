"""Dialog kinerja pages: my dialogs, the dialogs of one SKP with the record form, follow-ups,
and the recorder's edit and delete pages.

Seeing an SKP's dialogs needs `perencanaan.view_skp`; recording one is for the SKP's penilai or atasan
penilai only (permission ``pelaksanaan.record_dialog``); changing or deleting one for the one who recorded it
(`services_dialog.boleh_ubah`); a follow-up is marked done by its responsible person.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kinerja.common.forms import apply_errors
from kinerja.common.pengguna import pegawai_sendiri
from kinerja.pelaksanaan.dialog import selectors as selectors_dialog
from kinerja.pelaksanaan.dialog import services as services_dialog
from kinerja.pelaksanaan.models import DialogKinerja, TindakLanjutDialog
from kinerja.pelaksanaan.views import _skp
from kinerja.perencanaan.models import Skp
from kinerja.permissions import allowed, is_pemilik
from kinerja.permissions.pelaksanaan import is_pencatat_dialog
from kinerja.rules.realisasi import format_tanggal

T = "pelaksanaan/dialog/"
BARIS_TINDAK_LANJUT = 3  # empty follow-up rows of the record form
BARIS_BARU = 2  # empty rows added to the open follow-ups on the edit form
BARIS_MAKS = 20


class DialogForm(forms.Form):
    tanggal = forms.DateField(
        label="Tanggal dialog",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    topik = forms.CharField(
        label="Topik yang dibahas", widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    kesepakatan = forms.CharField(
        label="Kesepakatan", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class TindakLanjutForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    hapus = forms.BooleanField(
        label="Hapus", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    teks = forms.CharField(
        label="Tindak lanjut", required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    penanggung_jawab = forms.TypedChoiceField(
        label="Penanggung jawab",
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    batas_waktu = forms.DateField(
        label="Batas waktu",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, pilihan: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["penanggung_jawab"].choices = pilihan

    @property
    def dipakai(self) -> bool:
        """Whether the row is kept: it has text and is not ticked for removal (after validation)."""
        data = getattr(self, "cleaned_data", {})
        return bool((data.get("teks") or "").strip()) and not data.get("hapus")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("teks") or "").strip() and not data.get("hapus"):
            if not data.get("batas_waktu"):
                self.add_error("batas_waktu", "Isi batas waktu.")
            if not data.get("penanggung_jawab"):
                self.add_error("penanggung_jawab", "Pilih penanggung jawab.")
        return data

    def masukan(self) -> services_dialog.TindakLanjutInput:
        d = self.cleaned_data
        return services_dialog.TindakLanjutInput(
            d["teks"], d["penanggung_jawab"], d["batas_waktu"], d.get("pk") or None
        )


def _pilihan(request: HttpRequest, skp: Skp) -> list[tuple[int, str]]:
    saya = request.user.pegawai
    return [(skp.pegawai_id, f"Pegawai: {skp.pegawai_nama}"), (saya.pk, f"Saya: {saya.nama_lengkap}")]


def _tindak_forms(
    request: HttpRequest, skp: Skp, data: Any, terbuka: list[TindakLanjutDialog], kosong: int
) -> list[TindakLanjutForm]:
    """One form per open follow-up (prefilled) and ``kosong`` empty rows; a posted form keeps the row
    count it was shown with (``jumlah_baris``) even when a follow-up was closed in the meantime."""
    n = len(terbuka) + kosong
    if data is not None and str(data.get("jumlah_baris", "")).isdigit():
        n = max(n, min(int(data["jumlah_baris"]), BARIS_MAKS))
    pilihan = _pilihan(request, skp)
    hasil = []
    for i in range(n):
        initial: dict[str, Any] = {"penanggung_jawab": skp.pegawai_id}
        if i < len(terbuka):
            t = terbuka[i]
            initial = {
                "pk": t.pk,
                "teks": t.teks,
                "penanggung_jawab": t.penanggung_jawab_id,
                "batas_waktu": t.batas_waktu,
            }
        hasil.append(TindakLanjutForm(data, pilihan=pilihan, prefix=f"tl{i}", initial=initial))
    return hasil


def _valid(form: DialogForm, tindak: list[TindakLanjutForm]) -> bool:
    return form.is_valid() & all([f.is_valid() for f in tindak])


def _isian(form: DialogForm, tindak: list[TindakLanjutForm]) -> dict[str, Any]:
    """What the record and the change form hand to the service: the dialog and its follow-ups in use."""
    return {
        "tanggal": form.cleaned_data["tanggal"],
        "topik": form.cleaned_data["topik"],
        "kesepakatan": form.cleaned_data["kesepakatan"],
        "tindak_lanjut": [f.masukan() for f in tindak if f.dipakai],
    }


def _simpan(
    request: HttpRequest,
    form: DialogForm,
    tindak: list[TindakLanjutForm],
    simpan: Callable[..., DialogKinerja],
    pesan: str,
) -> bool:
    """Record or change the dialog of valid forms through ``simpan``; False (errors shown on the form)
    when a form is invalid or the service refuses."""
    if not _valid(form, tindak):
        return False
    try:
        simpan(**_isian(form, tindak))
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    messages.success(request, pesan)
    return True


@login_required
def daftar(request: HttpRequest) -> HttpResponse:
    """My dialogs: as the pegawai and as penilai, and the SKP I may record a dialog for."""
    pegawai = pegawai_sendiri(request.user, "Halaman ini untuk pegawai.")
    return render(
        request,
        T + "daftar.html",
        {
            "nav": "dialog",
            "sebagai_pegawai": selectors_dialog.dialog_sebagai_pegawai(pegawai),
            "sebagai_penilai": selectors_dialog.dialog_sebagai_penilai(pegawai),
            "skp_bawahan": selectors_dialog.skp_dapat_dicatat(pegawai),
            "hari_ini": timezone.localdate(),
        },
    )


@login_required
def skp(request: HttpRequest, skp_id: int) -> HttpResponse:
    """The dialogs of one SKP (owner, penilai chain, admin); the penilai records a new one here."""
    obj = _skp(request, skp_id)
    boleh = allowed(request.user, "pelaksanaan.record_dialog", obj)
    if request.method == "POST" and not boleh:
        raise PermissionDenied(
            "Hanya pejabat penilai atau atasan pejabat penilai SKP ini yang mencatat dialog."
        )
    form = tindak = None
    if boleh:
        data = request.POST if request.method == "POST" else None
        form = DialogForm(data, initial={"tanggal": timezone.localdate()})
        tindak = _tindak_forms(request, obj, data, [], BARIS_TINDAK_LANJUT)
        if data is not None and _simpan(
            request,
            form,
            tindak,
            partial(services_dialog.record_dialog, obj, request.user),
            f"Dialog kinerja dengan {obj.pegawai_nama} tercatat.",
        ):
            return redirect("pelaksanaan:dialog_skp", skp_id=obj.pk)
    pemilik = bool(is_pemilik(request.user, obj))
    return render(
        request,
        T + "skp.html",
        {
            "nav": "dialog" if request.user.pegawai_id else "skp",
            "skp": obj,
            "dialog_list": selectors_dialog.dialog_skp(obj),
            "boleh_catat": boleh,
            "pemilik": pemilik,
            "form": form,
            "tindak": tindak,
            "hari_ini": timezone.localdate(),
        },
    )


def _dialog(request: HttpRequest, pk: int) -> tuple[DialogKinerja, Skp]:
    """The dialog if the user may change it: 404 unknown, 403 when they may not see its SKP or did not
    record it."""
    dialog = get_object_or_404(
        DialogKinerja.objects.select_related("dicatat_oleh__pegawai").prefetch_related(
            selectors_dialog.prefetch_tindak_lanjut()
        ),
        pk=pk,
    )
    obj = _skp(request, dialog.skp_id)
    if not is_pencatat_dialog(request.user, dialog):
        raise PermissionDenied(
            "Hanya pejabat yang mencatat dialog ini yang dapat mengubah atau menghapusnya."
        )
    dialog.skp = obj
    return dialog, obj


@login_required
def ubah(request: HttpRequest, pk: int) -> HttpResponse:
    """The recorder changes a dialog: the record form prefilled, with its open follow-ups editable."""
    dialog, obj = _dialog(request, pk)
    semua = list(dialog.tindak_lanjut.all())
    terbuka = [t for t in semua if t.selesai_pada is None]
    data = request.POST if request.method == "POST" else None
    form = DialogForm(
        data,
        initial={"tanggal": dialog.tanggal, "topik": dialog.topik, "kesepakatan": dialog.kesepakatan},
    )
    tindak = _tindak_forms(request, obj, data, terbuka, BARIS_BARU)
    if data is not None and _simpan(
        request,
        form,
        tindak,
        partial(services_dialog.update_dialog, dialog, request.user),
        f"Dialog kinerja dengan {obj.pegawai_nama} diubah.",
    ):
        return redirect(reverse("pelaksanaan:dialog_skp", args=[obj.pk]) + f"#dialog-{dialog.pk}")
    return render(
        request,
        T + "ubah.html",
        {
            "nav": "dialog",
            "skp": obj,
            "dialog": dialog,
            "form": form,
            "tindak": tindak,
            "selesai_list": [t for t in semua if t.selesai_pada is not None],
        },
    )


@login_required
def hapus(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask for confirmation. POST: the recorder deletes the dialog with its follow-ups."""
    dialog, obj = _dialog(request, pk)
    if request.method == "POST":
        services_dialog.delete_dialog(dialog, request.user)
        messages.success(
            request,
            f"Dialog kinerja tanggal {format_tanggal(dialog.tanggal)} dengan {obj.pegawai_nama} dihapus.",
        )
        return redirect("pelaksanaan:dialog_skp", skp_id=obj.pk)
    return render(
        request,
        T + "hapus.html",
        {"nav": "dialog", "skp": obj, "d": dialog, "hari_ini": timezone.localdate()},
    )


@login_required
@require_POST
def selesai(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a follow-up done (``selesai=1``) or reopen it (``selesai=0``): its responsible person only."""
    tindak = get_object_or_404(TindakLanjutDialog.objects.select_related("dialog"), pk=pk)
    _skp(request, tindak.dialog.skp_id)
    try:
        services_dialog.mark_selesai(tindak, request.user, selesai=request.POST.get("selesai") != "0")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "Tindak lanjut ditandai selesai." if tindak.selesai_pada else "Tindak lanjut dibuka kembali.",
        )
    lanjut = request.POST.get("next") or ""
    if lanjut and url_has_allowed_host_and_scheme(lanjut, {request.get_host()}, request.is_secure()):
        return redirect(lanjut)
    return redirect(reverse("pelaksanaan:dialog_skp", args=[tindak.dialog.skp_id]) + f"#tl-{tindak.pk}")
