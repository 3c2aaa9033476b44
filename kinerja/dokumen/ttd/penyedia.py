"""The signer back-ends behind one interface (docs/rules.md §29.2).

A back-end receives the frozen PDF with the place of the signer's block (``Permintaan.kotak``, read from
the layout when the document was frozen) and returns it signed there in a new field, as an incremental
revision. It never keeps the signer's passphrase or TOTP: ``Kredensial`` lives for one call. Errors reach
the signer as :class:`GagalTtd` with an Indonesian message saying what to do (a wrong passphrase, an
unregistered NIK, an expired certificate, an unreachable service).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class GagalTtd(Exception):
    """Signing did not happen; ``pesan`` is for the signer (Indonesian)."""

    def __init__(self, pesan: str, *, sementara: bool = False):
        super().__init__(pesan)
        self.pesan = pesan
        #: True when trying again later may work (a timeout, an outage), False when the signer must act.
        self.sementara = sementara


@dataclass(frozen=True)
class Kotak:
    """A visible signature box: page index (0-based), (x1, y1, x2, y2) in PDF points from the lower left."""

    halaman: int
    kotak: tuple[int, int, int, int]


@dataclass(frozen=True)
class Penanda:
    """Who signs: the account, and the identity a certificate service knows them by."""

    pengguna_id: int
    nama: str
    nip: str
    nik: str


@dataclass(frozen=True)
class Kredensial:
    """What the signer typed to unlock their key; never stored, never logged (``repr`` hides it). ``nik``:
    the identity a certificate service (BSrE) knows the signer by, typed with it (Kinerja keeps no NIK)."""

    passphrase: str = field(default="", repr=False)
    totp: str = field(default="", repr=False)
    nik: str = ""


@dataclass(frozen=True)
class Permintaan:
    """One PDF to sign in one of its (already present) signature fields."""

    pdf: bytes
    field: str
    kotak: Kotak
    #: The signature's reason (kinerja.rules.ttd.Slot.alasan) and place.
    alasan: str
    lokasi: str


@dataclass(frozen=True)
class Hasil:
    """A signed PDF and the certificate that signed it (read back from the signature)."""

    pdf: bytes
    subjek: str
    penerbit: str
    nomor_seri: str


class Penyedia(Protocol):
    #: PengaturanTtd.Penyedia value.
    kode: str

    def periksa_penanda(self, penanda: Penanda) -> None:
        """Raise GagalTtd when ``penanda`` cannot sign with this back-end (no certificate, expired,
        not registered); called before asking for the passphrase's work."""

    def tanda_tangani(
        self, penanda: Penanda, kredensial: Kredensial, permintaan: Sequence[Permintaan]
    ) -> list[Hasil]:
        """Sign every request with the one credential; results in the same order. All or nothing: a
        failure raises GagalTtd and no result is returned."""
        ...
