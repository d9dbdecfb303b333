"""Ingest limits (issue 19, defect 4): a record over ``ingest_max_record_mb`` is rejected by name
while it is read — never loaded — and the rest of its file goes on; zips over the member, size or
expansion limits are refused whole with the reason. The memory tests ingest a 200 MB hostile input
in a subprocess and bound its peak RSS against the same subprocess ingesting a tiny file."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipai.service import Service
from ipai.settings import load_settings
from tests.conftest import subset_csv

LIMIT_MB = 0.05  # 52,428 bytes: small enough to build oversized records of real data cheaply
HOSTILE_MB = 200
# A 200 MB record read whole costs the old readers 3-4x its size (875 MB and 675 MB peak measured
# before the limit); streaming with the default 16 MB limit keeps one capped line or block: about
# +20 MB. Half the hostile input is the bound, far from both.
RSS_BOUND_MB = HOSTILE_MB / 2

CHILD = """
import json, resource, sys
from collections.abc import Iterator
from pathlib import Path
from ipai.service import Service
from ipai.settings import load_settings
home, path, fmt = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] or None
svc = Service(load_settings(home=home, progress=False))
s = svc.corpus.ingest([path], fmt=fmt)
rejects = [r.to_json() for r in svc.store.rejects_for(job_id=s.job_id)]
svc.close()
print(json.dumps({"loaded": s.loaded, "rejects": rejects,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _patent(number: str, title: str = "a widget") -> dict[str, Any]:
    return {
        "record_type": "patent",
        "pubno": {"country": "US", "number": number, "kind": "B2"},
        "titles": {"en": title},
    }


def _ingest_in_child(tmp_path: Path, name: str, path: Path, fmt: str = "") -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / f"home-{name}"), str(path), fmt],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The child ingesting one tiny record: the RSS of the interpreter, ipai and the store."""
    d = tmp_path_factory.mktemp("rss-baseline")
    tiny = d / "tiny.jsonl"
    tiny.write_text(json.dumps(_patent("9000002")) + "\n")
    return _ingest_in_child(d, "tiny", tiny)


def _hostile_jsonl(path: Path) -> None:
    """One 200 MB line (a patent whose title is 200 MB), then a normal record."""
    with path.open("w") as f:
        f.write(
            '{"record_type":"patent","pubno":{"country":"US","number":"9000001","kind":"B2"},"titles":{"en":"'
        )
        chunk = "x" * (1 << 20)
        for _ in range(HOSTILE_MB):
            f.write(chunk)
        f.write('"}}\n' + json.dumps(_patent("9000002")) + "\n")


def test_a_200_mb_jsonl_line_is_rejected_by_name_in_bounded_memory(
    tmp_path: Path, baseline: dict[str, Any]
) -> None:
    big = tmp_path / "hostile.jsonl"
    _hostile_jsonl(big)
    res = _ingest_in_child(tmp_path, "line", big)
    assert res["loaded"] == 1  # the record after it still loads
    [reject] = res["rejects"]
    assert reject["record"] == "line 1 (US9000001B2)"
    assert "16 MB limit" in reject["reason"] and "ingest_max_record_mb" in reject["reason"]
    grown = res["peak_mb"] - baseline["peak_mb"]
    assert grown < RSS_BOUND_MB, (res["peak_mb"], baseline["peak_mb"])


def test_a_200_mb_sparse_file_forced_as_xml_is_dropped_in_bounded_memory(
    tmp_path: Path, baseline: dict[str, Any]
) -> None:
    sparse = tmp_path / "sparse.xml"
    with sparse.open("wb") as f:
        f.truncate(HOSTILE_MB << 20)
    res = _ingest_in_child(tmp_path, "sparse", sparse, "uspto-xml")
    assert res["loaded"] == 0
    [reject] = res["rejects"]
    assert reject["record"] == "document 1" and "(200 MB; setting ingest_max_record_mb)" in reject["reason"]
    assert res["peak_mb"] - baseline["peak_mb"] < RSS_BOUND_MB, (res["peak_mb"], baseline["peak_mb"])


# ---- every kind of reader: the oversized record is named, the others load -------------------------------
@pytest.fixture()
def small(tmp_path: Path) -> Iterator[Service]:
    svc = Service(load_settings(home=tmp_path / "home", progress=False, ingest_max_record_mb=LIMIT_MB))
    yield svc
    svc.close()


def _rejects(svc: Service, summary: Any) -> list[dict[str, Any]]:
    return [r.to_json() for r in svc.store.rejects_for(job_id=summary.job_id)]


def test_canonical_jsonl(small: Service, tmp_path: Path) -> None:
    f = tmp_path / "records.jsonl"
    lines = [_patent("9000001"), _patent("9000002", "x" * 60_000), _patent("9000003")]
    f.write_text("".join(json.dumps(r) + "\n" for r in lines))
    s = small.corpus.ingest([f])
    assert s.loaded == 2 and [r["record"] for r in _rejects(small, s)] == ["line 2 (US9000002B2)"]
    assert small.store.count_documents() == 2


def test_csv_field_over_the_limit(small: Service, shared_data: Path, tmp_path: Path) -> None:
    f = subset_csv(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", tmp_path / "bb.csv", 5)
    rows = f.read_text(encoding="utf-8").splitlines(keepends=True)
    rows[2] = '"' + "a very long abstract " * 3000 + '"' + rows[2][rows[2].index('",') + 1 :]
    f.write_text("".join(rows), encoding="utf-8")
    s = small.corpus.ingest([f])
    rejects = _rejects(small, s)
    assert s.loaded == 4 and [r["record"] for r in rejects] == ["row 2"]
    assert "ingest_max_record_mb" in rejects[0]["reason"]


def test_lens_csv_row_over_the_limit(small: Service, shared_data: Path, tmp_path: Path) -> None:
    lines = (
        (shared_data / "landscape-lens-patentscope/pizza_lens_1000_raw.csv")
        .read_bytes()
        .splitlines(keepends=True)
    )
    head, rows = lines[0], lines[1:6]
    cells = rows[1].split(b",")
    cells[9] = b"PIZZA " * 12_000  # the title
    f = tmp_path / "lens.csv"
    f.write_bytes(head + rows[0] + b",".join(cells) + b"".join(rows[2:]))
    s = small.corpus.ingest([f])
    rejects = _rejects(small, s)
    assert s.loaded == 4 and [r["record"] for r in rejects] == ["row 2"], rejects


def test_xml_document_of_a_bulk_file(small: Service, shared_data: Path, tmp_path: Path) -> None:
    samples = shared_data / "uspto-xml-samples"
    a = (samples / "xml2014" / "US08930553.xml").read_bytes()
    b = (samples / "xml2004" / "US06970935.xml").read_bytes()
    c = (samples / "xmlApp2004" / "US20050004437A1.xml").read_bytes()
    end = b.index(b"</us-patent-grant>")
    b = b[:end] + b"<!-- " + b"padding " * 10_000 + b" -->\n" + b[end:]
    f = tmp_path / "ipg-bulk.xml"
    f.write_bytes(a + b + c)
    s = small.corpus.ingest([f])
    rejects = _rejects(small, s)
    assert s.loaded == 2 and [r["record"] for r in rejects] == ["document 2 (US06970935)"]
    assert small.resolve("US8930553").id == "US8930553B" and small.resolve("US20050004437A")


def test_epo_document_of_a_bulk_file(shared_data: Path, tmp_path: Path) -> None:
    grants = shared_data / "epo-xml-samples" / "grant"
    docs = [(grants / n).read_bytes() for n in ("v1-4-B1.xml", "v1-3-B1.xml", "v1-2-B1.xml")]
    limit = 2 * max(map(len, docs))
    end = docs[1].index(b"</ep-patent-document>")
    docs[1] = docs[1][:end] + b"<!-- " + b"padding " * (limit // 4) + b" -->" + docs[1][end:]
    f = tmp_path / "ep-bulk.xml"
    f.write_bytes(b"\n".join(docs))
    svc = Service(
        load_settings(home=tmp_path / "home", progress=False, ingest_max_record_mb=limit / (1 << 20))
    )
    try:
        s = svc.corpus.ingest([f])
        rejects = _rejects(svc, s)
        assert s.loaded == 2 and len(rejects) == 1, rejects
        assert (
            rejects[0]["record"] == "document 2 (EP1654642B1)"
            and "ingest_max_record_mb" in rejects[0]["reason"]
        )
    finally:
        svc.close()


# ---- zips --------------------------------------------------------------------------------------------------
def test_zip_bomb_and_oversized_zips_are_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(_patent("9000009")) + "\n")
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.jsonl", b"\0" * (50 << 20))  # 50 MB that compress to ~50 KB
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(12):
            zf.writestr(f"r{i}.jsonl", json.dumps(_patent(str(9100000 + i))) + "\n")
    svc = Service(load_settings(home=tmp_path / "home", progress=False, ingest_max_zip_members=10))
    try:
        s = svc.corpus.ingest([bomb, many, good])
        reasons = {Path(r["file"]).name: r["reason"] for r in _rejects(svc, s)}
        assert s.loaded == 1 and s.rejected == 2
        assert reasons["bomb.zip"].startswith("zip refused as a zip bomb: member 'zeros.jsonl' expands")
        assert "ingest_max_zip_ratio" in reasons["bomb.zip"]
        assert "12 members, more than the limit of 10 (setting ingest_max_zip_members)" in reasons["many.zip"]
    finally:
        svc.close()
    svc = Service(load_settings(home=tmp_path / "home2", progress=False, ingest_max_zip_mb=0.001))
    try:
        s = svc.corpus.ingest([many])
        [r] = _rejects(svc, s)
        assert s.loaded == 0 and "setting ingest_max_zip_mb" in r["reason"]
    finally:
        svc.close()
