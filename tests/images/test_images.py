"""Image similarity on real marks and design drawings: reading, features, index, search, evaluation."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from ipai.errors import FormatError, TooLarge
from ipai.evals.images import eval_designs, eval_logos
from ipai.images import features as F
from ipai.images.extract import extract
from ipai.images.index import ImageIndex
from ipai.images.rasterise import load_image
from ipai.images.search import rank
from ipai.images.words import compare, similar_words

DESIGN = "us-design-patents/USD0908314-20210126/USD0908314-20210126-D00001.TIF"


@pytest.fixture(scope="module")
def logos(shared_data: Path) -> Path:
    return shared_data / "logos-svg" / "logos"


def test_reads_svg_png_and_tif(logos: Path, shared_data: Path) -> None:
    svg = load_image(logos / "adobe.svg")
    assert svg.format == "svg" and max(svg.rgb.shape[:2]) == 320 and svg.rgb.shape[1] > 3 * svg.rgb.shape[0]
    # Adobe's red: the mark's pixels are mostly red
    red = svg.rgb[svg.mask]
    assert (red[:, 0] > 200).mean() > 0.3 and 0.05 < svg.mask.mean() < 0.9
    png = load_image(shared_data / "car-logos-thumb" / "thumb" / "abarth.png")
    assert png.format == "png" and png.mask.any()
    tif = load_image(shared_data / DESIGN)
    assert tif.format == "tiff" and (tif.width, tif.height) == (1210, 1465) and 0 < tif.mask.mean() < 0.2


def test_bad_images_get_clear_errors(tmp_path: Path, logos: Path) -> None:
    with pytest.raises(FormatError, match="not a readable image"):
        load_image(b"\x00\x01garbage bytes", "x.png")
    with pytest.raises(FormatError, match="unsupported image format '.json'"):
        load_image(b'{"a": 1}', "marks.json")
    with pytest.raises(FormatError, match="cannot be read"):
        load_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "truncated.png")
    with pytest.raises(FormatError, match="SVG cannot be rendered"):
        load_image(b"<svg xmlns='http://www.w3.org/2000/svg'><path d=", "broken.svg")
    with pytest.raises(FormatError, match="empty"):
        load_image(b"", "empty.png")
    with pytest.raises(TooLarge, match="MB image limit"):
        load_image(logos / "adobe.svg", max_bytes=100)
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (9000, 8000)).save(buf, "PNG")  # 72 million pixels in a few KB
    with pytest.raises(TooLarge, match="pixels"):
        load_image(buf.getvalue(), "bomb.png")


def test_baselines_and_views(logos: Path) -> None:
    a = load_image(logos / "adobe-icon.svg")
    small = load_image(logos / "adobe-icon.svg")
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(a.rgb).resize((90, 80)).save(buf, "PNG")
    resized = load_image(buf.getvalue(), "small.png")
    assert (F.phash(a) != F.phash(small)).sum() == 0
    assert (F.phash(a) != F.phash(resized)).sum() <= 8
    full = load_image(logos / "adobe.svg")
    assert float(F.colour_histogram(a) @ F.colour_histogram(full)) > 0.8
    # the combined mark has the emblem as a separate view, which matches the emblem alone
    views = F.describe(full)
    assert views.shape[0] >= 2 and views.shape[1] == F.DIM
    assert np.allclose(np.linalg.norm(views, axis=1), 1, atol=1e-4)
    icon = F.describe(a)
    assert float((views @ icon.T).max()) > 0.9 > float(views[0] @ icon[0])


def test_index_search_filters_and_round_trip(tmp_path: Path, logos: Path, shared_data: Path) -> None:
    files = [
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
    ]
    tasks = [
        (logos / f, {"id": f, "label": f, "vienna": ["26.01.01" if "icon" in f else "27.05.01"]})
        for f in files
    ]
    tasks.append((tmp_path / "bad.png", {"id": "bad"}))
    (tmp_path / "bad.png").write_bytes(b"not an image")
    entries, errors, _ = extract(tasks, workers=1)
    assert len(entries) == len(files) and errors == [
        {"file": str(tmp_path / "bad.png"), "error": "bad.png: not a readable image (unknown content)"}
    ]
    index = ImageIndex.from_entries(entries)
    index.save(tmp_path / "idx")
    loaded = ImageIndex.load(tmp_path / "idx")
    assert len(loaded) == len(files) and loaded.items[0]["id"] == "adobe.svg"
    assert not list((tmp_path / "idx").glob("*.pkl"))
    q = F.describe(load_image(logos / "airbnb-icon.svg"))
    top = rank(loaded, q, top=3, exclude={files.index("airbnb-icon.svg")})
    assert loaded.items[top[0][0]]["id"] == "airbnb.svg"
    only_words = rank(loaded, q, top=10, classes=["27"])
    assert only_words and all(loaded.items[i]["vienna"] == ["27.05.01"] for i, _ in only_words)
    assert loaded.items[only_words[0][0]]["id"] == "airbnb.svg"


def _subset(src: Path, dst: Path, brands: int) -> Path:
    manifest = json.loads((src / "logos.json").read_text())
    multi = [b for b in manifest if len(b["files"]) > 1][:brands]
    singles = [b for b in manifest if len(b["files"]) == 1][:brands]
    (dst / "logos").mkdir(parents=True)
    for b in multi + singles:
        for f in b["files"]:
            (dst / "logos" / f).symlink_to(src / "logos" / f)
    (dst / "logos.json").write_text(json.dumps(multi + singles))
    return dst


def test_eval_logos_beats_both_baselines(tmp_path: Path, shared_data: Path) -> None:
    folder = _subset(shared_data / "logos-svg", tmp_path / "logos", 30)
    distractors = tmp_path / "distractors"
    distractors.mkdir()
    for p in sorted((shared_data / "car-logos-thumb" / "thumb").glob("*.png"))[:60]:
        (distractors / p.name).symlink_to(p)
    (distractors / "notes.txt").write_text("not an image")
    res = eval_logos(folder, distractors, workers=1)
    m = res["methods"]
    assert res["queries"] >= 60 and res["distractors"] == 60 and res["skipped_other_files"] == 1
    assert set(m) == {"views", "phash", "colour_histogram"}
    for metric in ("recall@10", "map"):
        assert m["views"][metric] > max(m["phash"][metric], m["colour_histogram"][metric])
    assert m["views"]["recall@10"] >= 0.75 and res["beats_baselines"]


def test_eval_designs_finds_sheets_of_the_same_design(tmp_path: Path, shared_data: Path) -> None:
    root = tmp_path / "designs"
    root.mkdir()
    for d in sorted(p for p in (shared_data / "us-design-patents").iterdir() if p.is_dir())[:8]:
        (root / d.name).symlink_to(d)
    res = eval_designs(root, workers=1)
    m = res["methods"]
    assert res["gallery"] > 40 and res["unreadable"] == 0
    assert m["views"]["hit@1"] > m["phash"]["hit@1"] and m["views"]["hit@1"] >= 0.6


def test_word_marks_by_spelling_sound_and_pinyin() -> None:
    assert compare("华为", "Huawei")["pinyin"] == 1.0
    assert compare("华为", "花为")["pinyin"] == 1.0  # homophone written with other characters
    assert compare("Kwik", "Quick")["sound"] > 0.9 > compare("Kwik", "Quick")["spelling"]
    marks = [
        ("1", "Huawei"),
        ("2", "SETA"),
        ("3", "Uncle Ben's"),
        ("4", "Quick"),
        ("5", "小米"),
        ("6", "Xiaomi"),
    ]
    hits = similar_words("华为", marks)
    assert hits[0].id == "1" and hits[0].reason == "pinyin" and {h.id for h in hits} == {"1"}
    assert [h.id for h in similar_words("xiao mi", marks)[:2]] == ["6", "5"]
    assert similar_words("Kwik", marks)[0].text == "Quick"
