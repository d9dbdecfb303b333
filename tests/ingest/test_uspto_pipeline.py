"""All USPTO full-text readers together: detection of every real sample, and the full ingest
pipeline over the sample folders (loaded once, nothing rejected, idempotent re-ingest)."""

from __future__ import annotations

from pathlib import Path

from ipai.ingest.registry import detect, expand
from tests.conftest import detected

EXPECTED = {
    "xml2004": "uspto-xml",
    "xml2006": "uspto-xml",
    "xml2014": "uspto-xml",
    "xmlApp2004": "uspto-xml",
    "pap": "uspto-pap",
    "sgml": "uspto-sgml",
    "greenbook": "uspto-aps",
    "css_brs": "uspto-brs",
}
UNSUPPORTED = {"cpcMaster", "cpcScheme", "xml4ip"}  # classification master/scheme files, file-wrapper XML
DOCS = {"uspto-xml": 8 + 41, "uspto-pap": 3, "uspto-sgml": 3, "uspto-aps": 3, "uspto-brs": 6}


def test_every_sample_detected(shared_data: Path) -> None:
    samples = shared_data / "uspto-xml-samples"
    seen = set()
    for src in expand([samples]):
        folder = src.path.relative_to(samples).parts[0]
        seen.add(folder)
        reader = detect(src)
        if folder in UNSUPPORTED:
            assert reader is None or not reader.name.startswith("uspto-"), src.name
        else:
            assert reader is not None and reader.name == EXPECTED[folder], src.name
    assert seen == set(EXPECTED) | UNSUPPORTED
    for f in sorted((shared_data / "us-design-patents").glob("*/*.XML")):
        assert detected(f) == "uspto-xml", f


def test_sniffers_leave_each_other_alone(shared_data: Path) -> None:
    from ipai.ingest.base import Source
    from ipai.ingest.registry import readers

    ours = [r for r in readers() if r.name.startswith("uspto-")]
    assert {r.name for r in ours} == set(DOCS) | {"uspto-api-json"}  # (application JSON: none of the samples)
    samples = shared_data / "uspto-xml-samples"
    for folder, fmt in EXPECTED.items():
        f = next(p for p in sorted((samples / folder).iterdir()) if p.is_file())
        scores = {r.name: r.sniff(Source(f)) for r in ours}
        assert scores[fmt] >= 95 and all(v == 0 for k, v in scores.items() if k != fmt), (f, scores)


def test_ingest_sample_folders(shared_data: Path, service) -> None:
    folders = [shared_data / "uspto-xml-samples", shared_data / "us-design-patents"]
    s = service.corpus.ingest(folders)
    assert s.rejected == 0
    assert s.by_format == DOCS
    assert s.loaded == sum(DOCS.values()) == 64
    again = service.corpus.ingest(folders)
    assert again.loaded == 0 and again.updated == 0 and again.rejected == 0
    assert again.unchanged == 64 and again.files_already_done == s.files
    doc = service.resolve("US8926509")
    assert len(doc.claims) == 31 and doc.codes("cpc")[0] == "A61B5/0205"
    design = service.resolve("USD925503")
    assert design.codes("locarno") == ["14-01"] and all(i.sha256 and not i.path for i in design.images)
    assert service.resolve("US3937375").titles["en"] == "Bumper support for a boat loader"
