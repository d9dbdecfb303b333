"""Drawing paths (issue 19, defect 1): a path a record gives for an image — canonical JSONL
``images[].path``, USPTO ``<img file="../../…">`` — is never followed out of the record's own
folder, never absolute, never a link out, never the store's own database (not even through a hard
link beside the record), and never opened when the drawing is served: ingest copies what it may
into the content-addressed media store and records the rest as missing with the reason; the image
endpoint answers anonymous callers with media-store files only, under a fixed type, CSP and
nosniff, and a plain 404 that names no file."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from ipai.api import create_app
from ipai.service import Service
from ipai.settings import load_settings

WATCHED: set[str] = set()  # paths whose opening by this process is recorded (the store's database files)
OPENED: list[str] = []
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
DESIGN = "us-design-patents/USD0930094-20210907/USD0930094-20210907.XML"


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and WATCHED and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if os.path.abspath(path) in WATCHED:
            OPENED.append(path)


sys.addaudithook(_audit)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (8, 8), 128).save(buf, "PNG")
    return buf.getvalue()


def _patent(number: str, *images: dict[str, str]) -> str:
    return (
        json.dumps(
            {
                "record_type": "patent",
                "pubno": {"country": "US", "number": number, "kind": "B2"},
                "titles": {"en": "hostile drawings"},
                "images": list(images),
            }
        )
        + "\n"
    )


@pytest.fixture()
def hostile(tmp_path: Path, shared_data: Path) -> Iterator[tuple[Service, TestClient, Path]]:
    """A server-mode service whose corpus names drawings everywhere it should not."""
    svc = Service(load_settings(home=tmp_path / "home", progress=False, auth=True))
    db = svc.settings.home / "ipai.sqlite"
    svc.store.count_documents()  # the database exists (and is open) before the hostile ingest
    src = tmp_path / "corpus"
    src.mkdir()
    (src / "fig1.png").write_bytes(_png())
    (src / "logo.svg").write_bytes(SVG)
    (src / "notes.txt").write_text("not an image")
    (src / "out.png").symlink_to("/etc/hostname")
    os.link(db, src / "db-hardlink.png")  # the store's database, from inside the record's folder
    (src / "records.jsonl").write_text(
        _patent("9100001", {"file": "passwd", "path": "../../../../../../../../etc/passwd"})
        + _patent("9100002", {"file": "passwd", "path": "/etc/passwd"})
        + _patent(
            "9100003",
            {"file": "ipai.sqlite", "path": str(db)},
            {"file": "db-hardlink.png"},
            {"file": "db", "path": f"../home/{db.name}"},
        )
        + _patent(
            "9100004",
            {"file": "fig1.png"},
            {"file": "logo.svg"},
            {"file": "notes.txt"},
            {"file": "out.png"},
            {"file": "https://example.com/x.png"},
            {"file": "nowhere.png"},
        )
    )
    xml = (shared_data / DESIGN).read_bytes()
    first = xml.index(b'file="', xml.index(b"<drawings")) + len(b'file="')
    xml = xml[:first] + b"../../../../../../etc/passwd" + xml[xml.index(b'"', first) :]
    (src / "USD0930094-20210907.XML").write_bytes(xml)
    for tif in (shared_data / DESIGN).parent.glob("*.TIF"):
        (src / tif.name).write_bytes(tif.read_bytes())
    WATCHED.update(str(db) + suffix for suffix in ("", "-wal", "-shm", "-journal"))
    try:
        yield svc, TestClient(create_app(service=svc, web=False)), src
    finally:
        WATCHED.clear()
        OPENED.clear()
        svc.close()


def test_paths_named_by_records_are_never_followed(hostile: tuple[Service, TestClient, Path]) -> None:
    svc, client, src = hostile
    summary = svc.corpus.ingest([src])
    assert summary.loaded == 5
    missing = {
        (d, n): ref.missing
        for d in ("US9100001B2", "US9100002B2", "US9100003B2", "US9100004B2", "USD930094S")
        for n, ref in enumerate(svc.resolve(d).images)
    }
    assert missing[("US9100001B2", 0)].endswith("the path leaves the source's folder")
    assert missing[("US9100002B2", 0)].endswith(
        "an absolute path is never followed: images are read only beside the source"
    )
    assert "absolute path" in missing[("US9100003B2", 0)]
    assert missing[("US9100003B2", 1)] == "db-hardlink.png: a file of the store itself is never read"
    assert missing[("US9100003B2", 2)].endswith("the path leaves the source's folder")
    assert missing[("US9100004B2", 0)] is None and missing[("US9100004B2", 1)] is None
    assert missing[("US9100004B2", 2)].endswith("not an image (PNG, JPEG, GIF, TIFF, BMP, WebP or SVG)")
    assert missing[("US9100004B2", 3)].endswith("leads out of the source's folder (through a link)")
    assert missing[("US9100004B2", 4)].endswith("a URL is not a file beside the source")
    assert missing[("US9100004B2", 5)].endswith("not found beside the source")
    assert missing[("USD930094S", 0)].endswith("the path leaves the source's folder")
    assert all(not ref.path for d in ("US9100004B2", "USD930094S") for ref in svc.resolve(d).images)
    media = sorted(p.name for p in (svc.settings.home / "media").rglob("*") if p.is_file())
    design = svc.resolve("USD930094S").images
    assert media == sorted({r.sha256 for r in svc.resolve("US9100004B2").images[:2] + design[1:]})
    assert OPENED == []  # the store's database files were never opened as images


def test_the_endpoint_serves_only_media_files_and_names_no_path(
    hostile: tuple[Service, TestClient, Path], tmp_path: Path
) -> None:
    svc, client, src = hostile
    svc.corpus.ingest([src])
    before = svc.store.count_documents()
    for number, n in [
        ("US9100001B2", 0),
        ("US9100002B2", 0),
        ("US9100003B2", 0),
        ("US9100003B2", 1),
        ("US9100004B2", 2),
        ("US9100004B2", 3),
        ("US9100004B2", 5),
        ("USD930094S", 0),
        ("US9100004B2", 9),
    ]:
        r = client.get(f"/api/v1/documents/{number}/images/{n}")  # anonymous
        body = r.json()
        assert r.status_code == 404 and set(body) == {"ok", "error", "errors", "status"}, (number, n, r.text)
        for secret in ("etc", "passwd", "sqlite", "hostname", str(tmp_path), ".png", ".txt"):
            assert secret not in r.text, (number, n, r.text)
    png = client.get("/api/v1/documents/US9100004B2/images/0")
    assert png.status_code == 200 and png.content == (src / "fig1.png").read_bytes()
    assert png.headers["content-type"] == "image/png" and png.headers["x-content-type-options"] == "nosniff"
    assert png.headers["content-security-policy"].startswith("default-src 'none'")
    svg = client.get("/api/v1/documents/US9100004B2/images/1")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-disposition"].startswith("attachment;")
    assert svg.headers["content-security-policy"].startswith("default-src 'none'")
    tif = client.get("/api/v1/documents/USD930094S/images/1")  # a real TIFF sheet, as PNG
    assert (
        tif.status_code == 200
        and tif.headers["content-type"] == "image/png"
        and tif.content[:4] == b"\x89PNG"
    )
    assert OPENED == [] and svc.store.count_documents() == before
    with svc.store.engine.connect() as conn:  # the database is whole
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_an_svg_cannot_make_the_renderer_read_server_files(tmp_path: Path) -> None:
    """SVG marks (image similarity uploads, stored marks) are rendered by resvg, which reads any file
    an ``<image href>`` names: a red PNG on the server must not show up in the rendering."""
    from ipai.images.rasterise import load_image

    red = tmp_path / "red.png"
    Image.new("RGB", (20, 20), (255, 0, 0)).save(red)
    for href in (
        str(red),
        f"file://{red}",
        "data:image/svg+xml;base64,"
        + __import__("base64")
        .b64encode(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><image href="{red}" '
            'width="20" height="20"/></svg>'.encode()
        )
        .decode(),
    ):
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" '
            f'height="20"><rect width="2" height="2"/><image xlink:href="{href}" x="4" y="4" width="16" '
            'height="16"/></svg>'
        )
        rgb = load_image(svg.encode(), "mark.svg").rgb
        assert tuple(rgb[rgb.shape[0] * 3 // 4, rgb.shape[1] * 3 // 4]) == (255, 255, 255), href
