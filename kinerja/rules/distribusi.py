"""Pola distribusi predikat kinerja pegawai (SE MenPANRB 3/2023; default curves CONFIG per instansi).

The rules are data: a :class:`DistribusiRule` per :class:`CapaianOrganisasi`, each a list of
:class:`Constraint` (``max`` / ``min`` share of the group, or ``harus_ada``: at least one pegawai) over a set
of predikat, plus the predikat that should hold "sebagian besar" (the bulk; a soft check).

Counting on a group of ``n`` pegawai (``Decimal`` arithmetic only):

* an upper share allows ``floor(share * n)`` pegawai (raised to ``min_allowed`` when that is set, never
  above ``n``);
* a lower share requires ``ceil(share * n)`` pegawai;
* ``harus_ada`` requires at least one pegawai.

The check is *not applicable* (with an Indonesian reason and its `Sebab`, never a silent pass or block)
when ``n == 0``, when the group holds only the head of the unit whose curve it would be checked against,
when the group is smaller than the instansi's minimum (the curve is then advice only: ``saran``), when the
instansi has no rule for the capaian, or when the constraints cannot all hold at once for ``n`` pegawai.
Feasibility is decided exactly: the constraint sets of one rule must form a laminar family (any
two are disjoint or one contains the other; enforced when a rule is built), and then the counts a set can
reach form an interval computed bottom-up from its subsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation, localcontext
from types import MappingProxyType
from typing import Any

from kinerja.rules.types import CapaianOrganisasi, LabeledEnum, Predikat

__all__ = [
    "DEFAULT_RULES",
    "AllowedRange",
    "Constraint",
    "ConstraintKind",
    "ConstraintRange",
    "DistribusiCheck",
    "DistribusiRule",
    "Finding",
    "Rules",
    "Sebab",
    "allowed_counts",
    "check",
    "constraint_ranges",
    "dihitung_dalam_pola",
    "rules_from_dict",
    "rules_to_dict",
    "what_if",
]


class ConstraintKind(LabeledEnum):
    """Kind of a constraint. ``SEBAGIAN_BESAR`` only appears in findings (it comes from the rule's bulk)."""

    MAX = "max", "Paling banyak"
    MIN = "min", "Paling sedikit"
    HARUS_ADA = "harus_ada", "Harus ada"
    SEBAGIAN_BESAR = "sebagian_besar", "Sebagian besar"


class Sebab(LabeledEnum):
    """Why a check is "tidak dapat diterapkan" (docs/rules.md §3.4); recorded when a group is finalised."""

    TANPA_ATURAN = "tanpa_aturan", "Belum ada ketentuan untuk capaian ini"
    KOSONG = "kosong", "Belum ada pegawai yang dinilai"
    HANYA_PIMPINAN = "hanya_pimpinan", "Kelompok hanya berisi pimpinan unit"
    KELOMPOK_KECIL = "kelompok_kecil", "Kelompok kecil (hanya saran)"
    TIDAK_TERPENUHI = "tidak_terpenuhi", "Ketentuan tidak dapat dipenuhi bersamaan"


def dihitung_dalam_pola(unit_kelompok: object, unit_dipimpin: object) -> bool:
    """Whether a member counts in the pola distribusi of his group (docs/rules.md §3.8).

    The head of a unit is left out of the curve of the unit he leads: his rating hasil kerja follows that
    unit's capaian organisasi, so counting him there would check the unit against itself. ``unit_kelompok``
    is the unit whose capaian decides the group's curve, ``unit_dipimpin`` the unit the member heads (None
    when he heads none)."""
    return unit_dipimpin is None or unit_dipimpin != unit_kelompok


def _ordered(predikat: Iterable[Predikat]) -> tuple[Predikat, ...]:
    """The given predikat, best first."""
    chosen = set(predikat)
    return tuple(p for p in Predikat if p in chosen)


def _persen(share: Decimal) -> str:
    """``Decimal("0.7")`` -> ``"70"``; ``Decimal("0.125")`` -> ``"12,5"`` (Indonesian decimal comma)."""
    text = format((share * 100).normalize(), "f")
    return text.replace(".", ",")


def _to_share(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"Persentase pola distribusi tidak valid: {value!r}")
    if isinstance(value, Decimal):
        share = value
    elif isinstance(value, int | str | float):
        try:
            share = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"Persentase pola distribusi tidak valid: {value!r}") from None
    else:
        raise ValueError(f"Persentase pola distribusi tidak valid: {value!r}")
    if not share.is_finite() or share < 0 or share > 1:
        raise ValueError(f"Persentase pola distribusi harus antara 0 dan 1 (pecahan), bukan {value!r}")
    return share


@dataclass(frozen=True)
class Constraint:
    """One hard constraint of a pola distribusi on the sum of the counts of ``predikat``.

    ``share`` is a fraction of the group (``Decimal("0.70")`` for 70 %); it is ignored (kept 0) for
    ``HARUS_ADA``. ``min_allowed`` (``MAX`` only, CONFIG, default 0) is the number of pegawai a maximum
    always allows however small the group (the "at least one allowed" way of rounding for small groups).
    """

    kind: ConstraintKind
    predikat: frozenset[Predikat]
    share: Decimal = Decimal(0)
    min_allowed: int = 0

    def __post_init__(self) -> None:
        try:
            kind = ConstraintKind(self.kind)
        except ValueError:
            raise ValueError(f"Jenis ketentuan pola distribusi tidak dikenal: {self.kind!r}") from None
        if kind is ConstraintKind.SEBAGIAN_BESAR:
            raise ValueError("'Sebagian besar' bukan ketentuan wajib; tetapkan sebagai predikat mayoritas")
        if isinstance(self.predikat, str):
            raise ValueError("Predikat ketentuan harus berupa himpunan predikat, bukan satu teks")
        try:
            predikat = frozenset(Predikat(p) for p in self.predikat)
        except ValueError:
            raise ValueError(f"Predikat tidak dikenal dalam ketentuan: {list(self.predikat)!r}") from None
        if not predikat:
            raise ValueError("Ketentuan pola distribusi harus menyebut paling sedikit satu predikat")
        share = Decimal(0) if kind is ConstraintKind.HARUS_ADA else _to_share(self.share)
        allowed = self.min_allowed
        if isinstance(allowed, bool) or not isinstance(allowed, int) or allowed < 0:
            raise ValueError(f"Batas minimal yang diizinkan harus bilangan bulat ≥ 0, bukan {allowed!r}")
        if self.min_allowed and kind is not ConstraintKind.MAX:
            raise ValueError("Batas minimal yang diizinkan hanya berlaku untuk ketentuan 'paling banyak'")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "predikat", predikat)
        object.__setattr__(self, "share", share)

    @property
    def ordered(self) -> tuple[Predikat, ...]:
        """The predikat of the constraint, best first."""
        return _ordered(self.predikat)

    @property
    def label(self) -> str:
        """E.g. ``"Sangat Baik"`` or ``"Butuh Perbaikan + Kurang/Misconduct"``."""
        return " + ".join(p.label for p in self.ordered)

    def _floor(self, n: int) -> int:
        with localcontext() as ctx:
            ctx.prec = 60
            return int((self.share * n).to_integral_value(rounding=ROUND_FLOOR))

    def _ceiling(self, n: int) -> int:
        with localcontext() as ctx:
            ctx.prec = 60
            return int((self.share * n).to_integral_value(rounding=ROUND_CEILING))

    def bounds(self, n: int) -> tuple[int, int]:
        """``(minimum, maximum)`` count of pegawai in ``predikat`` allowed in a group of ``n``."""
        if self.kind is ConstraintKind.MAX:
            return 0, min(n, max(self._floor(n), self.min_allowed))
        if self.kind is ConstraintKind.MIN:
            return self._ceiling(n), n
        return 1, n  # HARUS_ADA

    def describe(self, n: int) -> str:
        """Indonesian description with share and count: ``"Sangat Baik paling banyak 7 (70% dari 10)"``."""
        low, high = self.bounds(n)
        if self.kind is ConstraintKind.HARUS_ADA:
            return "Harus ada paling sedikit 1 pegawai dengan predikat " + " atau ".join(
                p.label for p in self.ordered
            )
        if self.kind is ConstraintKind.MAX:
            extra = ""
            if high > 0 and high == self.min_allowed and high > self._floor(n):
                extra = f"; paling sedikit {self.min_allowed} selalu diizinkan"
            return f"{self.label} paling banyak {high} ({_persen(self.share)}% dari {n}{extra})"
        return f"{self.label} paling sedikit {low} ({_persen(self.share)}% dari {n})"


@dataclass(frozen=True)
class DistribusiRule:
    """The pola distribusi for one capaian kinerja organisasi.

    ``bulk`` is the predikat that should be held by "sebagian besar" of the group (soft: a warning).
    The constraint sets must be laminar: any two are disjoint or one contains the other.
    """

    bulk: Predikat | None
    constraints: tuple[Constraint, ...] = ()

    def __post_init__(self) -> None:
        if self.bulk is not None:
            try:
                object.__setattr__(self, "bulk", Predikat(self.bulk))
            except ValueError:
                raise ValueError(f"Predikat mayoritas tidak dikenal: {self.bulk!r}") from None
        constraints = tuple(self.constraints)
        for c in constraints:
            if not isinstance(c, Constraint):
                raise ValueError(f"Ketentuan pola distribusi tidak valid: {c!r}")
        sets = {c.predikat for c in constraints}
        for a in sets:
            for b in sets:
                if a & b and not (a <= b or b <= a):
                    raise ValueError(
                        "Ketentuan pola distribusi tumpang tindih sebagian: "
                        f"{' + '.join(p.label for p in _ordered(a))} dan "
                        f"{' + '.join(p.label for p in _ordered(b))}; dua kelompok predikat harus terpisah "
                        "atau yang satu memuat yang lain."
                    )
        object.__setattr__(self, "constraints", constraints)


_SB, _B, _BP, _K, _SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


def _c(kind: ConstraintKind, *predikat: Predikat, share: str = "0") -> Constraint:
    return Constraint(kind, frozenset(predikat), Decimal(share))


#: Default curves (docs/rules.md §3.1; CONFIG per instansi).
DEFAULT_RULES: Mapping[CapaianOrganisasi, DistribusiRule] = MappingProxyType(
    {
        CapaianOrganisasi.ISTIMEWA: DistribusiRule(_SB, (_c(ConstraintKind.MAX, _SB, share="0.70"),)),
        CapaianOrganisasi.BAIK: DistribusiRule(
            _B, (_c(ConstraintKind.MAX, _B, share="0.70"), _c(ConstraintKind.HARUS_ADA, _BP, _K))
        ),
        CapaianOrganisasi.BUTUH_PERBAIKAN: DistribusiRule(
            _BP, (_c(ConstraintKind.MIN, _BP, share="0.60"), _c(ConstraintKind.MAX, _SB, share="0.10"))
        ),
        CapaianOrganisasi.KURANG: DistribusiRule(
            _K,
            (
                _c(ConstraintKind.MIN, _K, share="0.60"),
                _c(ConstraintKind.MIN, _BP, share="0.10"),
                _c(ConstraintKind.MAX, _SB, share="0.10"),
            ),
        ),
        CapaianOrganisasi.SANGAT_KURANG: DistribusiRule(
            _SK,
            (
                _c(ConstraintKind.MIN, _SK, share="0.60"),
                _c(ConstraintKind.MIN, _K, _BP, share="0.10"),
                _c(ConstraintKind.MAX, _SB, share="0"),
            ),
        ),
    }
)

Rules = Mapping[CapaianOrganisasi, DistribusiRule]


@dataclass(frozen=True)
class AllowedRange:
    """Inclusive range of counts."""

    minimum: int
    maximum: int

    def __contains__(self, count: object) -> bool:
        return isinstance(count, int) and self.minimum <= count <= self.maximum


@dataclass(frozen=True)
class ConstraintRange:
    """A constraint of the rule with the counts it allows for a group of ``n``."""

    constraint: Constraint
    minimum: int
    maximum: int
    description: str

    @property
    def predikat(self) -> tuple[Predikat, ...]:
        return self.constraint.ordered


@dataclass(frozen=True)
class Finding:
    """A violation (hard constraint) or warning (sebagian besar) of the pola distribusi."""

    kind: ConstraintKind
    predikat: tuple[Predikat, ...]
    share: Decimal | None
    minimum: int | None
    maximum: int | None
    actual: int
    message: str


@dataclass(frozen=True)
class DistribusiCheck:
    """Result of :func:`check`."""

    capaian: CapaianOrganisasi
    n: int
    counts: Mapping[Predikat, int]
    applicable: bool
    reason: str | None = None
    violations: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    ranges: list[ConstraintRange] = field(default_factory=list)
    #: Why the check is not applicable (None when it is).
    sebab: Sebab | None = None
    #: A small group's curve as advice (`Sebab.KELOMPOK_KECIL`): the violations and warnings the full check
    #: would give. Never blocks and never demands a reason.
    saran: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Applicable and no hard constraint violated (warnings do not count)."""
        return self.applicable and not self.violations


def _rule_for(capaian: CapaianOrganisasi, rules: Rules | None) -> DistribusiRule | None:
    return (DEFAULT_RULES if rules is None else rules).get(capaian)


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"Jumlah pegawai harus bilangan bulat ≥ 0, bukan {n!r}")


def constraint_ranges(
    capaian: CapaianOrganisasi, n: int, rules: Rules | None = None
) -> list[ConstraintRange]:
    """Every constraint of the rule for ``capaian`` with its allowed ``[minimum, maximum]`` for ``n`` pegawai.

    Raises ``ValueError`` when the rules have no entry for ``capaian`` or ``n`` is negative.
    """
    _check_n(n)
    capaian = CapaianOrganisasi(capaian)
    rule = _rule_for(capaian, rules)
    if rule is None:
        raise ValueError(f"Belum ada ketentuan pola distribusi untuk capaian {capaian.label}")
    result = []
    for c in rule.constraints:
        low, high = c.bounds(n)
        result.append(ConstraintRange(c, low, high, c.describe(n)))
    return result


def allowed_counts(
    capaian: CapaianOrganisasi, n: int, rules: Rules | None = None
) -> dict[Predikat, AllowedRange]:
    """Allowed count per predikat for a group of ``n`` pegawai, from the constraints on that predikat alone.

    A predikat without a constraint of its own gets ``[0, n]``. Constraints over several predikat (e.g.
    "K + BP ≥ 10 %", "harus ada BP atau K") are not folded in here: see :func:`constraint_ranges`.
    """
    result = {p: AllowedRange(0, n) for p in Predikat}
    for r in constraint_ranges(capaian, n, rules):
        if len(r.constraint.predikat) == 1:
            (p,) = r.constraint.predikat
            current = result[p]
            result[p] = AllowedRange(max(current.minimum, r.minimum), min(current.maximum, r.maximum))
    return result


def _infeasibility(rule: DistribusiRule, n: int) -> str | None:
    """Why the constraints of ``rule`` cannot all hold for ``n`` pegawai, or ``None`` when they can."""
    everyone = frozenset(Predikat)
    bounds: dict[frozenset[Predikat], tuple[int, int]] = {everyone: (n, n)}
    for c in rule.constraints:
        low, high = c.bounds(n)
        old_low, old_high = bounds.get(c.predikat, (0, n))
        bounds[c.predikat] = (max(old_low, low), min(old_high, high))
    # Laminar family: process sets from the smallest up; a set's children are its maximal proper subsets.
    reach: dict[frozenset[Predikat], tuple[int, int]] = {}
    for s in sorted(bounds, key=len):
        subsets = [t for t in reach if t < s]
        children = [t for t in subsets if not any(t < u for u in subsets)]
        covered = frozenset().union(*children) if children else frozenset()
        free = len(s - covered)
        child_low = sum(reach[t][0] for t in children)
        child_high = sum(reach[t][1] for t in children) + free * n
        low, high = bounds[s]
        reach_low, reach_high = max(low, child_low), min(high, child_high)
        if reach_low > reach_high:
            if s != everyone:
                return (
                    f"ketentuan untuk {' + '.join(p.label for p in _ordered(s))} tidak dapat dipenuhi "
                    f"bersamaan: paling sedikit {reach_low} pegawai tetapi paling banyak {reach_high}."
                )
            if child_low > n:
                needed = [c.describe(n) for c in rule.constraints if c.bounds(n)[0] > 0]
                return (
                    f"{' dan '.join(needed)} membutuhkan paling sedikit {child_low} pegawai, "
                    f"sedangkan kelompok ini hanya {n} pegawai."
                )
            if child_high < n:
                return (
                    f"ketentuannya hanya menampung paling banyak {child_high} pegawai, "
                    f"sedangkan kelompok ini {n} pegawai."
                )
            return (
                "ketentuan untuk seluruh pegawai tidak dapat dipenuhi bersamaan: "
                f"paling sedikit {reach_low} pegawai tetapi paling banyak {reach_high}."
            )
        reach[s] = (reach_low, reach_high)
    return None


def _validate_counts(counts: Mapping[Predikat, int]) -> dict[Predikat, int]:
    result = {p: 0 for p in Predikat}
    for key, value in counts.items():
        try:
            p = Predikat(key)
        except ValueError:
            raise ValueError(f"Predikat tidak dikenal: {key!r}") from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"Jumlah pegawai untuk predikat {p.label} harus bilangan bulat, bukan {value!r}")
        if value < 0:
            raise ValueError(f"Jumlah pegawai untuk predikat {p.label} tidak boleh negatif: {value}")
        result[p] += value
    return result


def _violation(c: Constraint, n: int, actual: int) -> Finding | None:
    low, high = c.bounds(n)
    if c.kind is ConstraintKind.MAX and actual > high:
        if high == 0 and c.share == 0:
            message = (
                f"{c.label} tidak boleh ada pada capaian ini: {actual} pegawai, paling banyak 0 "
                f"(0% dari {n})."
            )
        else:
            rest = c.describe(n).removeprefix(c.label + " ")
            message = f"{c.label} melebihi batas: {actual} pegawai, {rest}."
        return Finding(c.kind, c.ordered, c.share, None, high, actual, message)
    if c.kind is ConstraintKind.MIN and actual < low:
        rest = c.describe(n).removeprefix(c.label + " ")
        message = f"{c.label} kurang dari batas: {actual} pegawai, {rest}."
        return Finding(c.kind, c.ordered, c.share, low, None, actual, message)
    if c.kind is ConstraintKind.HARUS_ADA and actual < low:
        message = f"{c.describe(n)}; saat ini {actual} pegawai."
        return Finding(c.kind, c.ordered, None, low, None, actual, message)
    return None


def _bulk_warning(rule: DistribusiRule, counts: Mapping[Predikat, int], n: int, cap: int) -> Finding | None:
    bulk = rule.bulk
    if bulk is None:
        return None
    mine = counts[bulk]
    if mine >= cap:  # already at the most the hard constraints allow: nothing more can be asked
        return None
    rivals = [p for p in Predikat if p is not bulk and counts[p] > mine]
    if not rivals:
        return None
    top = max(rivals, key=lambda p: (counts[p], p.rank))
    message = (
        f"Sebagian besar pegawai seharusnya berpredikat {bulk.label}, tetapi {top.label} lebih banyak: "
        f"{top.label} {counts[top]} pegawai, {bulk.label} {mine} pegawai (dari {n})."
    )
    return Finding(ConstraintKind.SEBAGIAN_BESAR, (bulk,), None, None, None, mine, message)


def _count_arg(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} harus bilangan bulat ≥ 0, bukan {value!r}")
    return value


def check(
    capaian: CapaianOrganisasi,
    counts: Mapping[Predikat, int],
    rules: Rules | None = None,
    *,
    minimal: int = 0,
    anggota: int | None = None,
    pimpinan: int = 0,
) -> DistribusiCheck:
    """Check the counts of pegawai per predikat of one group against the pola distribusi of ``capaian``.

    ``counts`` may omit predikat (0) and holds only the pegawai counted in the curve (see
    `dihitung_dalam_pola`). ``anggota``: the pegawai of the group counted in the curve, rated or not
    (default: the sum of ``counts``); ``pimpinan``: the heads of the unit left out of it. ``minimal``
    (CONFIG, 0: none): a group of fewer ``anggota`` gets the curve as advice only (``applicable`` False,
    `Sebab.KELOMPOK_KECIL`, the findings in ``saran``). Raises ``ValueError`` only for a negative or
    non-integer count or an unknown predikat; any non-negative counts give a result.
    """
    capaian = CapaianOrganisasi(capaian)
    clean = _validate_counts(counts)
    n = sum(clean.values())
    minimal = _count_arg(minimal, "Jumlah minimal pegawai kelompok")
    pimpinan = _count_arg(pimpinan, "Jumlah pimpinan unit")
    anggota = n if anggota is None else max(n, _count_arg(anggota, "Jumlah anggota kelompok"))
    frozen = MappingProxyType(clean)
    rule = _rule_for(capaian, rules)
    if rule is None:
        return DistribusiCheck(
            capaian,
            n,
            frozen,
            applicable=False,
            reason=f"Belum ada ketentuan pola distribusi untuk capaian {capaian.label}.",
            sebab=Sebab.TANPA_ATURAN,
        )
    ranges = constraint_ranges(capaian, n, rules)
    if anggota == 0 and pimpinan > 0:
        return DistribusiCheck(
            capaian,
            n,
            frozen,
            applicable=False,
            reason="Kelompok ini hanya berisi pimpinan unit yang kurvanya akan diperiksa; rating hasil "
            "kerjanya mengikuti capaian kinerja organisasi unit itu, sehingga tidak ada distribusi yang "
            "diperiksa.",
            ranges=ranges,
            sebab=Sebab.HANYA_PIMPINAN,
        )
    if n == 0:
        return DistribusiCheck(
            capaian,
            n,
            frozen,
            applicable=False,
            reason="Pola distribusi tidak dapat diterapkan: belum ada pegawai yang dinilai di kelompok ini.",
            ranges=ranges,
            sebab=Sebab.KOSONG,
        )
    if anggota < minimal:
        penuh = check(capaian, clean, rules)
        tambahan = f" {penuh.reason}" if penuh.reason else ""
        return DistribusiCheck(
            capaian,
            n,
            frozen,
            applicable=False,
            reason=f"Kelompok ini hanya {anggota} pegawai, kurang dari {minimal} pegawai (jumlah minimal "
            "pada Pengaturan instansi): pola distribusi hanya sebagai saran, tidak memblokir finalisasi dan "
            f"tidak memerlukan alasan.{tambahan}",
            ranges=ranges,
            sebab=Sebab.KELOMPOK_KECIL,
            saran=[*penuh.violations, *penuh.warnings],
        )
    why = _infeasibility(rule, n)
    if why is not None:
        return DistribusiCheck(
            capaian,
            n,
            frozen,
            applicable=False,
            reason=f"Pola distribusi untuk capaian {capaian.label} tidak dapat diterapkan pada {n} pegawai: "
            + why,
            ranges=ranges,
            sebab=Sebab.TIDAK_TERPENUHI,
        )
    violations = [
        v for c in rule.constraints if (v := _violation(c, n, sum(clean[p] for p in c.predikat))) is not None
    ]
    warnings = []
    if rule.bulk is not None:
        cap = allowed_counts(capaian, n, rules)[rule.bulk].maximum
        warning = _bulk_warning(rule, clean, n, cap)
        if warning is not None:
            warnings.append(warning)
    return DistribusiCheck(capaian, n, frozen, True, None, violations, warnings, ranges)


def what_if(
    counts: Mapping[Predikat, int],
    rules: Rules | None = None,
    *,
    minimal: int = 0,
    anggota: int | None = None,
    pimpinan: int = 0,
) -> dict[CapaianOrganisasi, DistribusiCheck]:
    """The check of ``counts`` under every capaian organisasi ("what if the unit were Baik?"), with the
    same group arguments as :func:`check`."""
    return {
        c: check(c, counts, rules, minimal=minimal, anggota=anggota, pimpinan=pimpinan)
        for c in CapaianOrganisasi
    }


# --- JSON storage -------------------------------------------------------------------------------------


def rules_to_dict(rules: Rules) -> dict[str, Any]:
    """JSON-ready form of ``rules``: shares as decimal strings, enums as their values."""
    result: dict[str, Any] = {}
    for capaian in CapaianOrganisasi:
        rule = rules.get(capaian)
        if rule is None:
            continue
        constraints = []
        for c in rule.constraints:
            item: dict[str, Any] = {"kind": c.kind.value, "predikat": [p.value for p in c.ordered]}
            if c.kind is not ConstraintKind.HARUS_ADA:
                item["share"] = str(c.share)
            if c.min_allowed:
                item["min_allowed"] = c.min_allowed
            constraints.append(item)
        result[capaian.value] = {
            "bulk": None if rule.bulk is None else rule.bulk.value,
            "constraints": constraints,
        }
    return result


def _kind(value: object) -> ConstraintKind:
    try:
        return ConstraintKind(str(value))
    except ValueError:
        raise ValueError(f"Jenis ketentuan pola distribusi tidak dikenal: {value!r}") from None


def rules_from_dict(data: Mapping[str, Any]) -> dict[CapaianOrganisasi, DistribusiRule]:
    """Rules from the form :func:`rules_to_dict` writes. Raises ``ValueError`` (Indonesian) on bad data."""
    if not isinstance(data, Mapping):
        raise ValueError("Aturan pola distribusi harus berupa objek (kamus) per capaian organisasi")
    result: dict[CapaianOrganisasi, DistribusiRule] = {}
    for key, raw in data.items():
        try:
            capaian = CapaianOrganisasi(key)
        except ValueError:
            raise ValueError(f"Capaian organisasi tidak dikenal: {key!r}") from None
        if not isinstance(raw, Mapping):
            raise ValueError(f"Aturan untuk capaian {capaian.label} harus berupa objek")
        unknown = set(raw) - {"bulk", "constraints"}
        if unknown:
            raise ValueError(f"Kunci tidak dikenal pada aturan capaian {capaian.label}: {sorted(unknown)}")
        raw_constraints = raw.get("constraints", [])
        if not isinstance(raw_constraints, list):
            raise ValueError(f"Ketentuan untuk capaian {capaian.label} harus berupa daftar")
        constraints = []
        for item in raw_constraints:
            if not isinstance(item, Mapping):
                raise ValueError(f"Ketentuan untuk capaian {capaian.label} harus berupa objek")
            unknown = set(item) - {"kind", "predikat", "share", "min_allowed"}
            if unknown:
                raise ValueError(
                    f"Kunci tidak dikenal pada ketentuan capaian {capaian.label}: {sorted(unknown)}"
                )
            predikat = item.get("predikat")
            if not isinstance(predikat, list) or not all(isinstance(p, str) for p in predikat):
                raise ValueError(f"Predikat ketentuan untuk capaian {capaian.label} harus berupa daftar teks")
            constraints.append(
                Constraint(
                    kind=_kind(item.get("kind")),
                    predikat=frozenset(predikat),
                    share=item.get("share", "0"),  # validated in __post_init__
                    min_allowed=item.get("min_allowed", 0),
                )
            )
        result[capaian] = DistribusiRule(raw.get("bulk"), tuple(constraints))
    return result
