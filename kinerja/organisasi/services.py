"""Every write to the organisation: one function per use case, atomic; the calling view checks permission.

History (django-simple-history) records who changed what; `_changed` keeps a save that changes
nothing from writing a history row, so re-importing the same data leaves no trace.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from kinerja.common.tanggal import tanggal_panjang
from kinerja.common.token import cari as cari_token
from kinerja.common.token import record_pemakaian, token_baru
from kinerja.organisasi.models import (
    ApiToken,
    Instansi,
    Jabatan,
    Pegawai,
    Penempatan,
    Periode,
    PeriodePenilaian,
    UnitKerja,
    User,
)
from kinerja.permissions import require
from kinerja.permissions.organisasi import is_token_owner
from kinerja.rules import JenisPenempatan, jadwal
from kinerja.rules.jabatan import banyak_pemangku
from kinerja.rules.jadwal import Skema, batas_evaluasi_tahunan, batas_skp, periode_penilaian
from kinerja.rules.kuadran import PIMPINAN_DEFAULT
from kinerja.rules.rating import AMBANG_DEFAULT, AmbangCapaianOrganisasi, AmbangRating
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating


def _changed(obj: Any, fields: dict[str, Any]) -> bool:
    """Set `fields` on `obj`; True when any value differs (foreign keys compared by id)."""
    changed = False
    for name, value in fields.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            current = getattr(obj, field.attname)
            new = value.pk if value is not None else None
        else:
            current, new = getattr(obj, name), value
        if current != new:
            setattr(obj, name, value)
            changed = True
    return changed


def _save_changed(obj: Any, fields: dict[str, Any], validate: Callable[[Any], None] | None = None) -> bool:
    """Set `fields` on `obj`; validate and save it when anything changed or it is new. True when saved."""
    is_new = obj.pk is None
    if _changed(obj, fields) or is_new:
        if validate is not None:
            validate(obj)
        obj.full_clean()
        obj.save()
        return True
    return False


def _check_parent(obj: Any, parent: Any, instansi_id: int, beda_instansi: str) -> None:
    """A parent from the same instansi, and one root per instansi."""
    if parent is not None and parent.instansi_id != instansi_id:
        raise ValidationError({"parent": beda_instansi})
    _check_one_root(obj, parent, instansi_id)


def _refresh_subtree_paths(node: UnitKerja | Jabatan) -> None:
    """Recompute `path`/`depth` of a node and everything below it (after a move or on create)."""
    old_path = node.path
    new_path = node.computed_path()
    depth = new_path.count("/") - 2
    if old_path == new_path and node.depth == depth:
        return
    model = type(node)
    model.objects.filter(pk=node.pk).update(path=new_path, depth=depth)
    node.path, node.depth = new_path, depth
    if old_path:
        for child in model.objects.filter(path__startswith=old_path).exclude(pk=node.pk).order_by("depth"):
            child_path = new_path + child.path[len(old_path) :]
            model.objects.filter(pk=child.pk).update(path=child_path, depth=child_path.count("/") - 2)


def _check_no_cycle(node: UnitKerja | Jabatan, parent: UnitKerja | Jabatan | None, what: str) -> None:
    if parent is None or node.pk is None:
        return
    if parent.pk == node.pk or (node.path and parent.path.startswith(node.path)):
        raise ValidationError({"parent": f"{what} tidak boleh berada di bawah dirinya sendiri."})


def _check_one_root(node: UnitKerja | Jabatan, parent: UnitKerja | Jabatan | None, instansi_id: int) -> None:
    """An instansi has one unit tertinggi and one jabatan tertinggi (docs/rules.md §26)."""
    if parent is not None:
        return
    model = type(node)
    other = model.objects.filter(instansi_id=instansi_id, parent__isnull=True).exclude(pk=node.pk).first()
    if other is None:
        return
    if isinstance(node, UnitKerja):
        message = (
            f"Instansi ini sudah memiliki unit tertinggi ({other.kode} {other.nama}); pilih unit induk. "
            "Setiap instansi hanya memiliki satu unit tertinggi — untuk instansi lain, buat instansi baru."
        )
    else:
        message = (
            f"Instansi ini sudah memiliki jabatan tertinggi ({other.kode} {other.nama}); pilih jabatan "
            "atasan. Setiap instansi hanya memiliki satu jabatan tertinggi — untuk instansi lain, buat "
            "instansi baru."
        )
    raise ValidationError({"parent": message})


def _definitif_bersamaan(jabatan: Jabatan) -> bool:
    """True when two definitif placements of this jabatan overlap in time (it has many holders at once)."""
    rows = sorted(
        Penempatan.objects.filter(jabatan=jabatan, jenis=JenisPenempatan.DEFINITIF.value).values_list(
            "mulai", "selesai"
        )
    )
    latest_end: datetime.date | None = None
    open_ended = False
    for index, (mulai, selesai) in enumerate(rows):
        if index and (open_ended or (latest_end is not None and latest_end >= mulai)):
            return True
        if selesai is None:
            open_ended = True
        elif latest_end is None or selesai > latest_end:
            latest_end = selesai
    return False


def satu_pemangku(jabatan: Jabatan) -> bool:
    """A jabatan with one definitif holder at a time: a leadership jabatan, or any jabatan that is the
    atasan of another (its holder is a penilai, so the holder must be unambiguous; docs/rules.md §8.1)."""
    if not banyak_pemangku(jabatan.jenis):
        return True
    return jabatan.pk is not None and Jabatan.objects.filter(parent_id=jabatan.pk).exists()


@transaction.atomic
def save_unit_kerja(unit: UnitKerja, **fields: Any) -> UnitKerja:
    parent = fields.get("parent", unit.parent if unit.parent_id else None)
    _check_no_cycle(unit, parent, "Unit kerja")
    instansi = fields.get("instansi") or unit.instansi
    _check_parent(unit, parent, instansi.pk, "Unit induk harus dari instansi yang sama.")
    _save_changed(unit, fields)
    _refresh_subtree_paths(unit)
    return unit


@transaction.atomic
def save_jabatan(jabatan: Jabatan, **fields: Any) -> Jabatan:
    parent = fields.get("parent", jabatan.parent if jabatan.parent_id else None)
    _check_no_cycle(jabatan, parent, "Jabatan")
    unit = fields.get("unit") or jabatan.unit
    _check_parent(jabatan, parent, unit.instansi_id, "Jabatan atasan harus dari instansi yang sama.")
    jenis = fields.get("jenis", jabatan.jenis)
    if jenis != "fungsional":
        fields["jenjang"] = ""
    if not banyak_pemangku(jenis):
        fields["formasi"] = None  # a leadership jabatan has one holder; a formasi means nothing there
        if jabatan.pk is not None and _definitif_bersamaan(jabatan):
            raise ValidationError(
                {
                    "jenis": "Jabatan ini dipegang beberapa pegawai definitif sekaligus; jabatan pimpinan "
                    "hanya boleh satu pemangku. Akhiri penempatan lainnya dulu."
                }
            )
    if parent is not None and banyak_pemangku(parent.jenis) and _definitif_bersamaan(parent):
        raise ValidationError(
            {
                "parent": f"Jabatan atasan {parent.nama} dipegang beberapa pegawai sekaligus, sehingga "
                "pejabat penilainya tidak jelas; pilih jabatan yang dipegang satu pegawai."
            }
        )
    _save_changed(jabatan, fields)
    _refresh_subtree_paths(jabatan)
    return jabatan


@transaction.atomic
def save_pegawai(pegawai: Pegawai, **fields: Any) -> Pegawai:
    """Create or update a pegawai; every pegawai gets a login whose username is the NIP.

    A new login has no usable password until the admin sets one (`set_password_pegawai`).
    """
    if _save_changed(pegawai, fields):
        _sync_login(pegawai)
    return pegawai


def _sync_login(pegawai: Pegawai) -> None:
    user = User.objects.filter(pegawai=pegawai).first()
    if user is None:
        if User.objects.filter(username=pegawai.nip).exists():
            raise ValidationError({"nip": "Sudah ada akun dengan nama pengguna sama dengan NIP ini."})
        user = User(username=pegawai.nip, pegawai=pegawai)
        user.set_unusable_password()
    user.username = pegawai.nip
    user.first_name = pegawai.nama[:150]
    user.email = pegawai.email
    user.is_active = pegawai.aktif
    user.save()


@transaction.atomic
def set_password_pegawai(pegawai: Pegawai, password: str) -> None:
    """The admin kepegawaian sets (or resets) a pegawai's password; validated by Django's validators."""
    from django.contrib.auth.password_validation import validate_password

    user = User.objects.filter(pegawai=pegawai).first()
    if user is None:
        _sync_login(pegawai)
        user = User.objects.get(pegawai=pegawai)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def _overlaps(qs: Any, mulai: datetime.date, selesai: datetime.date | None) -> Any:
    qs = qs.filter(Q(selesai__isnull=True) | Q(selesai__gte=mulai))
    if selesai is not None:
        qs = qs.filter(mulai__lte=selesai)
    return qs


def validate_penempatan(penempatan: Penempatan) -> None:
    """A pegawai holds one definitif jabatan at a time; a leadership jabatan (or one that is the atasan of
    another) has one definitif holder at a time, a jabatan fungsional/pelaksana may have many."""
    errors: dict[str, str] = {}
    if penempatan.selesai and penempatan.selesai < penempatan.mulai:
        errors["selesai"] = "Tanggal selesai tidak boleh sebelum TMT mulai."
    elif penempatan.jabatan.instansi_id != penempatan.pegawai.instansi_id:
        errors["jabatan"] = "Jabatan harus dari instansi pegawai."
    elif penempatan.jenis == JenisPenempatan.DEFINITIF.value:
        others = Penempatan.objects.filter(jenis=JenisPenempatan.DEFINITIF.value).exclude(pk=penempatan.pk)
        clash = _overlaps(
            others.filter(pegawai=penempatan.pegawai), penempatan.mulai, penempatan.selesai
        ).first()
        if clash:
            errors["mulai"] = (
                f"Pegawai sudah memegang jabatan definitif {clash.jabatan.nama} mulai "
                f"{tanggal_panjang(clash.mulai)}; akhiri penempatan itu dulu."
            )
        taken = None
        if satu_pemangku(penempatan.jabatan):
            taken = _overlaps(
                others.filter(jabatan=penempatan.jabatan), penempatan.mulai, penempatan.selesai
            ).first()
        if taken and not errors:
            errors["jabatan"] = (
                f"Jabatan ini sudah dipegang secara definitif oleh {taken.pegawai.nama_lengkap} "
                f"mulai {tanggal_panjang(taken.mulai)}."
            )
    else:
        same = _overlaps(
            Penempatan.objects.filter(pegawai=penempatan.pegawai, jabatan=penempatan.jabatan).exclude(
                pk=penempatan.pk
            ),
            penempatan.mulai,
            penempatan.selesai,
        )
        if same.exists():
            errors["jabatan"] = "Pegawai sudah ditempatkan pada jabatan ini dalam rentang tanggal tersebut."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_penempatan(penempatan: Penempatan, **fields: Any) -> Penempatan:
    _save_changed(penempatan, fields, validate_penempatan)
    return penempatan


@transaction.atomic
def create_periode(instansi: Instansi, tahun: int, skema: Skema) -> Periode:
    """A year with its scheme; every deadline prefilled from the defaults (editable afterwards)."""
    if Periode.objects.filter(instansi=instansi, tahun=tahun).exists():
        raise ValidationError({"tahun": f"Periode tahun {tahun} sudah ada."})
    periode = Periode(
        instansi=instansi,
        tahun=tahun,
        skema=skema.value,
        batas_skp=batas_skp(tahun),
        batas_evaluasi_tahunan=batas_evaluasi_tahunan(tahun),
    )
    periode.full_clean()
    periode.save()
    for definisi in periode_penilaian(tahun, skema):
        PeriodePenilaian.objects.create(
            periode=periode,
            nomor=definisi.nomor,
            nama=definisi.nama,
            mulai=definisi.mulai,
            selesai=definisi.selesai,
            batas_realisasi=definisi.batas_realisasi,
            batas_evaluasi=definisi.batas_evaluasi,
        )
    return periode


@transaction.atomic
def update_periode_deadlines(
    periode: Periode,
    batas_skp: datetime.date,
    batas_evaluasi_tahunan: datetime.date,
    per_periode: dict[int, tuple[datetime.date, datetime.date]],
) -> Periode:
    """Edit the deadlines of a year, all or nothing, each change recorded in the history.

    `per_periode` maps PeriodePenilaian.pk → (batas_realisasi, batas_evaluasi); a periode left out keeps
    its deadlines. The year is checked as a whole (`jadwal.check_jadwal`, docs/rules.md §7); a refused
    periode deadline is reported under ``realisasi_<pk>`` / ``evaluasi_<pk>``, the Periode page's fields.
    """
    semua = list(periode.periode_penilaian.all())
    usulan = {pp.pk: per_periode.get(pp.pk, (pp.batas_realisasi, pp.batas_evaluasi)) for pp in semua}
    galat = jadwal.check_jadwal(
        periode.tahun,
        batas_skp,
        batas_evaluasi_tahunan,
        [jadwal.BatasPeriode(pp.nomor, pp.nama, pp.selesai, *usulan[pp.pk]) for pp in semua],
    )
    if galat:
        pk_of = {pp.nomor: pp.pk for pp in semua}
        errors: dict[str, list[str]] = {}
        for g in galat:
            key = g.bidang if g.nomor is None else f"{g.bidang.removeprefix('batas_')}_{pk_of[g.nomor]}"
            errors.setdefault(key, []).append(g.pesan)
        raise ValidationError(errors)
    if _changed(periode, {"batas_skp": batas_skp, "batas_evaluasi_tahunan": batas_evaluasi_tahunan}):
        periode.save()
    for pp in semua:
        realisasi, evaluasi = usulan[pp.pk]
        if _changed(pp, {"batas_realisasi": realisasi, "batas_evaluasi": evaluasi}):
            pp.save()
    return periode


# --- a new instansi --------------------------------------------------------------------------------


@transaction.atomic
def create_instansi(
    oleh: User | None,
    *,
    kode: str,
    nama: str,
    singkatan: str = "",
    kota: str = "",
    admin_username: str = "",
    admin_password: str = "",
    admin_email: str = "",
) -> tuple[Instansi, User | None]:
    """Create an instansi, and optionally its first admin kepegawaian login (docs/rules.md §26).

    ``oleh`` is the superuser on the page, or None for the installer's command line. Every setting starts
    at its bawaan value; the organisation is then imported into the new instansi. Nothing is saved when
    any part is refused.
    """
    if oleh is not None:
        require(oleh, "organisasi.create_instansi", pesan="Hanya superuser yang dapat membuat instansi baru.")
    kode, nama = kode.strip(), nama.strip()
    errors: dict[str, str] = {}
    if not kode:
        errors["kode"] = "Kode instansi wajib diisi."
    elif Instansi.objects.filter(kode__iexact=kode).exists():
        errors["kode"] = f"Kode instansi {kode} sudah dipakai instansi lain."
    if not nama:
        errors["nama"] = "Nama instansi wajib diisi."
    admin: User | None = None
    if admin_username:
        admin_username = admin_username.strip()
        if User.objects.filter(username__iexact=admin_username).exists():
            errors["admin_username"] = f"Nama pengguna {admin_username} sudah dipakai akun lain."
        elif not admin_password:
            errors["admin_password"] = "Isi kata sandi awal admin kepegawaian."
    if errors:
        raise ValidationError(errors)
    instansi = Instansi(kode=kode, nama=nama, singkatan=singkatan.strip(), kota=kota.strip())
    instansi.full_clean()
    if oleh is not None:
        instansi._history_user = oleh  # type: ignore[attr-defined]
    instansi.save()
    if admin_username:
        from django.contrib.auth.password_validation import validate_password

        admin = User(username=admin_username, email=admin_email.strip(), admin_instansi=instansi)
        try:
            validate_password(admin_password, admin)
        except ValidationError as exc:
            raise ValidationError({"admin_password": exc.messages}) from None
        admin.set_password(admin_password)
        admin.full_clean(exclude=["password"])
        admin.save()
    return instansi, admin


# --- pengaturan instansi (CONFIG) ---------------------------------------------------------------------

# The per-instansi settings the admin kepegawaian changes on the "Pengaturan instansi" page, and the ranges
# of the numeric ones (inclusive).
PENGATURAN_INSTANSI = (
    "nama",
    "singkatan",
    "alamat",
    "kota",
    "skp_kuantitatif_semua",
    "skp_kuantitatif_struktural",
    "batas_ukuran_bukti_mb",
    "lama_buka_kunci_hari",
    "konsolidasi_rentang",
    "pengingat_catatan",
    "distribusi_mode",
    "kelompok_distribusi",
    "minimal_kelompok_distribusi",
    "ambang_capaian_organisasi",
    "ambang_rating",
    "pemetaan_rating_pimpinan",
    "keberatan_hari_pengajuan",
    "keberatan_hari_penjelasan",
    "keberatan_hari_keputusan",
    "keberatan_periodik",
    "predikat_tinjauan_sanksi",
    "bulan_sebagian_angka_kredit",
    "wajib_2fa_admin",
    "wajib_2fa_penilai",
    # The kop of the documents (docs/rules.md §31).
    "nama_induk",
    "telepon",
    "surel",
    "laman",
    "logo",
    "lambang_garuda",
)
GAMBAR_KOP = ("logo", "lambang_garuda")
#: A kop image: PNG or JPEG (what the PDF renderer is allowed to read), at most 1 MB and 4000 px a side.
KOP_MAKS_BYTE = 1024 * 1024
KOP_MAKS_PIKSEL = 4000
RENTANG_BUKTI_MB = (1, 50)
RENTANG_BUKA_KUNCI_HARI = (1, 60)
RENTANG_MINIMAL_KELOMPOK = (1, 50)
RENTANG_KEBERATAN_HARI = (1, 90)
KEBERATAN_HARI = ("keberatan_hari_pengajuan", "keberatan_hari_penjelasan", "keberatan_hari_keputusan")


def read_predikat_sanksi(data: Any) -> frozenset[Predikat]:
    """The predikat for the sanksi review list as stored (a list of `Predikat` values), checked: at least
    one, all known. ``ValueError`` with an Indonesian message."""
    if not isinstance(data, list | tuple | set | frozenset):
        raise ValueError("Predikat untuk tinjauan sanksi harus berupa daftar predikat.")
    nilai = {p.value for p in Predikat}
    asing = sorted(str(v) for v in data if v not in nilai)
    if asing:
        raise ValueError(f"Predikat tidak dikenal: {', '.join(asing)}.")
    if not data:
        raise ValueError("Pilih paling sedikit satu predikat untuk tinjauan sanksi.")
    return frozenset(Predikat(v) for v in data)


def predikat_sanksi_instansi(instansi: Instansi) -> frozenset[Predikat]:
    """The instansi's predikat that count as "not meeting the kinerja target" (CONFIG; empty: the default
    `kinerja.rules.tindak_lanjut.PREDIKAT_SANKSI_DEFAULT`)."""
    from kinerja.rules.tindak_lanjut import PREDIKAT_SANKSI_DEFAULT

    if not instansi.predikat_tinjauan_sanksi:
        return PREDIKAT_SANKSI_DEFAULT
    return read_predikat_sanksi(instansi.predikat_tinjauan_sanksi)


def read_pemetaan_pimpinan(data: Any) -> dict[CapaianOrganisasi, Rating]:
    """The head-of-unit mapping as stored (``{"istimewa": "diatas", ...}``, all five capaian), checked:
    a better capaian organisasi never gives a lower rating. ``ValueError`` with an Indonesian message."""
    if not isinstance(data, dict):
        raise ValueError("Rating hasil kerja pimpinan unit harus berupa pemetaan capaian → rating.")
    nilai_capaian = {c.value for c in CapaianOrganisasi}
    asing = sorted(str(k) for k in data if k not in nilai_capaian)
    if asing:
        raise ValueError(f"Capaian kinerja organisasi tidak dikenal: {', '.join(asing)}.")
    kurang = [c.label for c in CapaianOrganisasi if data.get(c.value) in (None, "")]
    if kurang:
        raise ValueError(f"Pilih rating hasil kerja untuk capaian {', '.join(kurang)}.")
    hasil: dict[CapaianOrganisasi, Rating] = {}
    for c in CapaianOrganisasi:
        try:
            hasil[c] = Rating(data[c.value])
        except ValueError:
            raise ValueError(f"Rating untuk capaian {c.label} tidak dikenal: {data[c.value]!r}.") from None
    urutan = list(Rating)  # best first, like CapaianOrganisasi
    tingkat = list(CapaianOrganisasi)
    for atas, bawah in zip(tingkat, tingkat[1:], strict=False):
        if urutan.index(hasil[atas]) > urutan.index(hasil[bawah]):
            raise ValueError(
                f"Capaian {atas.label} tidak boleh mendapat rating lebih rendah dari capaian {bawah.label} "
                f"({hasil[atas].label} < {hasil[bawah].label})."
            )
    return hasil


def ambang_rating_instansi(instansi: Instansi) -> AmbangRating:
    """The instansi's "sebagian besar" / "sebagian kecil" for the suggested ratings (CONFIG; empty: the
    defaults of `kinerja.rules.rating.AMBANG_DEFAULT`)."""
    if not instansi.ambang_rating:
        return AMBANG_DEFAULT
    return AmbangRating.from_dict(instansi.ambang_rating)


def pemetaan_pimpinan_instansi(instansi: Instansi) -> dict[CapaianOrganisasi, Rating] | None:
    """The instansi's capaian organisasi → rating hasil kerja of a unit head (CONFIG; ``None``: the default
    `kinerja.rules.kuadran.PIMPINAN_DEFAULT`)."""
    if not instansi.pemetaan_rating_pimpinan:
        return None
    return read_pemetaan_pimpinan(instansi.pemetaan_rating_pimpinan)


def _periksa_rentang(
    errors: dict[str, str], fields: dict[str, Any], name: str, rentang: tuple[int, int]
) -> None:
    if name not in fields:
        return
    bawah, atas = rentang
    value = fields[name]
    label = Instansi._meta.get_field(name).verbose_name
    if not isinstance(value, int) or isinstance(value, bool) or not bawah <= value <= atas:
        errors[name] = f"{label.capitalize()} harus bilangan bulat dari {bawah} sampai {atas}."


def periksa_gambar_kop(berkas: Any, label: str) -> str:
    """The file extension of an uploaded kop image, after checking it really is a PNG or JPEG of at most
    1 MB (opened with Pillow, never trusting its name or content type); ValidationError otherwise."""
    from PIL import Image, UnidentifiedImageError

    if berkas.size > KOP_MAKS_BYTE:
        raise ValidationError(f"{label} paling besar 1 MB; berkas ini {berkas.size // 1024} KB.")
    try:
        berkas.seek(0)
        with Image.open(berkas) as gambar:
            format_, (lebar, tinggi) = gambar.format, gambar.size
            gambar.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(f"{label} bukan gambar PNG atau JPEG yang dapat dibaca.") from exc
    finally:
        berkas.seek(0)
    if format_ not in ("PNG", "JPEG"):
        raise ValidationError(f"{label} harus berupa gambar PNG atau JPEG (berkas ini {format_}).")
    if max(lebar, tinggi) > KOP_MAKS_PIKSEL:
        raise ValidationError(f"{label} paling besar {KOP_MAKS_PIKSEL} × {KOP_MAKS_PIKSEL} piksel.")
    return "png" if format_ == "PNG" else "jpg"


def _gambar_kop(errors: dict[str, str], fields: dict[str, Any]) -> None:
    """The kop images: a new upload is checked and renamed by its real format, False clears, anything
    else (the stored file) leaves it as it is."""
    for name in GAMBAR_KOP:
        if name not in fields:
            continue
        value = fields[name]
        if value is False:
            fields[name] = ""
        elif isinstance(value, UploadedFile):
            label = str(Instansi._meta.get_field(name).verbose_name).capitalize()
            try:
                value.name = f"{name}.{periksa_gambar_kop(value, label)}"
            except ValidationError as exc:
                errors[name] = exc.messages[0]
        else:
            del fields[name]


@transaction.atomic
def update_pengaturan_instansi(instansi: Instansi, oleh: User, **fields: Any) -> Instansi:
    """The admin kepegawaian changes identity fields and CONFIG settings of their instansi (audited).

    Settings take effect from the next use: a new SKP takes its model from the setting when it is created,
    an upload is checked against the size limit when it arrives, an unlock gets its length when it is opened.
    A save that changes nothing writes no history row.
    """
    if not oleh.has_perm("organisasi.manage_instansi", instansi):
        raise PermissionDenied("Hanya admin kepegawaian instansi ini yang dapat mengubah pengaturannya.")
    unknown = set(fields) - set(PENGATURAN_INSTANSI)
    if unknown:
        raise TypeError(f"Bukan pengaturan instansi: {', '.join(sorted(unknown))}")
    errors: dict[str, str] = {}
    _periksa_rentang(errors, fields, "batas_ukuran_bukti_mb", RENTANG_BUKTI_MB)
    _periksa_rentang(errors, fields, "lama_buka_kunci_hari", RENTANG_BUKA_KUNCI_HARI)
    _periksa_rentang(errors, fields, "minimal_kelompok_distribusi", RENTANG_MINIMAL_KELOMPOK)
    for name in KEBERATAN_HARI:
        _periksa_rentang(errors, fields, name, RENTANG_KEBERATAN_HARI)
    if fields.get("predikat_tinjauan_sanksi") not in (None, [], ()):
        from kinerja.rules.tindak_lanjut import PREDIKAT_SANKSI_DEFAULT

        try:  # stored best first; the default set is stored as empty
            pilihan = read_predikat_sanksi(fields["predikat_tinjauan_sanksi"])
            fields["predikat_tinjauan_sanksi"] = (
                None if pilihan == PREDIKAT_SANKSI_DEFAULT else [p.value for p in Predikat if p in pilihan]
            )
        except ValueError as exc:
            errors["predikat_tinjauan_sanksi"] = str(exc)
    elif "predikat_tinjauan_sanksi" in fields:  # nothing chosen: the default set
        fields["predikat_tinjauan_sanksi"] = None
    if fields.get("ambang_capaian_organisasi") not in (None, {}):
        try:  # stored in the rules' own form, so the evaluation reads back exactly what was checked
            fields["ambang_capaian_organisasi"] = AmbangCapaianOrganisasi.from_dict(
                fields["ambang_capaian_organisasi"]
            ).to_dict()
        except (ValueError, TypeError) as exc:
            errors["ambang_capaian_organisasi"] = str(exc)
    elif "ambang_capaian_organisasi" in fields:
        fields["ambang_capaian_organisasi"] = None
    if fields.get("ambang_rating") not in (None, {}):
        try:  # the rules' own form (exact fractions); the defaults are stored as empty
            ambang = AmbangRating.from_dict(fields["ambang_rating"])
            fields["ambang_rating"] = None if ambang == AMBANG_DEFAULT else ambang.to_dict()
        except (ValueError, TypeError) as exc:
            errors["ambang_rating"] = str(exc)
    elif "ambang_rating" in fields:
        fields["ambang_rating"] = None
    if fields.get("pemetaan_rating_pimpinan") not in (None, {}):
        try:
            pemetaan = read_pemetaan_pimpinan(fields["pemetaan_rating_pimpinan"])
            fields["pemetaan_rating_pimpinan"] = (
                None
                if pemetaan == dict(PIMPINAN_DEFAULT)
                else {c.value: r.value for c, r in pemetaan.items()}
            )
        except ValueError as exc:
            errors["pemetaan_rating_pimpinan"] = str(exc)
    elif "pemetaan_rating_pimpinan" in fields:
        fields["pemetaan_rating_pimpinan"] = None
    _gambar_kop(errors, fields)
    if errors:
        raise ValidationError(errors)
    for name in ("nama", "singkatan", "alamat", "kota", "nama_induk", "telepon", "laman"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    current = Instansi.objects.select_for_update().get(pk=instansi.pk)
    if _changed(current, fields):
        current.full_clean()
        current._history_user = oleh  # type: ignore[attr-defined]
        current.save()
    return current


# --- API tokens ---------------------------------------------------------------------------------------

TOKEN_PREFIX = "knj_"
MAX_TOKEN_PER_USER = 20


@transaction.atomic
def create_token(user: User, nama: str) -> tuple[ApiToken, str]:
    """Issue a personal API token; returns the row and the raw token, which is shown once and never stored."""
    nama = nama.strip()
    if not nama:
        raise ValidationError({"nama": "Beri nama token, mis. nama aplikasi yang memakainya."})
    if len(nama) > 100:
        raise ValidationError({"nama": "Nama token paling panjang 100 karakter."})
    if user.api_tokens.count() >= MAX_TOKEN_PER_USER:
        raise ValidationError(
            f"Anda sudah memiliki {MAX_TOKEN_PER_USER} token. Cabut token yang tidak dipakai lagi dahulu."
        )
    raw, sidik = token_baru(TOKEN_PREFIX)
    token = ApiToken.objects.create(user=user, nama=nama, **sidik)
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, oleh: User) -> None:
    """Revoke a token; only its owner may (a revoked token stops working at once)."""
    if not is_token_owner(oleh, token):
        raise PermissionDenied("Anda hanya dapat mencabut token Anda sendiri.")
    token.delete()


def use_token(raw: str) -> User | None:
    """The active user a raw token belongs to (None when unknown or the user is inactive).

    Records when the token was last used, at most once a minute so busy clients do not write on every call.
    """
    token = cari_token(ApiToken.objects.select_related("user"), raw)
    if token is None or not token.user.is_active:
        return None
    record_pemakaian(token)
    return token.user
