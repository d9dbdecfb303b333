"""Image similarity through the service, the CLI, the API and the web pages (real marks and designs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.cli import main
from ipai.errors import InputError, NotFound
from tests.webforms import with_csrf

LOGOS = [
    "adobe.svg",
    "adobe-icon.svg",
    "airbnb.svg",
    "airbnb-icon.svg",
    "google.svg",
    "google-icon.svg",
    "udemy.svg",
    "udemy-icon.svg",
    "zoom.svg",
    "zoom-icon.svg",
    "loom.svg",
    "loom-icon.svg",
]


@pytest.fixture()
def marks_dir(tmp_path: Path, shared_data: Path) -> Path:
    d = tmp_path / "marks"
    d.mkdir()
    for f in LOGOS:
        (d / f).symlink_to(shared_data / "logos-svg" / "logos" / f)
    for p in sorted((shared_data / "car-logos-thumb" / "thumb").glob("*.png"))[:20]:
        (d / p.name).symlink_to(p)
    (d / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    (d / "readme.txt").write_text("not an image")
    return d


@pytest.fixture()
def svc(service, marks_dir: Path, shared_data: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    service.corpus.ingest(sorted(p for p in (shared_data / "us-design-patents").iterdir() if p.is_dir())[:4])
    return service


def test_index_and_search_marks_and_designs(svc, marks_dir: Path, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound, match="ipai images index"):
        svc.images.similar_images(marks_dir / "adobe.svg")
    built = svc.images.index_images("mark", dirs=[marks_dir])
    assert (
        built["items"] == len(LOGOS) + 20 and built["unreadable"] == 1 and built["skipped_other_files"] == 1
    )
    assert "broken.png" in built["errors"][0]["file"]
    assert (svc.settings.home / "images" / "mark" / "views.faiss").exists()
    res = svc.images.similar_images((marks_dir / "udemy-icon.svg").read_bytes(), name="q.svg", top=3)
    assert [h["id"] for h in res["hits"][:2]] == ["udemy-icon.svg", "udemy.svg"]
    assert "path" not in res["hits"][0]
    d = svc.images.index_images("design")
    assert d["items"] > 20 and d["unreadable"] == 0
    sheet = shared_data / "us-design-patents" / "USD0908314-20210126" / "USD0908314-20210126-D00003.TIF"
    hits = svc.images.similar_images(sheet, kind="design", top=5)["hits"]
    assert hits[0]["doc"] == "USD908314S" and hits[0]["locarno"] == ["02-02"]
    other = svc.images.similar_images(sheet, kind="design", classes="14", top=5)["hits"]
    assert other and all(h["locarno"][0].startswith("14-") for h in other)
    with pytest.raises(InputError, match="Locarno"):
        svc.images.similar_images(sheet, kind="design", classes="x")
    with pytest.raises(InputError, match="mark or design"):
        svc.images.similar_images(sheet, kind="logo")
    assert svc.images.image_thumbnail("mark", "adobe.svg")[:4] == b"\x89PNG"


def test_similar_words_over_stored_marks(service, shared_data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = json.loads((shared_data / "trademark-vienna-euipo" / "Trademark2020_validation.json").read_text())
    keep = dict(list(src.items())[:400])
    keep["999999901"] = {"Codes": ["270501"], "Date": "2020-01-01", "Text": "Huawei"}
    (tmp_path / "Trademark2020_sample.json").write_text(json.dumps(keep))
    service.corpus.ingest([tmp_path / "Trademark2020_sample.json"])
    res = service.images.similar_words("华为")
    assert res["hits"][0]["text"] == "Huawei" and res["hits"][0]["reason"] == "pinyin"
    assert service.images.similar_words("SETA")["hits"][0]["id"] == "TM-EM000001123"
    with pytest.raises(InputError):
        service.images.similar_words("  ")


def test_cli_images(svc, marks_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    home = str(svc.settings.home)
    assert (
        main(["--home", home, "--no-progress", "images", "index", "--no-store", "--dir", str(marks_dir)]) == 0
    )
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["unreadable"] == 1
    assert main(["--home", home, "images", "search", str(marks_dir / "adobe-icon.svg"), "--top", "2"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [h["id"] for h in out["hits"]] == ["adobe-icon.svg", "adobe.svg"]
    assert main(["--home", home, "images", "search", str(marks_dir / "readme.txt")]) == 2
    assert "unsupported image format '.txt'" in capsys.readouterr().err


def test_api_and_web(svc, marks_dir: Path) -> None:  # type: ignore[no-untyped-def]
    svc.images.index_images("mark", dirs=[marks_dir], from_store=False)
    svc.settings.image_max_mb = 0.05
    with with_csrf(TestClient(create_app(service=svc))) as client:
        svg = (marks_dir / "airbnb-icon.svg").read_bytes()
        r = client.post(
            "/api/v1/images/search", files={"file": ("q.svg", svg, "image/svg+xml")}, data={"top": "3"}
        )
        assert r.status_code == 200 and r.json()["hits"][1]["id"] == "airbnb.svg"
        r = client.post("/api/v1/images/search", files={"file": ("q.png", b"garbage", "image/png")})
        assert r.status_code == 400 and r.json()["ok"] is False and r.json()["errors"][0]["field"] == "file"
        r = client.post("/api/v1/images/search", files={"file": ("q.doc", b"PK\x03\x04word", "x")})
        assert r.status_code == 400 and "unsupported image format" in r.json()["error"]
        big = b"<svg xmlns='http://www.w3.org/2000/svg'>" + b" " * 60_000 + b"</svg>"
        r = client.post("/api/v1/images/search", files={"file": ("big.svg", big, "image/svg+xml")})
        assert r.status_code == 413 and r.json()["status"] == 413
        thumb = client.get("/api/v1/images/mark/thumbnail", params={"id": "airbnb.svg"})
        assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/png"
        assert client.get("/api/v1/images/mark/thumbnail", params={"id": "nope"}).status_code == 404
        page = client.get("/images?lang=zh")
        assert page.status_code == 200 and "近似商标与外观设计" in page.text
        r = client.post("/images", files={"file": ("q.svg", svg, "image/svg+xml")}, data={"kind": "mark"})
        assert r.status_code == 200 and r.text.count('data-testid="image-hit"') == 20
        assert 'data-testid="query-image"' in r.text and "data:image/png;base64," in r.text
        r = client.post("/images", files={"file": ("q.png", b"garbage", "image/png")}, data={"kind": "mark"})
        assert (
            r.status_code == 400 and "q.png：无法识别为图像文件" in r.text
        )  # the page's language (zh, from the cookie)
        assert client.get("/images/mark/thumbnail", params={"id": "airbnb.svg"}).status_code == 200
