"""Text hygiene at ingest: mojibake repaired, garbled texts kept out of the languages, stored
documents repaired again. Real rows of the landscape CSVs (EA201200870A, RU2014135298A) and
real clean titles in several languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ipai.ingest.base import Source
from ipai.ingest.registry import detect as detect_reader
from ipai.model import PatentDocument, dump_record, load_record, make_party, parse_pubno
from ipai.model.quality import clean_document
from ipai.service import Service
from ipai.settings import load_settings
from ipai.store import SourceRecord
from ipai.text.hygiene import looks_garbled, repair
from ipai.text.lang import detect

LANDSCAPE = "landscape-lens-patentscope"
FAMILIES = "drones_tac_1606_families.csv"  # old-Mac export: Cyrillic lost its lead bytes ("_‘_¸___»")
CLEANED = "drones_tac_1606_cleaned.csv"  # UTF-8 read as Windows-1252 ("Ð‘Ð¸Ð¾"), repairable
FULLTEXT = "drone_drones_fulltext_families_5884.csv"  # clean UTF-8
NUMBERS = (b"EA 201200870 A1", b"RU 2014135298 A")
EA_TITLE = "Биологически Активная Добавка К Пище"
RU_TITLE = "Способ Захвата Цели Лазерной Головкой Самонаведения Беспилотного Летательного Аппарата"


def _rows(src: Path, dst: Path, numbers: tuple[bytes, ...] = NUMBERS) -> Path:
    """The header and the rows naming these publication numbers, byte for byte (line ends and
    code page kept: the Mac Roman export must stay what it is)."""
    lines = src.read_bytes().splitlines(keepends=True)
    dst.write_bytes(b"".join([lines[0]] + [ln for ln in lines[1:] if any(n in ln for n in numbers)]))
    return dst


@pytest.fixture()
def rows(shared_data: Path, tmp_path: Path) -> dict[str, Path]:
    """The two documents' rows of the three landscape CSVs, each in its own folder."""
    out = {}
    for name in (FAMILIES, CLEANED, FULLTEXT):
        (tmp_path / name).mkdir()
        out[name] = _rows(shared_data / LANDSCAPE / name, tmp_path / name / name)
    return out


def _svc(home: Path) -> Service:
    return Service(load_settings(home=home, progress=False))


# ---- the text measure ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("garbled", "clean"),
    [
        ("Биологически".encode().decode("cp1252", errors="replace"), "Биологиче\ufffdки"),  # 0x81 lost
        ("Биологически".encode().decode("latin-1"), "Биологически"),
        ("Биологически".encode().decode("cp1251"), "Биологически"),
        ("Grüße aus Köln".encode().decode("cp1252"), "Grüße aus Köln"),
        ("北京大学".encode().decode("cp1252", errors="replace"), "北京大学"),
        ("Klein-flugk\u0326rper", "Klein-flugkörper"),  # cp1252 mojibake saved as Mac Roman, read as UTF-8
        (
            "Ð›ÑƒÐºÐ°ÑˆÐ¾Ð² Ð’Ð¸ÐºÑ‚Ð¾Ñ€ Ð\x90Ð»ÐµÐºÑ\x81Ð°Ð½Ð´Ñ€Ð¾Ð²Ð¸Ñ",  # as in the cleaned export: C1 bytes
            "Лукашов Виктор Александрови\ufffd",
        ),  # kept, cut inside the last letter: marked, not guessed
    ],
)
def test_double_encoded_text_is_repaired(garbled: str, clean: str) -> None:
    assert looks_garbled(garbled)
    r = repair(garbled)
    assert (r.text, r.changed, r.unrepairable) == (clean, True, False)
    assert not looks_garbled(r.text)
    assert repair(r.text).changed is False  # idempotent


def test_lost_bytes_are_flagged_not_repaired(shared_data: Path, tmp_path: Path) -> None:
    from ipai.ingest.registry import reader_by_name

    path = _rows(shared_data / LANDSCAPE / FAMILIES, tmp_path / FAMILIES)
    reader = reader_by_name("lens-csv")
    titles = {i.record.id: i.record.titles for i in reader.read(Source(path))}
    assert set(titles) == {"EA201200870A", "RU2014135298A"}
    for doc_id, t in titles.items():
        assert list(t) == ["en"], "the reader's own guess on the garbled title"
        r = repair(t["en"])
        assert r.unrepairable and looks_garbled(t["en"]), doc_id
    # one lost letter in a readable title is damage, not garble
    assert not looks_garbled("Schwenkbare Schubd\ufffdse Eines Flugtriebwerkes")
    assert not looks_garbled("a plurality of P \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd wells; a first P")


def _clean_docs(shared_data: Path) -> list[PatentDocument]:
    docs = []
    for rel in (
        "covid-patents-lens-biblio/Coronavirus-CPC-based-patents.jsonl",
        "cn-patent-titles-ipc/titles_ipc.csv",
        "landscape-lens-patentscope/ritonavir.csv",
    ):
        src = Source(shared_data / rel)
        docs += [i.record for i in detect_reader(src).read(src) if i.record is not None]
    for path in sorted((shared_data / "epo-xml-samples").rglob("*.xml")):
        src = Source(path)
        docs += [i.record for i in detect_reader(src).read(src) if i.record is not None]
    return docs


def test_clean_real_text_is_left_alone(shared_data: Path) -> None:
    docs = _clean_docs(shared_data)
    langs = {lang for d in docs for lang in d.titles}
    assert {"en", "de", "fr", "ja", "ko", "ru", "zh"} <= langs
    texts = [t for d in docs for t in [*d.titles.values(), *d.abstracts.values()]]
    assert len(texts) > 10_000
    assert [t for t in texts if looks_garbled(t) or repair(t).changed] == []
    # titles, abstracts, claims, description paragraphs and names: nothing to do, same objects back
    assert [d.id for d in docs if clean_document(d) is not d] == []


# ---- ingest -------------------------------------------------------------------------------------
def test_unrepairable_titles_are_flagged_not_english(rows: dict[str, Path], tmp_path: Path) -> None:
    svc = _svc(tmp_path / "home")
    assert svc.corpus.ingest([rows[FAMILIES]]).loaded == 2
    for doc_id in ("EA201200870A", "RU2014135298A"):
        doc = svc.store.get_document(doc_id)
        assert list(doc.titles) == ["und"] and doc.title == doc.titles["und"]
        assert doc.languages == []
        assert {"garbled-title", "garbled-inventors"} <= set(doc.quality_flags)
    assert "en" not in svc.stats()["by_language"]
    svc.close()


def test_ingest_repairs_and_keys_by_the_repaired_language(rows: dict[str, Path], tmp_path: Path) -> None:
    svc = _svc(tmp_path / "all")
    svc.corpus.ingest([rows[FAMILIES].parent, rows[CLEANED].parent, rows[FULLTEXT].parent])
    ea = svc.store.get_document("EA201200870A")
    assert ea.titles == {"ru": EA_TITLE} and ea.languages == ["ru"]
    assert "garbled-title" not in ea.quality_flags
    ru = svc.store.get_document("RU2014135298A")
    assert ru.titles == {"ru": RU_TITLE} and ru.languages == ["ru"]
    # the cleaned export's inventor (cut inside the last letter) beats the lossy Mac Roman one
    assert [p.name for p in ru.inventors] == ["Лукашов Виктор Александрови\ufffd"]
    assert ru.quality_flags == ["garbled-applicants"]  # only the lossy export names the applicant
    # the repaired cleaned export alone already keys the title "ru"
    one = _svc(tmp_path / "cleaned")
    one.corpus.ingest([rows[CLEANED]])
    assert one.store.get_document("RU2014135298A").titles == {"ru": RU_TITLE}
    # order of files does not matter
    other = _svc(tmp_path / "reverse")
    for name in (FULLTEXT, CLEANED, FAMILIES):
        other.corpus.ingest([rows[name]])
    assert other.store.get_document("RU2014135298A") == ru
    assert other.store.get_document("EA201200870A") == ea
    for s in (svc, one, other):
        s.close()


def test_flags_survive_the_canonical_round_trip() -> None:
    doc = clean_document(
        PatentDocument(
            pubno=parse_pubno("RU2014135298A"), titles={"en": "_‘_¸___»_____¸Ñ‡_µÑ�º_¸ _ê_ºÑ‚_¸_____°Ñè"}
        )
    )
    assert list(doc.titles) == ["und"] and doc.quality_flags == ["garbled-title"]
    line = dump_record(doc)
    assert '"quality_flags":["garbled-title"]' in line and load_record(line) == doc
    clean = PatentDocument(pubno=parse_pubno("US8926509B2"), titles={"en": "A title"})
    assert "quality_flags" not in dump_record(clean)  # records without flags are written as before


# ---- stores written before the hygiene ------------------------------------------------------------
def _pre_hygiene_ingest(svc: Service, paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest as the pipeline did before the text hygiene existed (records stored as read)."""
    import ipai.ingest.pipeline as pipeline
    import ipai.store.merge as merge

    with monkeypatch.context() as m:
        m.setattr(pipeline, "clean_document", lambda d: d)
        m.setattr(merge, "clean_document", lambda d: d)
        svc.corpus.ingest(paths)


def test_forced_reingest_repairs_an_old_store(
    rows: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ipai.cli import main

    home = tmp_path / "old"
    svc = _svc(home)
    _pre_hygiene_ingest(svc, [rows[FAMILIES], rows[CLEANED]], monkeypatch)
    before = svc.store.get_document("RU2014135298A")
    assert "en" in before.titles and before.languages == ["en"]  # the bug
    again = svc.corpus.ingest([rows[FAMILIES], rows[CLEANED]])
    assert (again.files_already_done, again.updated) == (2, 0)  # unchanged files are skipped
    svc.close()
    assert main(["--home", str(home), "ingest", "--force", str(rows[FAMILIES]), str(rows[CLEANED])]) == 0
    svc = _svc(home)
    ru = svc.store.get_document("RU2014135298A")
    assert ru.titles == {"ru": RU_TITLE} and ru.languages == ["ru"]
    assert svc.store.get_document("EA201200870A").titles == {"ru": EA_TITLE}
    svc.close()


def test_repair_text_repairs_a_store_written_directly(
    rows: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ipai.store.merge as merge
    from ipai.cli import main
    from ipai.ingest.registry import reader_by_name

    home = tmp_path / "direct"
    svc = _svc(home)
    # the documents as an old ingest stored them: the reader's records, written straight into the
    # store and merged the old way
    with monkeypatch.context() as m:
        m.setattr(merge, "clean_document", lambda d: d)
        for name, fmt, prio in ((FAMILIES, "lens-csv", 40), (CLEANED, "lens-csv-cleaned", 38)):
            recs = [i.record for i in reader_by_name(fmt).read(Source(rows[name]))]
            svc.store.write_batch(
                [
                    SourceRecord(
                        record=r,
                        source=f"{fmt}:{name}#{r.pubno.kind}",
                        format=fmt,
                        priority=prio,
                        file=str(rows[name]),
                    )
                    for r in recs
                ],
                job_id=None,
            )
    lone = PatentDocument(
        pubno=parse_pubno("SU1234567A1"),
        titles={"en": "Ð¡Ð¿Ð¾Ñ\x81Ð¾Ð±"},
        inventors=[make_party("Ð›ÑƒÐºÐ°ÑˆÐ¾Ð²")],
    )
    svc.store.write_batch(
        [SourceRecord(record=lone, source="canonical:x.jsonl", format="canonical", priority=90)], job_id=None
    )
    assert svc.store.get_document("EA201200870A").languages == ["en"]  # the bug: Russian read as English
    assert svc.store.get_document("SU1234567A").titles == lone.titles
    seq = svc.store.max_seq()
    dry = svc.corpus.repair_text(dry_run=True)
    assert dry.sources_repaired == 5 and svc.store.max_seq() == seq  # nothing written
    svc.close()

    assert main(["--home", str(home), "repair-text"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["checked"], summary["updated"]) == (3, 3)
    svc = _svc(home)
    assert svc.store.count_changed(seq) == 3  # the search index refresh picks them up
    ea = svc.store.get_document("EA201200870A")
    assert ea.titles == {"ru": EA_TITLE} and ea.languages == ["ru"]
    assert svc.store.get_document("RU2014135298A").titles == {"ru": RU_TITLE}
    su = svc.store.get_document("SU1234567A")
    assert su.titles == {"ru": "Способ"} and su.inventors[0].name == "Лукашов"
    assert su.inventors[0].name_norm == make_party("Лукашов").name_norm
    assert detect(su.titles["ru"]) == "ru"
    assert svc.corpus.repair_text().sources_repaired == 0  # a second run finds nothing
    svc.close()


@pytest.mark.parametrize(
    ("lang", "note", "label"),
    [
        ("en", "could not be repaired (Title, Applicants, Inventors)", "Unreadable"),
        ("zh", "无法修复（标题、申请人、发明人）", "无法识别"),
    ],
)
def test_document_page_says_the_text_is_garbled(
    rows: dict[str, Path], tmp_path: Path, lang: str, note: str, label: str
) -> None:
    from fastapi.testclient import TestClient

    from ipai.api import create_app
    from tests.web.helpers import one, parse, text

    svc = _svc(tmp_path / "web")
    svc.corpus.ingest([rows[FAMILIES]])
    with TestClient(create_app(service=svc)) as client:
        page = parse(client.get(f"/doc/RU2014135298A?lang={lang}").text)
    assert note in text(one(page, "doc-garbled"))
    assert text(one(page, "title-und")).startswith(label)
    svc.close()


def test_stored_sources_are_read_back_and_repaired_on_every_backend(store_url: Any) -> None:
    from ipai.ingest.repair import repair_stored
    from ipai.store import open_store

    store = open_store(store_url())
    mojibake = "Ð¡Ð¿Ð¾Ñ\x81Ð¾Ð± Ð—Ð°Ñ…Ð²Ð°Ñ‚Ð° Ð¦ÐµÐ»Ð¸"
    alone = PatentDocument(pubno=parse_pubno("SU1A"), titles={"en": mojibake})
    pair = [
        PatentDocument(pubno=parse_pubno("SU2A"), titles={"en": mojibake}),
        PatentDocument(pubno=parse_pubno("SU2A"), titles={"en": "Method of target capture"}),
    ]
    store.write_batch([SourceRecord(record=alone, source="a:x", format="a", priority=40)], job_id=None)
    store.write_batch(
        [
            SourceRecord(record=d, source=f"{n}:x", format=n, priority=p)
            for d, n, p in zip(pair, ("a", "b"), (40, 30), strict=False)
        ],
        job_id=None,
    )
    rows = dict(store.iter_source_rows(batch=1))
    assert [r["source"] for r in rows["SU2A"]] == ["a:x", "b:x"]  # highest priority first
    assert load_record(rows["SU1A"][0]["data"]).titles == {"en": mojibake}  # the document's own text
    assert load_record(rows["SU2A"][1]["data"]).titles == {"en": "Method of target capture"}
    summary = repair_stored(store)
    assert (summary.checked, summary.sources_repaired) == (2, 2)
    assert store.get_document("SU1A").titles == {"ru": "Способ Захвата Цели"}
    assert store.get_document("SU2A").titles == {
        "ru": "Способ Захвата Цели",
        "en": "Method of target capture",
    }
    assert repair_stored(store).sources_repaired == 0
    store.close()
