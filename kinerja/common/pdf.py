"""HTML → PDF with WeasyPrint, local resources only.

The stylesheets are parsed once per thread and reused with one FontConfiguration (WeasyPrint's first
render in a process is slow; later renders reuse the parsed CSS and the font map). Documents load nothing
from the network: the only URLs a template may use are data: URIs (the QR code) and file: URIs of the
instansi's kop images under MEDIA_ROOT/instansi/ (docs/rules.md §31); everything else is refused.

Speed: WeasyPrint's user-agent stylesheet gives every element six pseudo-element styles (::marker,
::footnote-call, ::note-*); computing them was most of the style time of an SKP. The documents use no
footnotes and list markers only on <li>, so `_Html` uses the same stylesheet without those rules
(falling back to WeasyPrint's own when its file cannot be read).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import segno
import weasyprint
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# The print stylesheet stays beside the document templates (also served as a static file).
STATIC_DIR = Path(__file__).resolve().parent.parent / "dokumen" / "static" / "dokumen"
STYLESHEET = STATIC_DIR / "dokumen.css"

KERTAS = {"a4": ("210mm", "297mm"), "f4": ("215mm", "330mm")}

_local = threading.local()


KOP_SUBDIR = "instansi"
KOP_EKSTENSI = frozenset({".png", ".jpg", ".jpeg"})


def berkas_kop_boleh(url: str) -> bool:
    """Whether a file: URL names an uploaded kop image: a PNG/JPEG that, symlinks and `..` resolved, lies
    under MEDIA_ROOT/instansi/ (MEDIA_ROOT read now, so a test's setting applies)."""
    from django.conf import settings

    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme.lower() != "file" or parsed.netloc not in ("", "localhost"):
        return False
    try:
        path = Path(urllib.request.url2pathname(parsed.path)).resolve(strict=True)
        akar = (Path(settings.MEDIA_ROOT) / KOP_SUBDIR).resolve()
    except (OSError, RuntimeError):
        return False
    return path.is_file() and path.is_relative_to(akar) and path.suffix.lower() in KOP_EKSTENSI


class _HanyaDataUri(URLFetcher):
    """Refuses every URL except data: URIs and the kop images under MEDIA_ROOT/instansi/ (no http(s), no
    other file)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, timeout=1)

    def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
        if url.lower().startswith("file:") and not berkas_kop_boleh(url):
            raise ValueError(f"URI uses disallowed protocol or place: {url}")
        return super().fetch(url, headers)


def uri_berkas_kop(berkas: object) -> str:
    """The file: URI of an uploaded kop image for the templates ('' when none or not on local disk)."""
    try:
        path = berkas.path if berkas else ""  # type: ignore[attr-defined]
    except (NotImplementedError, ValueError):
        # Django's contract: a storage without local files (S3 and the like) raises NotImplementedError for
        # `.path`, an empty field ValueError. The PDF then prints the kop without its image.
        return ""
    return Path(path).resolve().as_uri() if path and Path(path).is_file() else ""


UA_STYLESHEET = Path(weasyprint.__file__).resolve().parent / "css" / "html5_ua.css"
_PSEUDO_TAK_DIPAKAI = re.compile(r"^::(footnote|note)-[a-z-]+\s*\{[^}]*\}\s*$", re.MULTILINE)


def _ua_ringkas(font_config: FontConfiguration) -> CSS | None:
    """WeasyPrint's UA stylesheet without the footnote/note pseudo-elements, ::marker only on <li>."""
    try:
        text = UA_STYLESHEET.read_text(encoding="utf-8")
    except OSError:
        return None
    text = _PSEUDO_TAK_DIPAKAI.sub("", text)
    text = re.sub(r"^::marker\s*\{", "li::marker {", text, flags=re.MULTILINE)
    return CSS(string=text, font_config=font_config)


class _Html(HTML):
    ua: CSS | None = None

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        if self.ua is None or forms:
            return super()._ua_stylesheets(forms)  # type: ignore[no-any-return]
        return [self.ua]


def _cache() -> dict[str, object]:
    cache = getattr(_local, "cache", None)
    if cache is None:
        font_config = FontConfiguration()
        fetcher = _HanyaDataUri()
        cache = {
            "font_config": font_config,
            "fetcher": fetcher,
            "css": CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher),
            "ua": _ua_ringkas(font_config),
        }
        _local.cache = cache
    return cache


def _page_css(kertas: str, landscape: bool) -> CSS:
    cache = _cache()
    key = f"page:{kertas}:{landscape}"
    if key not in cache:
        lebar, tinggi = KERTAS[kertas]
        size = f"{tinggi} {lebar}" if landscape else f"{lebar} {tinggi}"
        cache[key] = CSS(string=f"@page {{ size: {size}; }}", font_config=cache["font_config"])
    return cache[key]  # type: ignore[return-value]


def kertas_dari(value: str | None) -> str:
    """The paper asked for (`?kertas=f4`), A4 by default."""
    return "f4" if (value or "").strip().lower() == "f4" else "a4"


def _layout(html: str, kertas: str, landscape: bool) -> Document:
    cache = _cache()
    document = _Html(string=html, base_url=str(STATIC_DIR), url_fetcher=cache["fetcher"])
    document.ua = cache["ua"]  # type: ignore[assignment]
    return document.render(
        stylesheets=[cache["css"], _page_css(kertas, landscape)], font_config=cache["font_config"]
    )


def render_dokumen(html: str, *, kertas: str = "a4", landscape: bool = False) -> Document:
    """The laid-out WeasyPrint document (its pages' anchors locate the signature blocks), with the same
    cached stylesheets and fonts as render_pdf."""
    return _layout(html, kertas, landscape)


def render_pdf(html: str, *, kertas: str = "a4", landscape: bool = False) -> bytes:
    return _layout(html, kertas, landscape).write_pdf()  # type: ignore[no-any-return]


def render_pdf_dan_halaman(html: str, *, kertas: str = "a4", landscape: bool = False) -> tuple[bytes, int]:
    """The PDF and its page count (for the benchmark)."""
    document = _layout(html, kertas, landscape)
    return document.write_pdf(), len(document.pages)


def qr_data_uri(url: str) -> str:
    """The QR code of the verification URL as a PNG data URI (printed ~13 mm wide, ~300 dpi).

    PNG rather than SVG: the image is decoded once and placed on every page, where an SVG path is drawn
    again per page."""
    return segno.make(url, error="m").png_data_uri(scale=4, border=0)


def pdf_tersimpan(kunci: str, render: Callable[[], bytes]) -> bytes:
    """The PDF for `kunci` from the document cache, rendering and storing it on a miss.

    A document's PDF depends only on what its key names (the issued Dokumen with its content hash, the
    paper, the verification host and the print date), so repeat downloads — the deadline rush — cost a
    file read instead of a WeasyPrint layout. Stored under MEDIA_ROOT, never served directly.
    """
    path = f"dokumen-cache/{hashlib.sha256(kunci.encode()).hexdigest()}.pdf"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as handle:
            return handle.read()  # type: ignore[no-any-return]
    isi = render()
    with contextlib.suppress(OSError):  # a full or read-only disk only costs the cache, never the download
        default_storage.save(path, ContentFile(isi))
    return isi
