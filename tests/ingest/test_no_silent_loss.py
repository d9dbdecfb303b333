"""No silent loss: a folder of mixed files — every new office format, gzip (concatenated members),
a zip inside a zip, a README, an image, a broken XML, an unknown file — and every file is
accounted for: stored documents, a reject naming file and record, or a "skipped: not a record
format" line. Forcing a format never makes a file vanish either."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import zipfile
from pathlib import Path

from ipai.ingest.registry import expand

OX = "office-xml-samples"


def _lines(summary) -> list[dict]:
    return [json.loads(x) for x in Path(summary.rejects_file).read_text(encoding="utf-8").splitlines()]


def _stored_files(service) -> set[str]:
    return {src["file"] for _, srcs in service.store.iter_source_rows() for src in srcs}


def _mixed_folder(shared_data: Path, d: Path) -> Path:
    d.mkdir()
    for rel in (
        "cnipa-xml/cn_old1.xml",
        "epo-docdb-xml/WO-2022259205-A1_544370561.xml",
        "epo-ops-xml/testdata_family.xml",
        "jpo-xml/jp_example1.xml",
        "wipo-st96-xml/PatentPublication_Example.xml",
    ):
        shutil.copy(shared_data / OX / rel, d / Path(rel).name)
    bulk = (shared_data / OX / "epo-docdb-xml/DE-backfile.xml").read_bytes()
    cut = bulk.index(b"<exch:exchange-document", 4000)  # two gzip members, cut inside the wrapper
    (d / "DE-backfile.xml.gz").write_bytes(gzip.compress(bulk[:cut]) + gzip.compress(bulk[cut:]))
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.write(shared_data / OX / "jpo-xml/jp_example2.xml", "gazette/jp_example2.xml")
        zf.writestr("gazette/README.md", "# JPO sample\n")
    with zipfile.ZipFile(d / "outer.zip", "w") as zf:
        zf.writestr("nested/inner.zip", inner.getvalue())
    cn = (shared_data / OX / "cnipa-xml/cn_new1.xml").read_bytes()
    (d / "broken_cn.xml").write_bytes(cn[: len(cn) // 2])  # cut in the middle of the description
    (d / "README.md").write_text("# samples\n", encoding="utf-8")
    shutil.copy(next((shared_data / "car-logos-thumb").rglob("*.png")), d / "logo.png")
    (d / "notes.txt").write_text("minutes of the meeting, not a patent record\n", encoding="utf-8")
    return d


def test_every_file_of_a_mixed_folder_is_accounted_for(service, shared_data: Path, tmp_path: Path) -> None:
    folder = _mixed_folder(shared_data, tmp_path / "in")
    s = service.corpus.ingest([folder])
    lines = _lines(s)
    by_file: dict[str, list[dict]] = {}
    for r in lines:
        by_file.setdefault(r["file"], []).append(r)
    stored = _stored_files(service)
    names = [src.name for src in expand([folder])]
    assert len(names) == 12
    assert [n for n in names if n not in stored and n not in by_file] == []  # nothing vanished

    # the gzip (two concatenated members) and the zip inside the zip load like plain files
    gz = str(folder / "DE-backfile.xml.gz")
    assert gz in stored and service.store.get_document("DE1258197B").family_id == "9678135"
    nested = f"{folder / 'outer.zip'}!nested/inner.zip!gazette/jp_example2.xml"
    assert nested in stored and service.store.get_document("JP2021044249A") is not None
    for rel in ("CN104223352A", "WO2022259205A", "US9876543B", "JP2021044377A", "US8936998B"):
        assert service.store.get_document(rel) is not None, rel

    broken = by_file[str(folder / "broken_cn.xml")]
    assert broken[0]["record"] == "document 1 (CN113781974A)"
    assert "not well-formed XML" in broken[0]["reason"] and "XML 格式错误" in broken[0]["reason"]
    for name in ("README.md", "logo.png", "notes.txt"):
        [line] = by_file[str(folder / name)]
        assert line["reason"].startswith("skipped: not a record format") and "已跳过" in line["reason"]
    assert by_file[f"{folder / 'outer.zip'}!nested/inner.zip!gazette/README.md"][0]["reason"].startswith(
        "skipped"
    )
    assert s.rejected == 1 and s.skipped == 4


def test_a_forced_format_never_loses_a_file(service, shared_data: Path) -> None:
    folder = shared_data / OX / "epo-docdb-xml"
    s = service.corpus.ingest([folder], fmt="epo-xml")  # DOCDB read as EP publication XML: wrong, but said
    files = {r["file"] for r in _lines(s)}
    assert files == {str(f) for f in folder.iterdir()}
    assert s.loaded == 0 and s.rejected == 2
    reasons = " ".join(r["reason"] for r in _lines(s))
    assert "no records found" in reasons and "未找到任何记录" in reasons


def test_a_copy_of_a_loaded_file_gets_a_line(service, shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / OX / "jpo-xml/jp_example1.xml"
    copy = tmp_path / "copy_of_jp.xml"
    shutil.copy(src, copy)
    service.corpus.ingest([src])
    s = service.corpus.ingest([copy])
    [line] = _lines(s)
    assert line["file"] == str(copy) and "same content" in line["reason"] and str(src) in line["reason"]
