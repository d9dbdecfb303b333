"""Query files: the shared TSV rules, filters, regexes and the repository's own query files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipai.errors import InputError
from ipai.evals.multi_concept import parse_concepts
from ipai.evals.queryfile import compile_regex, parse_filters, query_language, read_queries

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "evals" / "queries"


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "q.tsv"
    p.write_text(text, encoding="utf-8")
    return p


def test_rows_comments_filters_and_split(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "# a comment\nQuery\tlang\ton_topic\tsplit\tcc\textra\n\n"
        "无人机\ten\tdrone|uav\tdev\tUS\tkept\n"
        "battery\t\t电池\ttest\t\t\n",
    )
    rows = read_queries(p, ("query", "lang", "on_topic"))
    assert [r.query for r in rows] == ["无人机", "battery"]
    assert rows[0].filters == {"lang": "en", "cc": "US"} and rows[1].filters == {}
    assert rows[0].query_lang == "zh" and rows[1].query_lang == "en"
    assert rows[0].line == 4 and rows[0].extra == {"on_topic": "drone|uav", "extra": "kept"}
    assert [r.query for r in read_queries(p, ("query",), split="test")] == ["battery"]


def test_filters_column_and_errors(tmp_path: Path) -> None:
    assert parse_filters("cc=US; lang=en ;year_from=2015") == {"cc": "US", "lang": "en", "year_from": "2015"}
    assert parse_filters("") == {}
    with pytest.raises(InputError, match="unknown filter 'country'"):
        parse_filters("country=US", "f:3")
    with pytest.raises(InputError, match="not name=value"):
        parse_filters("cc", "f:3")
    with pytest.raises(InputError, match="header lacks column"):
        read_queries(_write(tmp_path, "query\tfilters\nx\t\n"), ("query", "filters", "expect"))
    with pytest.raises(InputError, match=r"q.tsv:2: bad regular expression"):
        compile_regex("drone(", f"{tmp_path / 'q.tsv'}:2")
    with pytest.raises(InputError, match="no queries in split 'test'"):
        read_queries(_write(tmp_path, "query\tsplit\nx\tdev\n"), ("query",), split="test")


def test_regexes_are_case_insensitive() -> None:
    assert compile_regex("drone|UAV", "x").search("Unmanned UAV")
    assert [c.pattern for c in parse_concepts("drone|uav; batter ;", "x")] == ["drone|uav", "batter"]


def test_query_language_by_script() -> None:
    assert query_language("无人机 battery") == "zh"
    assert query_language("ドローン") == "ja"
    assert query_language("드론") == "ko"
    assert query_language("drone battery") == "en"


@pytest.mark.parametrize(
    "name,required,minimum",
    [
        ("topical-zh-en.tsv", ("query", "lang", "on_topic"), 24),
        ("topical-en-zh.tsv", ("query", "lang", "on_topic"), 24),
        ("multi-concept.tsv", ("query", "filters", "concepts"), 20),
    ],
)
def test_repository_query_files(name: str, required: tuple[str, ...], minimum: int) -> None:
    rows = read_queries(QUERIES / name, required)
    assert len(rows) >= minimum
    assert {r.split for r in rows} == {"dev", "test"}
    for r in rows:
        for rx in (r.cols.get("on_topic") or r.cols["concepts"]).split(";"):
            re.compile(rx)
    if name == "topical-zh-en.tsv":
        assert all(r.query_lang == "zh" and r.filters.get("lang") == "en" for r in rows)
    if name == "topical-en-zh.tsv":
        assert all(r.query_lang == "en" and r.filters.get("lang") == "zh" for r in rows)


def test_repository_filters_file() -> None:
    rows = read_queries(QUERIES / "filters.tsv", ("query", "filters", "expect"))
    nonsense = [r for r in rows if r.cols["expect"] == "none"]
    real = [r for r in rows if r.cols["expect"] == "some"]
    assert len({r.query for r in nonsense if r.filters}) >= 30
    assert len({r.query for r in nonsense if not r.filters}) >= 30
    assert len([r for r in real if r.filters]) >= 10
