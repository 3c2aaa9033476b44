"""Draw the web app's icons (docs/rules.md §35) from kinerja/static/kinerja/favicon.svg's shapes with Pillow.

The favicon is three white bars on a rounded square of the navbar colour; the PNGs repeat it at the sizes a
phone asks for. A maskable icon keeps its drawing inside the central 80 % safe zone on a full square.
Run after changing the favicon: `.venv/bin/python scripts/ikon_pwa.py` (the PNGs are committed).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

WARNA = "#0b4f6c"  # the navbar (kinerja.css --kinerja-primary) and the favicon's square
BATANG = [(6, 22, 12, 26), (13, 16, 19, 26), (20, 9, 26, 26)]  # the favicon's bars in its 32-unit box
KELUAR = Path(__file__).resolve().parents[1] / "kinerja" / "static" / "kinerja" / "ikon"


def gambar(ukuran: int, maskable: bool = False) -> Image.Image:
    skala = 4  # drawn large, then reduced: smooth edges without an SVG renderer
    besar = ukuran * skala
    img = Image.new("RGBA", (besar, besar), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if maskable:
        d.rectangle((0, 0, besar, besar), fill=WARNA)
        kotak, geser = besar * 0.8, besar * 0.1  # the safe zone: a circle of 80 % of the width
    else:
        d.rounded_rectangle((0, 0, besar - 1, besar - 1), radius=besar * 6 / 32, fill=WARNA)
        kotak, geser = besar, 0.0
    u = kotak / 32
    for x0, y0, x1, y1 in BATANG:
        d.rectangle((geser + x0 * u, geser + y0 * u, geser + x1 * u - 1, geser + y1 * u - 1), fill="white")
    return img.resize((ukuran, ukuran), Image.Resampling.LANCZOS)


def main() -> None:
    KELUAR.mkdir(parents=True, exist_ok=True)
    for nama, ukuran, maskable in [
        ("ikon-192.png", 192, False),
        ("ikon-512.png", 512, False),
        ("ikon-maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),  # iOS rounds the corners itself and shows no transparency
    ]:
        gambar(ukuran, maskable).save(KELUAR / nama, optimize=True)
        print(KELUAR / nama)


if __name__ == "__main__":
    main()
