"""Landscapes over real sets: the drones families file (Lens/PATENTSCOPE landscape data)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ipai.service import Service
from tests.conftest import corpus_service


@pytest.fixture(scope="module")
def drones(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Service:
    yield from corpus_service(
        tmp_path_factory,
        "drones",
        (shared_data / "landscape-lens-patentscope/drones_tac_1606_families.csv", None),
    )


def test_landscape_counts_agree_with_the_documents(drones: Service) -> None:
    r = drones.analytics.landscape("cc:US OR cc:EP OR cc:WO OR cc:CN OR cc:JP OR cc:KR OR drone OR unmanned")
    n = drones.store.count_documents()
    assert r["analysed"] == r["matched"] and r["documents"] == r["analysed"] > 0.5 * n
    assert sum(r["by_year"].values()) <= r["documents"]
    # recount applicants and subclasses from the stored documents directly
    apps: Counter[str] = Counter()
    subs: Counter[str] = Counter()
    for doc in drones.store.iter_documents():
        subs.update({c.code.replace(" ", "")[:4] for c in doc.classifications if c.code})
    top_sub = r["by_subclass"][0]
    assert top_sub["count"] <= subs[top_sub["key"]] and top_sub["key"] == subs.most_common(1)[0][0]
    matrix = r["applicant_technology"]
    assert len(matrix["counts"]) == len(matrix["applicants"]) and all(
        len(row) == len(matrix["subclasses"]) for row in matrix["counts"]
    )
    first = r["by_applicant"][0]
    assert first["count"] >= r["by_applicant"][-1]["count"] and first["first_year"] <= first["last_year"]
    assert all(e["weight"] >= 1 for e in r["co_applicants"]["edges"])
    assert "total" in r["timing_ms"]  # the figure itself is `ipai bench landscape`'s
    del apps
    # the forecast never comes without its backtest, and only complete years feed it
    fc = r["hotspots"]["forecast"]
    assert fc["backtest"] and fc["method"] in ("naive", "linear", "damped")
    assert max(int(y) for y in fc["history"]) <= r["hotspots"]["last_complete_year"] < fc["years"][0]
    assert all(lo <= p <= hi for lo, p, hi in zip(fc["lower"], fc["point"], fc["upper"], strict=False))


def test_landscape_filters_and_errors(drones: Service) -> None:
    all_ = drones.analytics.landscape("drone OR unmanned")
    us = drones.analytics.landscape("drone OR unmanned", filters={"cc": "US"})
    assert 0 < us["documents"] < all_["documents"]
    assert [x["key"] for x in us["by_jurisdiction"]] == ["US"]
    with pytest.raises(Exception) as exc:
        drones.analytics.landscape(" ")
    assert "empty query" in str(exc.value)


def test_landscape_api(drones: Service) -> None:
    from ipai.api import create_app

    c = TestClient(create_app(service=drones, web=False))
    body = c.get("/api/v1/landscape", params={"q": "drone", "top": 5}).json()
    assert body["ok"] and len(body["by_applicant"]) <= 5 and body["documents"] > 0
    assert c.get("/api/v1/landscape", params={"q": "ti:(drone"}).status_code == 400


def test_landscape_report_html_and_pdf(
    drones: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ipai.cli import main
    from ipai.report.html import chromium

    out, pdf = tmp_path / "drones.html", tmp_path / "drones.pdf"
    args = [
        "--home",
        str(drones.settings.home),
        "report",
        "landscape",
        "drone OR unmanned",
        "-o",
        str(out),
        "--lang",
        "zh",
    ]
    if chromium():
        args += ["--pdf", str(pdf)]
    assert main(args) == 0
    res = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    html = out.read_text(encoding="utf-8")
    assert res["documents"] > 0 and "Plotly.newPlot" in html and 'src="http' not in html
    for title in (
        "年度申请量",
        "主要申请人",
        "合作申请网络",
        "文献数（件）",
        "技术主题地图",
        "技术发展脉络",
        "技术空白点与壁垒",
        "该领域发明人",
        "主要发明人合作网络",
    ):
        assert title in html
    for chart in ("c_year", "c_topics", "c_evo", "c_ws", "c_talent"):
        assert f'id="{chart}"' in html
    if chromium():
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000


def test_company_portrait_and_strength(drones: Service) -> None:
    lead = drones.analytics.landscape("drone OR unmanned OR cc:US OR cc:EP")["by_applicant"][0]["key"]
    r = drones.analytics.company(lead)
    assert r["documents"] >= 3 and r["technology_mix"] and sum(r["by_year"].values()) <= r["documents"]
    assert all(p["key"] not in r["variants"] for p in r["partners"])
    st = r["strength"]
    assert 1 <= st["rank"] <= st["peers"] and 0 <= st["score"] <= 1
    assert set(st["percentiles"]) == {"volume", "momentum", "impact", "reach", "breadth"}
    assert [x["score"] for x in st["ranking"]] == sorted((x["score"] for x in st["ranking"]), reverse=True)
    with pytest.raises(Exception) as exc:
        drones.analytics.company("No Such Applicant Zzqx")
    assert "no documents" in str(exc.value)


def test_talent_ranks_inventors_of_relevant_documents(drones: Service) -> None:
    r = drones.analytics.talent("drone battery OR unmanned aerial vehicle", top=10)
    people = r["inventors"]
    assert people and len(people) <= 10 and r["documents"] > 0
    assert [p["score"] for p in people] == sorted((p["score"] for p in people), reverse=True)
    first = people[0]
    docs = drones.store.get_documents(first["documents_sample"])
    assert all(any(i.name == first["name"] for i in d.inventors) for d in docs.values())
    names = {p["name"] for p in people}
    assert all(e["source"] in names and e["target"] in names for e in r["network"]["edges"])


def test_white_space_and_barriers_follow_their_definitions(drones: Service) -> None:
    r = drones.analytics.landscape("drone OR unmanned OR cc:US OR cc:EP")
    w = r["whitespace"]
    assert w["cells"] > 10 and w["level"] in ("group", "subclass")
    t = w["thresholds"]
    for c in w["white_space"]:
        assert (c["growth"] or 0) >= 1.2 or c["cited_per_doc"] > t["cited_per_doc_median"]
        assert c["documents"] <= t["documents_q1"] or c["applicants"] <= 3
        assert c["reasons"] and c["cell"][0] in "ABCDEFGHY"
    for b in w["barriers"]:
        assert b["leader_share"] >= 0.5 and b["leader_country"] != "CN"


def test_topic_map_clusters_and_labels(drones: Service) -> None:
    r = drones.analytics.topics("drone OR unmanned OR cc:US OR cc:EP", k=6)
    assert r["k"] == 6 and sum(t["size"] for t in r["topics"]) == r["documents"]
    assert all(t["label_en"] or t["label_zh"] for t in r["topics"])
    generic = {"method", "system", "device"}
    assert not any(set(t["terms"]["en"]) & generic for t in r["topics"])
    # every label word occurs in the titles/abstracts of its own topic's documents
    from ipai.search.analysis import vector_tokens

    for t in r["topics"]:
        members = [p["id"] for p in r["points"] if p["topic"] == t["id"]]
        docs = drones.store.get_documents(members)
        words = set()
        for d in docs.values():
            words.update(vector_tokens(" ".join([*d.titles.values(), *d.abstracts.values()])))
        assert set(t["terms"]["en"]) <= words and set(t["terms"]["zh"]) <= words


def test_main_path_search_path_counts() -> None:
    from ipai.analytics.evolution import citation_edges, main_path

    edges = [("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("C", "E"), ("D", "F")]
    r = main_path(list("ABCDEF"), edges)
    assert r["spc"]["D>F"] == 3 and r["spc"]["B>D"] == 1 and r["spc"]["A>C"] == 2
    assert r["path"][0] in ("A", "B") and r["path"][1] == "C" and r["path"][-1] in ("E", "F")
    docs = {
        "US1": {"pubno": {"country": "US", "number": "1"}, "year": 2001, "citations": []},
        "US2": {
            "pubno": {"country": "US", "number": "2"},
            "year": 2005,
            "citations": [{"pubno": {"country": "US", "number": "0001"}}],
        },
        "US3": {
            "pubno": {"country": "US", "number": "3"},
            "year": 1999,  # cites a later document: dropped
            "citations": [{"pubno": {"country": "US", "number": "2"}}],
        },
    }
    assert citation_edges(docs) == [("US1", "US2")]


def test_evolution_falls_back_to_a_topic_timeline(drones: Service) -> None:
    r = drones.analytics.evolution("drone OR unmanned OR cc:US")
    assert r["citations"] < 10 and r["method"].startswith("topic timeline")
    years = [t["first_year"] for t in r["timeline"]]
    assert years == sorted(years) and sum(t["size"] for t in r["timeline"]) > 0


def test_company_report_html(drones: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from ipai.cli import main

    lead = drones.analytics.landscape("drone OR unmanned OR cc:US OR cc:EP")["by_applicant"][0]["key"]
    out = tmp_path / "company.html"
    assert main(["--home", str(drones.settings.home), "report", "company", lead, "-o", str(out)]) == 0
    res = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    html = out.read_text(encoding="utf-8")
    assert (
        res["documents"] > 0 and "Enterprise portrait" in html and "Strength percentiles among peers" in html
    )
    assert 'class="me"' in html  # the company's own row in the peer ranking


def test_web_landscape_and_reports(drones: Service) -> None:
    from ipai.api import create_app

    c = TestClient(create_app(service=drones))
    page = c.get("/landscape", params={"q": "drone OR unmanned", "lang": "zh"})
    assert (
        page.status_code == 200
        and "专利态势分析" in page.text
        and 'data-testid="landscape-applicants"' in page.text
    )
    assert 'data-testid="landscape-forecast"' in page.text and 'data-testid="landscape-barriers"' in page.text
    assert 'hx-get="/landscape/more?q=drone+OR+unmanned"' in page.text
    more = c.get("/landscape/more", params={"q": "drone OR unmanned"})
    assert (
        more.status_code == 200
        and "技术主题地图" in more.text
        and 'data-testid="landscape-talent"' in more.text
    )
    talent = drones.analytics.talent("drone OR unmanned", top=10)["inventors"]
    assert talent and talent[0]["name"] in more.text
    rep = c.get("/report/landscape", params={"q": "drone OR unmanned"})
    assert rep.status_code == 200 and "Plotly.newPlot" in rep.text
    lead = drones.analytics.landscape("drone OR unmanned")["by_applicant"][0]["key"]
    comp = c.get("/report/company", params={"name": lead})
    assert comp.status_code == 200 and "企业技术画像" in comp.text  # the zh choice is remembered (cookie)
    bad = c.get("/landscape", params={"q": "ti:(drone"})
    assert bad.status_code == 400 and 'data-testid="landscape-error"' in bad.text
    # a name nobody has is not a 404 page: the company search says no applicant has it
    none = c.get(
        "/report/company",
        params={"name": "Zzqx Nobody"},
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert none.status_code == 303 and "/company?name=Zzqx" in none.headers["location"]
    found = c.get(none.headers["location"])
    assert found.status_code == 200 and 'data-testid="company-none"' in found.text
    assert 'data-testid="company-portrait"' not in found.text


def test_brief_fields_equal_the_full_document(drones: Service) -> None:
    ids = [i["id"] for i in drones.documents(limit=50)["items"]]
    brief = drones.store.get_fields(ids, ("pubno", "applicants", "classifications", "priority_date"))
    full = drones.store.get_fields(
        ids, ("pubno", "applicants", "classifications", "priority_date", "abstracts")
    )
    assert brief.keys() == full.keys() == set(ids)
    for i in ids:
        assert all(brief[i][k] == full[i][k] for k in brief[i]), i


def test_facts_cache_serves_repeats_and_drops_on_change(
    drones: Service, shared_data: Path, tmp_path: Path
) -> None:
    """A repeated landscape reads nothing from the store and equals the first; any write to the
    store empties the cache (the next landscape sees the new documents)."""
    q = "drone OR unmanned"
    cache = drones.ctx.facts_cache
    cache.clear()
    first = drones.analytics.landscape(q)
    misses = cache.misses
    again = drones.analytics.landscape(q)
    assert cache.misses == misses and cache.hits >= again["analysed"]
    strip = ("timing_ms",)
    assert {k: v for k, v in first.items() if k not in strip} == {
        k: v for k, v in again.items() if k not in strip
    }
    seq = drones.store.max_seq()
    from tests.conftest import subset_csv

    extra = subset_csv(
        shared_data / "landscape-lens-patentscope/pizza_lens_1000_raw.csv", tmp_path / "pizza5.csv", 5
    )
    drones.corpus.ingest([extra])
    drones.corpus.index()
    assert drones.store.max_seq() > seq
    drones.analytics.landscape(q)
    assert cache.misses > misses  # re-read after the change


def test_bench_landscape_prints_cold_and_warm_times(
    drones: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ipai.cli import main

    assert (
        main(
            [
                "--home",
                str(drones.settings.home),
                "--no-progress",
                "bench",
                "landscape",
                "-q",
                "drone",
                "--repeat",
                "2",
                "--no-pdf",
            ]
        )
        == 0
    )
    res = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    row = res["queries"][0]
    assert row["query"] == "drone" and row["documents"] > 0  # the times are the bench's figures, not asserted
    assert "report_with_pdf_s" not in row  # --no-pdf: no PDF is made


def test_main_path_chart_in_the_report() -> None:
    """Where the set carries citations the evolution chart is the main path, drawn by year."""
    from ipai.report.landscape import TITLES, _extra_figures

    steps = [{"id": f"US{i}A", "year": 2000 + i, "title": f"step {i}"} for i in range(4)]
    fig = _extra_figures(
        {"evolution": {"main_path": steps, "method": "citation main path (SPC)"}}, TITLES["en"]
    )
    assert 'id="c_evo"' in fig["evolution"] and "US3A step 3" in fig["evolution"]
    assert TITLES["en"]["main_path"] in fig["evolution"]
