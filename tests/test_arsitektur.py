"""The layers hold: reads below writes, access in one package, transactions in services, comments
that point inside the repository (docs/architecture.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KINERJA = ROOT / "kinerja"


def _modules(pattern: str) -> list[Path]:
    return sorted(p for p in KINERJA.rglob(pattern) if "migrations" not in p.parts)


def _imports(path: Path) -> list[str]:
    """Every module a file imports, at module level or inside a function."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return found


def _is_service(module: str) -> bool:
    leaf = module.rpartition(".")[2]
    return leaf == "services" or leaf.startswith("services_") or ".services." in module + "."


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _selector_files() -> list[Path]:
    return [p for p in _modules("*.py") if p.stem == "selectors" or p.stem.startswith("selectors_")]


@pytest.mark.parametrize("path", _selector_files(), ids=_name)
def test_a_selector_imports_no_service(path: Path) -> None:
    assert [m for m in _imports(path) if _is_service(m)] == []


@pytest.mark.parametrize("path", sorted((KINERJA / "permissions").rglob("*.py")), ids=_name)
def test_permissions_import_no_service(path: Path) -> None:
    assert [m for m in _imports(path) if _is_service(m)] == []


def _view_and_api_files() -> list[Path]:
    views = [p for p in _modules("*.py") if p.stem == "views" or p.stem.startswith("views_")]
    return views + sorted((KINERJA / "api").glob("*.py"))


@pytest.mark.parametrize("path", _view_and_api_files(), ids=_name)
def test_no_view_or_api_module_opens_a_transaction(path: Path) -> None:
    text = path.read_text()
    assert "transaction." not in text and "select_for_update" not in text


_OUTSIDE_REFERENCE = re.compile(r"\bissue \d|\bIssue \d|domain §|domain\.md|shared/docs")


@pytest.mark.parametrize(
    "path",
    [p for p in _modules("*") if p.suffix in {".py", ".html", ".js", ".css"} and "vendor" not in p.parts]
    + sorted((ROOT / "tests").rglob("*.py"))
    + sorted((ROOT / "scripts").glob("*.py")),
    ids=_name,
)
def test_comments_point_inside_the_repository(path: Path) -> None:
    if path == Path(__file__):
        return
    hits = [
        f"{i}: {line.strip()}"
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if _OUTSIDE_REFERENCE.search(line)
    ]
    assert hits == []


_ROLE_TEST = re.compile(
    r"\b(if|elif|and|or|not|return)\b[^#]*\.(admin_instansi_id|is_superuser)\b"
    r"|\.(admin_instansi_id|is_superuser)\s*(==|!=| or| and)"
)


def _product_files() -> list[Path]:
    skip = {"permissions", "demo", "migrations"}
    return [
        p
        for p in _modules("*.py")
        if not skip & set(p.relative_to(KINERJA).parts) and not p.name.startswith("settings")
    ]


@pytest.mark.parametrize("path", _product_files(), ids=_name)
def test_roles_are_decided_in_permissions(path: Path) -> None:
    """Who is an admin or a superuser is asked of kinerja.permissions (is_admin_of, is_admin_kepegawaian,
    is_superuser, allowed, require), never tested on the user's fields elsewhere."""
    hits = [
        f"{i}: {line.strip()}"
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if _ROLE_TEST.search(line)
    ]
    assert hits == []


_OWNERSHIP_TEST = re.compile(r"\buser\.pegawai_id\s*(==|!=)|(==|!=)\s*(request\.)?user\.pegawai_id\b")


def _view_service_api_files() -> list[Path]:
    return [
        p
        for p in _product_files()
        if p.parent.name == "api" or p.stem.startswith(("views", "services")) or p.stem == "massal"
    ]


@pytest.mark.parametrize("path", _view_service_api_files(), ids=_name)
def test_ownership_is_decided_in_permissions(path: Path) -> None:
    """Whether the user is the pegawai an object belongs to is asked of kinerja.permissions (is_pemilik,
    is_self, peran_*), never compared on the user's pegawai_id in a view, service or API module."""
    hits = [
        f"{i}: {line.strip()}"
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if _OWNERSHIP_TEST.search(line)
    ]
    assert hits == []
