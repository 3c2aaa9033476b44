"""Take full-page screenshots of pages as a given user, for looking at what we build.

Usage: .venv/bin/python scripts/screenshots.py BASE_URL LOGIN OUTDIR PATH [PATH ...] [--mobile] [--anonim]
e.g.   .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 admin /tmp/shots / /organisasi/unit/
--anonim: without signing in (the login page itself); LOGIN then only names the files.
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    base, login, outdir, *paths = sys.argv[1:]
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    width = 390 if "--mobile" in paths else 1280
    anonim = "--anonim" in paths
    paths = [p for p in paths if p not in ("--mobile", "--anonim")]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(base_url=base, viewport={"width": width, "height": 900})
        if not anonim:
            page.goto("/login/")
            page.fill("#id_username", login)
            page.fill("#id_password", "kinerja-demo")
            page.click("button[type=submit]")
            page.wait_for_load_state()
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            name = f"{login}-{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_') or 'home'}-{width}.png"
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
        browser.close()


if __name__ == "__main__":
    main()
