"""Bad input on real files: a truncated XML document, a CSV with a broken row and a file of
unknown format each give a message naming the file and the record; the valid records load;
what the store held before is intact."""

from __future__ import annotations

import csv
import json
from pathlib import Path


def _rejects(summary) -> list[dict]:
    return [json.loads(x) for x in Path(summary.rejects_file).read_text(encoding="utf-8").splitlines()]


def test_bad_files_reject_records_not_the_store(service, shared_data: Path, tmp_path: Path) -> None:
    service.corpus.ingest([shared_data / "epo-xml-samples"])
    before = {d.id: d for d in service.store.iter_documents()}
    assert len(before) == 33

    # a USPTO bulk file whose first document is cut off half way, followed by a good one
    xml = shared_data / "uspto-xml-samples/xml2014"
    first = (xml / "US08926509.xml").read_bytes()
    bulk = tmp_path / "ipg150106.xml"
    bulk.write_bytes(first[: len(first) // 2] + b"\n" + (xml / "US08930553.xml").read_bytes())

    # a PatentsView CSV with one row that has lost its quoting (too many fields)
    with open(
        shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", encoding="utf-8", newline=""
    ) as f:
        rows = list(csv.reader(f))[:41]
    bad = next(i for i in range(5, 41) if "," in rows[i][0])  # a data row whose abstract has commas
    broken = tmp_path / "baseball_patent_query.csv"
    with open(broken, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerows(rows[:bad])
        fh.write(",".join(rows[bad]) + "\n")  # unquoted: the abstract's commas now split the row
        w.writerows(rows[bad + 1 :])

    unknown = tmp_path / "scan.dat"
    unknown.write_bytes(b"%PDF-1.4 not a patent export")

    s = service.corpus.ingest([bulk, broken, unknown])
    rejects = _rejects(s)
    assert s.rejected == 3 and s.loaded == 1 + 39
    by_file = {Path(r["file"]).name: r for r in rejects}
    xml_rej = by_file["ipg150106.xml"]
    assert xml_rej["record"].startswith("document 1 (US08926509)") and "XML syntax error" in xml_rej["reason"]
    csv_rej = by_file["baseball_patent_query.csv"]
    assert csv_rej["record"].startswith(f"row {bad}") and "field" in csv_rej["reason"]
    assert by_file["scan.dat"]["record"] is None and "unknown format" in by_file["scan.dat"]["reason"]
    assert service.store.get_document("US8930553B") is not None
    assert service.store.get_document("US8926509B") is None

    after = {d.id: d for d in service.store.iter_documents()}
    assert all(after[i] == d for i, d in before.items())
