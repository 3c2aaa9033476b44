"""The demo instansi: a city's BKPSDM with ~40 pegawai, one PLT, the current year's periode, demo logins.

Idempotent: every row is upserted by its natural key (kode / NIP) through the services, which save only
what changed, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction

from kinerja.organisasi import services
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, Periode, UnitKerja, User
from kinerja.rules import JenisJabatan, JenisPenempatan, Jenjang
from kinerja.rules.jadwal import Skema

DEMO_PASSWORD = "kinerja-demo"
INSTANSI_KODE = "BKPSDM-SKM"

UNITS = [  # kode, nama, induk
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", None),
    ("SEKR", "Sekretariat", "BKPSDM"),
    ("SUBUM", "Subbagian Umum dan Kepegawaian", "SEKR"),
    ("SUBPK", "Subbagian Perencanaan dan Keuangan", "SEKR"),
    ("BMP", "Bidang Mutasi dan Promosi", "BKPSDM"),
    ("BPK", "Bidang Pengembangan Kompetensi", "BKPSDM"),
    ("BPKP", "Bidang Penilaian Kinerja dan Penghargaan", "BKPSDM"),
]

J = JenisJabatan
Baris = tuple[str, str, JenisJabatan, Jenjang | None, str, str | None, bool, bool]


def _staf(unit: str, atasan: str, *rows: tuple[str, str, Jenjang | None]) -> list[Baris]:
    """The staff of one unit under its head: fungsional with a jenjang, pelaksana without."""
    return [
        (kode, nama, J.FUNGSIONAL if jenjang else J.PELAKSANA, jenjang, unit, atasan, False, False)
        for kode, nama, jenjang in rows
    ]


# kode, nama, jenis, jenjang, unit, atasan, pimpinan unit, unit kerja mandiri
JABATAN: list[Baris] = [
    ("KABAN", "Kepala Badan", J.JPT_PRATAMA, None, "BKPSDM", None, True, True),
    ("SEK", "Sekretaris", J.ADMINISTRATOR, None, "SEKR", "KABAN", True, False),
    ("KSUBUM", "Kepala Subbagian Umum dan Kepegawaian", J.PENGAWAS, None, "SUBUM", "SEK", True, False),
    (
        "KSUBPK",
        "Kepala Subbagian Perencanaan dan Keuangan",
        J.PENGAWAS,
        None,
        "SUBPK",
        "SEK",
        True,
        False,
    ),
    ("KBMP", "Kepala Bidang Mutasi dan Promosi", J.ADMINISTRATOR, None, "BMP", "KABAN", True, False),
    ("KBPK", "Kepala Bidang Pengembangan Kompetensi", J.ADMINISTRATOR, None, "BPK", "KABAN", True, False),
    (
        "KBPKP",
        "Kepala Bidang Penilaian Kinerja dan Penghargaan",
        J.ADMINISTRATOR,
        None,
        "BPKP",
        "KABAN",
        True,
        False,
    ),
]
# Sekretariat
JABATAN += _staf(
    "SUBUM",
    "KSUBUM",
    ("UM-ARS", "Arsiparis Terampil", Jenjang.TERAMPIL),
    ("UM-PU1", "Pengadministrasi Perkantoran", None),
    ("UM-PU2", "Pengelola Layanan Kepegawaian", None),
    ("UM-PU3", "Pengelola Barang Milik Negara", None),
)
JABATAN += _staf(
    "SUBPK",
    "KSUBPK",
    ("PK-PER", "Perencana Ahli Pertama", Jenjang.AHLI_PERTAMA),
    ("PK-AKK", "Analis Keuangan Pusat dan Daerah Ahli Pertama", Jenjang.AHLI_PERTAMA),
    ("PK-BEN", "Bendahara", None),
    ("PK-PLK", "Penata Laporan Keuangan", None),
)
# Bidang Mutasi dan Promosi
JABATAN += _staf(
    "BMP",
    "KBMP",
    ("MP-AMD", "Analis SDM Aparatur Ahli Madya", Jenjang.AHLI_MADYA),
    ("MP-AMU1", "Analis SDM Aparatur Ahli Muda", Jenjang.AHLI_MUDA),
    ("MP-AMU2", "Analis SDM Aparatur Ahli Muda", Jenjang.AHLI_MUDA),
    ("MP-APT1", "Analis SDM Aparatur Ahli Pertama", Jenjang.AHLI_PERTAMA),
    ("MP-APT2", "Analis SDM Aparatur Ahli Pertama", Jenjang.AHLI_PERTAMA),
    ("MP-PRM", "Pranata SDM Aparatur Mahir", Jenjang.MAHIR),
    ("MP-PL1", "Pengolah Data Mutasi", None),
    ("MP-PL2", "Pengadministrasi Kepegawaian", None),
)
# Bidang Pengembangan Kompetensi (kepala bidang kosong, dijabat PLT)
JABATAN += _staf(
    "BPK",
    "KBPK",
    ("PK2-AMU", "Analis SDM Aparatur Ahli Muda", Jenjang.AHLI_MUDA),
    ("PK2-APT1", "Analis SDM Aparatur Ahli Pertama", Jenjang.AHLI_PERTAMA),
    ("PK2-APT2", "Analis SDM Aparatur Ahli Pertama", Jenjang.AHLI_PERTAMA),
    ("PK2-PRP", "Pranata SDM Aparatur Penyelia", Jenjang.PENYELIA),
    ("PK2-PRT", "Pranata SDM Aparatur Terampil", Jenjang.TERAMPIL),
    ("PK2-PL1", "Pengelola Diklat", None),
    ("PK2-PL2", "Pengadministrasi Pengembangan Kompetensi", None),
)
# Bidang Penilaian Kinerja dan Penghargaan
JABATAN += _staf(
    "BPKP",
    "KBPKP",
    ("PKP-AMD", "Analis SDM Aparatur Ahli Madya", Jenjang.AHLI_MADYA),
    ("PKP-AMU1", "Analis SDM Aparatur Ahli Muda", Jenjang.AHLI_MUDA),
    ("PKP-AMU2", "Analis SDM Aparatur Ahli Muda", Jenjang.AHLI_MUDA),
    ("PKP-APT1", "Analis SDM Aparatur Ahli Pertama", Jenjang.AHLI_PERTAMA),
    ("PKP-APT2", "Analis SDM Aparatur Ahli Pertama", Jenjang.AHLI_PERTAMA),
    ("PKP-PRP", "Pranata SDM Aparatur Pemula", Jenjang.PEMULA),
    ("PKP-PL1", "Pengolah Data Kinerja Pegawai", None),
    ("PKP-PL2", "Pengadministrasi Penghargaan", None),
    ("PKP-PL3", "Pengelola Sistem Informasi Kepegawaian", None),
)


@dataclass(frozen=True)
class DemoPegawai:
    nip: str
    nama: str
    gelar_depan: str
    gelar_belakang: str
    pangkat: str
    jabatan: str | None  # kode of the definitif jabatan (None: the post is vacant)
    jenis_asn: str = "pns"


PEGAWAI = [
    DemoPegawai("197205141998031003", "Hendra Gunawan", "Dr.", "S.Sos., M.Si.", "IV/c", "KABAN"),
    DemoPegawai("197608222000122001", "Sri Wahyuni", "", "S.H., M.H.", "IV/b", "SEK"),
    DemoPegawai("198103152006041002", "Agus Prasetyo", "", "S.E.", "III/d", "KSUBUM"),
    DemoPegawai("198507092009022003", "Dewi Lestari", "", "S.E., M.Ak.", "III/d", "KSUBPK"),
    DemoPegawai("197811302003121004", "Bambang Sutrisno", "", "S.IP., M.AP.", "IV/a", "KBMP"),
    DemoPegawai("197904182005012005", "Ratna Sari Dewi", "", "S.Psi., M.Psi.", "IV/a", "KBPKP"),
    DemoPegawai("199002112015032001", "Fitri Handayani", "", "A.Md.", "II/d", "UM-ARS"),
    DemoPegawai("198809252014031006", "Joko Susilo", "", "", "II/c", "UM-PU1"),
    DemoPegawai("199205062019032010", "Nur Aini", "", "S.AP.", "III/a", "UM-PU2"),
    DemoPegawai("198711132011011003", "Rudi Hartono", "", "", "II/b", "UM-PU3"),
    DemoPegawai("199307242019022004", "Putri Ayu Ningsih", "", "S.T.", "III/a", "PK-PER"),
    DemoPegawai("199112012017031002", "Arif Rahman Hakim", "", "S.E.", "III/b", "PK-AKK"),
    DemoPegawai("198604172010012008", "Yuliana", "", "S.E.", "III/b", "PK-BEN"),
    DemoPegawai("199409302022032006", "Siti Rahmawati", "", "A.Md.Ak.", "II/c", "PK-PLK"),
    DemoPegawai("197706082002122003", "Endang Susanti", "", "S.Sos., M.M.", "IV/a", "MP-AMD"),
    DemoPegawai("198210272008011005", "Dedi Kurniawan", "", "S.IP.", "III/d", "MP-AMU1"),
    DemoPegawai("198402192009022002", "Indah Permatasari", "", "S.Psi.", "III/c", "MP-AMU2"),
    DemoPegawai("199506142020121007", "Muhammad Rizki Pratama", "", "S.H.", "III/a", "MP-APT1"),
    DemoPegawai("199608032020122003", "Anisa Nurul Fadilah", "", "S.AP.", "III/a", "MP-APT2"),
    DemoPegawai("198912212012121002", "Eko Saputro", "", "A.Md.", "III/a", "MP-PRM"),
    DemoPegawai("199010102014031004", "Fajar Nugroho", "", "", "II/c", "MP-PL1"),
    DemoPegawai("199703292025212009", "Lia Amelia", "", "S.Kom.", "IX", "MP-PL2", "pppk"),
    DemoPegawai("198306052010012007", "Maria Ulfa", "", "S.Pd., M.Pd.", "III/d", "PK2-AMU"),
    DemoPegawai("199209172018011001", "Taufik Hidayat", "", "S.Sos.", "III/b", "PK2-APT1"),
    DemoPegawai("199411082019032007", "Rina Marlina", "", "S.Psi.", "III/a", "PK2-APT2"),
    DemoPegawai("198008122005011004", "Suparman", "", "", "III/c", "PK2-PRP"),
    DemoPegawai("199512252020122005", "Desi Ratnasari", "", "A.Md.", "II/c", "PK2-PRT"),
    DemoPegawai("198905042011011002", "Wahyu Setiawan", "", "", "II/d", "PK2-PL1"),
    DemoPegawai("199802142025212011", "Nadia Safitri", "", "S.M.", "IX", "PK2-PL2", "pppk"),
    DemoPegawai("197510232001121002", "Yusuf Effendi", "", "S.Sos., M.Si.", "IV/b", "PKP-AMD"),
    DemoPegawai("198506282010012004", "Ika Puspitasari", "", "S.Psi., M.Psi.", "III/d", "PKP-AMU1"),
    DemoPegawai("198712092011011003", "Andi Saputra", "", "S.E., M.M.", "III/c", "PKP-AMU2"),
    DemoPegawai("199304112019031003", "Galih Permana", "", "S.Kom.", "III/b", "PKP-APT1"),
    DemoPegawai("199601202020122002", "Tri Wulandari", "", "S.Stat.", "III/a", "PKP-APT2"),
    DemoPegawai("199910012024211001", "Bayu Aji Nugraha", "", "A.Md.", "VII", "PKP-PRP", "pppk"),
    DemoPegawai("199108162015031001", "Rahmat Hidayat", "", "", "II/d", "PKP-PL1"),
    DemoPegawai("199406222019032009", "Wulan Sari", "", "S.Sos.", "III/a", "PKP-PL2"),
    DemoPegawai("199205302017011003", "Dimas Aditya", "", "S.Kom.", "III/a", "PKP-PL3"),
]

# The post of Kepala Bidang Pengembangan Kompetensi is vacant; the Sekretaris holds it as PLT.
PLT = ("197608222000122001", "KBPK", datetime.date(2025, 10, 1), "800/112/BKPSDM/2025")

DEMO_ACCOUNTS = [  # role, login (NIP or username)
    ("admin", "admin"),
    ("kepala", "197205141998031003"),
    ("kabid", "197904182005012005"),
    ("fungsional", "198506282010012004"),
    ("pelaksana", "199108162015031001"),
]


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role, login, name) for every demo account, as `seed_demo --list` prints them."""
    names = {p.nip: p for p in PEGAWAI}
    rows = []
    for role, login in DEMO_ACCOUNTS:
        if role == "admin":
            rows.append((role, login, "Admin Kepegawaian BKPSDM"))
        else:
            p = names[login]
            rows.append(
                (
                    role,
                    login,
                    Pegawai(
                        nama=p.nama, gelar_depan=p.gelar_depan, gelar_belakang=p.gelar_belakang
                    ).nama_lengkap,
                )
            )
    return rows


def _upsert(model: type, lookup: dict[str, object], save: object, **fields: object) -> object:
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    return save(obj, **fields)  # type: ignore[operator]


def _logo_png() -> bytes:
    """A simple round emblem for the demo's kop (docs/rules.md §31): no real government's arms."""
    from PIL import Image, ImageDraw

    gambar = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    gores = ImageDraw.Draw(gambar)
    gores.ellipse((8, 8, 232, 232), fill=(18, 82, 150, 255), outline=(212, 170, 40, 255), width=10)
    gores.polygon([(120, 44), (186, 168), (54, 168)], fill=(212, 170, 40, 255))
    gores.rectangle((70, 178, 170, 196), fill=(255, 255, 255, 255))
    buf = io.BytesIO()
    gambar.save(buf, format="PNG")
    return buf.getvalue()


def _kop(instansi: Instansi) -> None:
    """The demo instansi's letterhead lines and a generated logo, so its decisions show a kop."""
    if not instansi.nama_induk:
        instansi.nama_induk = "Pemerintah Kota Sukamaju"
        instansi.telepon = instansi.telepon or "(0271) 555017"
        instansi.surel = instansi.surel or "bkpsdm@sukamajukota.go.id"
        instansi.laman = instansi.laman or "bkpsdm.sukamajukota.go.id"
        instansi.save(update_fields=["nama_induk", "telepon", "surel", "laman"])
    if not instansi.logo:
        instansi.logo.save("logo.png", ContentFile(_logo_png()), save=True)


@transaction.atomic
def seed(today: datetime.date | None = None) -> Instansi:
    today = today or datetime.date.today()
    instansi, _ = Instansi.objects.get_or_create(
        kode=INSTANSI_KODE,
        defaults={
            "nama": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Sukamaju",
            "singkatan": "BKPSDM Kota Sukamaju",
            "alamat": "Jl. Merdeka No. 17, Sukamaju",
            "kota": "Sukamaju",
            # The unit heads' SKP are kuantitatif: their IKU capaian feed the boards and IIAA reports.
            "skp_kuantitatif_struktural": True,
        },
    )
    _kop(instansi)
    units: dict[str, UnitKerja] = {}
    for kode, nama, induk in UNITS:
        units[kode] = _upsert(
            UnitKerja,
            {"instansi": instansi, "kode": kode},
            services.save_unit_kerja,
            nama=nama,
            parent=units[induk] if induk else None,
        )
    jabatan: dict[str, Jabatan] = {}
    for kode, nama, jenis, jenjang, unit, atasan, pimpinan, mandiri in JABATAN:
        jabatan[kode] = _upsert(
            Jabatan,
            {"instansi": instansi, "kode": kode},
            services.save_jabatan,
            nama=nama,
            jenis=jenis.value,
            jenjang=jenjang.value if jenjang else "",
            unit=units[unit],
            parent=jabatan[atasan] if atasan else None,
            pimpinan_unit=pimpinan,
            unit_kerja_mandiri=mandiri,
        )
    password = make_password(DEMO_PASSWORD)
    pegawai: dict[str, Pegawai] = {}
    for i, p in enumerate(PEGAWAI):
        pegawai[p.nip] = _upsert(
            Pegawai,
            {"nip": p.nip},
            services.save_pegawai,
            instansi=instansi,
            nama=p.nama,
            gelar_depan=p.gelar_depan,
            gelar_belakang=p.gelar_belakang,
            jenis_asn=p.jenis_asn,
            pangkat_golongan=p.pangkat,
            email=f"{p.nama.split()[0].lower()}.{i + 1:02d}@bkpsdm.sukamaju.go.id",
            aktif=True,
        )
        if p.jabatan:
            tmt = datetime.date(2022 + i % 4, 1 + i % 12, 2)
            _upsert(
                Penempatan,
                {
                    "pegawai": pegawai[p.nip],
                    "jabatan": jabatan[p.jabatan],
                    "jenis": JenisPenempatan.DEFINITIF.value,
                },
                services.save_penempatan,
                mulai=tmt,
            )
        login = User.objects.get(pegawai=pegawai[p.nip])
        if not login.has_usable_password():
            login.password = password  # the same hash for every demo login: hashing 38 times is slow
            login.save(update_fields=["password"])
    nip, kode, mulai, sk = PLT
    _upsert(
        Penempatan,
        {"pegawai": pegawai[nip], "jabatan": jabatan[kode], "jenis": JenisPenempatan.PLT.value},
        services.save_penempatan,
        mulai=mulai,
        nomor_sk=sk,
    )
    if not User.objects.filter(username="admin").exists():
        User.objects.create(
            username="admin",
            password=password,
            admin_instansi=instansi,
            first_name="Admin Kepegawaian",
            last_name="BKPSDM",
        )
    if not Periode.objects.filter(instansi=instansi, tahun=today.year).exists():
        services.create_periode(instansi, today.year, Skema.TRIWULANAN)
    return instansi
