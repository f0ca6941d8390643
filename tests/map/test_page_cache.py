"""The map page is data-free, so it is rendered once and cached: later starts read the file and
never import folium (about a second of start-up, issue 17)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desk.ui.map import page


def same(html: bytes) -> bytes:
    """folium names elements with fresh random ids on every render; all else must be equal."""
    return re.sub(rb"_[0-9a-f]{32}", b"_ID", html)


def test_page_is_cached_and_equal_to_a_fresh_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path))
    page.page_html.cache_clear()
    try:
        first = page.page_html()
        cached = list((tmp_path / "cache").glob("map-page-*.html"))
        assert len(cached) == 1 and cached[0].read_bytes() == first
        assert same(first) == same(page.render_page())
        # A cache file that cannot be read is simply rebuilt.
        cached[0].unlink()
        page.page_html.cache_clear()
        assert same(page.page_html()) == same(first)
    finally:
        page.page_html.cache_clear()


def test_a_start_with_a_cached_page_does_not_import_folium(tmp_path: Path) -> None:
    env = dict(os.environ, DESK_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    code = ("import sys; from desk.ui.map.page import page_html; page_html(); "
            "print('folium' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "True"  # the first start renders it
    assert second.stdout.strip() == "False"
