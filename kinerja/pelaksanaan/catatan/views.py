"""Catatan kegiatan pages: the pegawai's week with a quick-add form (htmx), editing and
deleting own entries, the read-only week of a bawahan's SKP, and the evidence file behind a permission check.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.common.berkas import JENIS_BERKAS
from kinerja.common.forms import apply_errors, dari_antrean, jawaban_antrean
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.pelaksanaan import services
from kinerja.pelaksanaan.catatan import selectors as sel
from kinerja.pelaksanaan.catatan import services as svc
from kinerja.pelaksanaan.models import CatatanKegiatan
from kinerja.pelaksanaan.views import _skp
from kinerja.permissions import allowed, is_penilai_of_skp

T = "pelaksanaan/catatan/"


class CatatanForm(BootstrapMixin, forms.Form):
    tanggal = forms.DateField(
        label="Tanggal",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Isi tanggal kegiatan.", "invalid": "Tanggal tidak valid."},
    )
    jam_mulai = forms.TimeField(
        label="Mulai",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Jam tidak valid (jj:mm)."},
    )
    jam_selesai = forms.TimeField(
        label="Selesai",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Jam tidak valid (jj:mm)."},
    )
    # Time spent as "1 jam 30 menit" (docs/rules.md §34): computed from the hours when both are given.
    durasi_jam = forms.IntegerField(
        label="Lama (jam)",
        required=False,
        min_value=0,
        max_value=24,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "0"}),
        error_messages={
            "invalid": "Isi jam dengan bilangan bulat.",
            "min_value": "Jam tidak boleh negatif.",
            "max_value": "Lama kegiatan paling lama 24 jam.",
        },
    )
    durasi_menit = forms.IntegerField(
        label="Lama (menit)",
        required=False,
        min_value=0,
        max_value=59,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "0"}),
        error_messages={
            "invalid": "Isi menit dengan bilangan bulat.",
            "min_value": "Menit diisi 0 sampai 59.",
            "max_value": "Menit diisi 0 sampai 59.",
        },
    )
    # The offline queue's key (docs/rules.md §34): a resent form does not add the catatan twice.
    kunci_klien = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kegiatan = forms.CharField(
        label="Kegiatan",
        max_length=svc.PANJANG_KEGIATAN,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Apa yang Anda kerjakan?"}),
        error_messages={"required": "Tuliskan kegiatan yang dilakukan."},
    )
    jumlah_output = forms.CharField(
        label="Output",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "0"}),
    )
    satuan_output = forms.CharField(
        label="Satuan",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "mis. dokumen"}),
    )
    untuk = forms.ChoiceField(label="Untuk", required=False)
    tautan = forms.CharField(
        label="Tautan bukti",
        required=False,
        max_length=1000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    berkas = forms.FileField(label="Berkas bukti", required=False)
    hapus_berkas = forms.BooleanField(label="Hapus berkas yang ada", required=False)

    def __init__(self, *args: Any, pilihan: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["untuk"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— tanpa rencana aksi —"), *pilihan]

    def clean_jumlah_output(self) -> Any:
        try:
            return services.parse_angka(self.cleaned_data.get("jumlah_output"))
        except ValidationError:
            raise ValidationError("Isi jumlah output dengan angka, mis. 3 atau 2,5.") from None

    def data_catatan(self) -> svc.DataCatatan:
        d = self.cleaned_data
        untuk = d.get("untuk") or ""
        jenis, _, ident = untuk.partition(":")
        return svc.DataCatatan(
            tanggal=d.get("tanggal"),
            kegiatan=d.get("kegiatan", ""),
            jam_mulai=d.get("jam_mulai"),
            jam_selesai=d.get("jam_selesai"),
            jumlah_output=d.get("jumlah_output"),
            satuan_output=d.get("satuan_output", ""),
            rencana_aksi_id=int(ident) if jenis == "ra" and ident.isdigit() else None,
            indikator_id=int(ident) if jenis == "ind" and ident.isdigit() else None,
            tautan=d.get("tautan", ""),
            durasi_jam=d.get("durasi_jam"),
            durasi_menit=d.get("durasi_menit"),
            kunci_klien=d.get("kunci_klien"),
        )

    def berkas_unggah(self) -> svc.BerkasUnggah | None:
        f = self.cleaned_data.get("berkas")
        return svc.BerkasUnggah(f, f.name, f.size) if f else None


def _pegawai_id(request: HttpRequest) -> int:
    if not request.user.pegawai_id:
        raise PermissionDenied("Catatan kegiatan diisi oleh pegawai yang memiliki SKP.")
    return int(request.user.pegawai_id)


def _pilihan(pegawai_id: int, senin: datetime.date) -> list[Any]:
    return sel.pilihan_untuk(pegawai_id, senin, senin + datetime.timedelta(days=6))


def _form_baru(pegawai_id: int, senin: datetime.date) -> CatatanForm:
    hari_ini = timezone.localdate()
    tanggal = hari_ini if senin <= hari_ini <= senin + datetime.timedelta(days=6) else senin
    return CatatanForm(
        pilihan=_pilihan(pegawai_id, senin),
        initial={"tanggal": tanggal, "untuk": sel.pilihan_terakhir(pegawai_id)},
    )


def _konteks(request: HttpRequest, pegawai_id: int, senin: datetime.date, **extra: Any) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "nav": "catatan",
        "m": sel.minggu(pegawai_id, senin),
        "pemilik": True,
        "url_minggu": reverse("pelaksanaan:catatan"),
        "form": _form_baru(pegawai_id, senin),
        "batas_mb": _batas_mb(request),
    }
    ctx.update(extra)
    return ctx


def _batas_mb(request: HttpRequest) -> int:
    pegawai = request.user.pegawai if request.user.pegawai_id else None
    return pegawai.instansi.batas_ukuran_bukti_mb if pegawai else 10


def _simpan(
    request: HttpRequest, form: CatatanForm, catatan: CatatanKegiatan | None
) -> CatatanKegiatan | None:
    if not form.is_valid():
        return None
    try:
        return svc.save_catatan(
            request.user,
            form.data_catatan(),
            catatan=catatan,
            berkas=form.berkas_unggah(),
            hapus_berkas=bool(form.cleaned_data.get("hapus_berkas")),
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            exc = ValidationError(
                {("untuk" if k in ("rencana_aksi", "indikator") else k): v for k, v in exc.error_dict.items()}
            )
        apply_errors(form, exc)
        return None


@login_required
def minggu(request: HttpRequest) -> HttpResponse:
    """GET: the pegawai's week (``?minggu=YYYY-Www``). POST: add a catatan (htmx re-renders form + week)."""
    pegawai_id = _pegawai_id(request)
    senin = sel.senin_dari(request.GET.get("minggu") or request.POST.get("minggu"))
    if request.method == "POST":
        form = CatatanForm(request.POST, request.FILES, pilihan=_pilihan(pegawai_id, senin))
        catatan = _simpan(request, form, None)
        if dari_antrean(request):
            return jawaban_antrean(form, id=catatan.pk if catatan else None)
        if catatan is not None:
            senin_baru = _senin(catatan.tanggal)
            if not request.htmx or senin_baru != senin:
                messages.success(request, "Catatan kegiatan tersimpan.")
                return _ke_minggu(request, senin_baru)
            return render(request, T + "_isi.html", _konteks(request, pegawai_id, senin, baru=catatan.pk))
        ctx = _konteks(request, pegawai_id, senin, form=form, buka_form=True)
        return render(request, T + ("_isi.html" if request.htmx else "minggu.html"), ctx)
    return render(request, T + "minggu.html", _konteks(request, pegawai_id, senin))


def _ke_minggu(request: HttpRequest, senin: datetime.date) -> HttpResponse:
    url = f"{reverse('pelaksanaan:catatan')}?minggu={sel.kode_minggu(senin)}"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _catatan(request: HttpRequest, pk: int) -> CatatanKegiatan:
    catatan = get_object_or_404(
        CatatanKegiatan.objects.select_related("skp__periode", "skp__instansi"), pk=pk
    )
    if not request.user.has_perm("perencanaan.view_skp", catatan.skp):
        raise PermissionDenied("Anda tidak berhak melihat catatan kegiatan ini.")
    return catatan


def _senin(tanggal: datetime.date) -> datetime.date:
    return tanggal - datetime.timedelta(days=tanggal.weekday())


@login_required
def ubah(request: HttpRequest, pk: int) -> HttpResponse:
    catatan = _catatan(request, pk)
    if not allowed(request.user, "pelaksanaan.change_catatan", catatan):
        raise PermissionDenied("Hanya pemilik catatan kegiatan yang dapat mengubahnya.")
    senin = _senin(catatan.tanggal)
    pilihan = _pilihan(catatan.pegawai_id, senin)
    if request.method == "POST":
        form = CatatanForm(request.POST, request.FILES, pilihan=pilihan)
        if _simpan(request, form, catatan) is not None:
            messages.success(request, "Catatan kegiatan diubah.")
            return _ke_minggu(request, _senin(catatan.tanggal))
    else:
        untuk = f"ra:{catatan.rencana_aksi_id}" if catatan.rencana_aksi_id else ""
        if not untuk and catatan.indikator_id:
            untuk = f"ind:{catatan.indikator_id}"
        form = CatatanForm(
            pilihan=pilihan,
            initial={
                "tanggal": catatan.tanggal,
                "jam_mulai": catatan.jam_mulai,
                "jam_selesai": catatan.jam_selesai,
                "kegiatan": catatan.kegiatan,
                "jumlah_output": sel.angka_tampil(catatan.jumlah_output),
                "satuan_output": catatan.satuan_output,
                "untuk": untuk,
                "tautan": catatan.tautan,
                "durasi_jam": catatan.durasi_menit // 60 if catatan.durasi_menit else None,
                "durasi_menit": catatan.durasi_menit % 60 if catatan.durasi_menit else None,
            },
        )
    return render(
        request,
        T + "ubah.html",
        {
            "nav": "catatan",
            "catatan": catatan,
            "form": form,
            "minggu_kode": sel.kode_minggu(senin),
            "batas_mb": catatan.skp.instansi.batas_ukuran_bukti_mb,
        },
    )


@login_required
@require_POST
def hapus(request: HttpRequest, pk: int) -> HttpResponse:
    catatan = _catatan(request, pk)
    senin = _senin(catatan.tanggal)
    try:
        svc.delete_catatan(catatan, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Catatan kegiatan dihapus.")
    return _ke_minggu(request, senin)


@login_required
def skp(request: HttpRequest, skp_id: int) -> HttpResponse:
    """The catatan of one SKP's pegawai, week by week, read-only (penilai chain, admin, owner)."""
    obj = _skp(request, skp_id, "catatan kegiatan")
    hari_ini = timezone.localdate()
    bawaan = min(max(hari_ini, obj.mulai), obj.selesai)
    senin = sel.senin_dari(request.GET.get("minggu"), bawaan)
    penilai = is_penilai_of_skp(request.user, obj)
    return render(
        request,
        T + "minggu.html",
        {
            "nav": "persetujuan" if penilai else "skp",
            "m": sel.minggu(obj.pegawai_id, senin, skp=obj),
            "skp": obj,
            "pemilik": False,
            "url_minggu": reverse("pelaksanaan:catatan_skp", args=[obj.pk]),
        },
    )


@login_required
def berkas(request: HttpRequest, pk: int) -> HttpResponse:
    """The catatan's evidence file, after the permission check (PDF/images inline with ``?lihat=1``)."""
    catatan = _catatan(request, pk)
    if not catatan.berkas:
        raise Http404("Catatan ini tidak memiliki berkas.")
    try:
        f = catatan.berkas.open("rb")
    except FileNotFoundError:
        raise Http404("Berkas tidak ditemukan di penyimpanan.") from None
    ext = catatan.nama_berkas.rpartition(".")[2].lower()
    tipe = JENIS_BERKAS[ext][1] if ext in JENIS_BERKAS else "application/octet-stream"
    inline = request.GET.get("lihat") == "1" and tipe in ("application/pdf", "image/png", "image/jpeg")
    response = FileResponse(f, as_attachment=not inline, filename=catatan.nama_berkas, content_type=tipe)
    response["X-Content-Type-Options"] = "nosniff"
    if tipe != "application/pdf":
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    response["Cache-Control"] = "private, no-store"
    return response
