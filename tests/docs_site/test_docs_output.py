"""Writing the site: unchanged files are left alone, stale ones found, a file in the way refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from renkei.docs_site.output import MANIFEST, OutputError, stale, write_site


def test_a_second_write_changes_nothing_and_check_sees_edits(tmp_path: Path) -> None:
    out = tmp_path / "site"
    pages = {"index.html": "<p>トップ</p>\n", "a/b.html": "b\n"}
    assert write_site(pages, out) == (2, 0)
    assert (out / MANIFEST).read_text(encoding="utf-8") == "index.html\na/b.html\n"
    before = (out / "a" / "b.html").stat().st_mtime_ns
    assert write_site(pages, out) == (0, 0)
    assert (out / "a" / "b.html").stat().st_mtime_ns == before
    assert stale(pages, out) == []
    (out / "index.html").write_text("edited", encoding="utf-8")
    assert stale(pages, out) == ["changed: index.html"]
    assert write_site({"index.html": "<p>トップ</p>\n"}, out) == (1, 1)
    assert not (out / "a").exists()  # the emptied directory goes with its last page


def test_a_file_where_the_directory_should_be_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.write_text("not a directory", encoding="utf-8")
    with pytest.raises(OutputError, match="not a directory"):
        write_site({"index.html": "x"}, target)


def test_the_manifest_never_reaches_outside_the_directory(tmp_path: Path) -> None:
    out = tmp_path / "site"
    outside = tmp_path / "keep.txt"
    outside.write_text("keep", encoding="utf-8")
    write_site({"index.html": "x"}, out)
    (out / MANIFEST).write_text(f"index.html\n../keep.txt\n{outside}\n", encoding="utf-8")
    write_site({"index.html": "x"}, out)
    assert outside.read_text(encoding="utf-8") == "keep"
