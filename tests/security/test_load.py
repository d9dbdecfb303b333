"""50 concurrent clients of two tenants against the PostgreSQL-backed API in server mode (a real
``ipai serve`` process on loopback): every request succeeds and no response carries the other
tenant's private rows. Latency figures come from ``ipai bench load``, not from this test."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.settings import load_settings
from tests.conftest import new_pg_database, subset_csv


@pytest.mark.slow
def test_fifty_clients_two_tenants_on_postgresql(pg_url: str, tmp_path: Path, shared_data: Path) -> None:
    from ipai.api.loadtest import bench_load

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    subset_csv(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", corpus / "nn.csv", 120)
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", corpus / "cn.csv", 80)
    settings = load_settings(home=tmp_path / "home", store=new_pg_database(pg_url), progress=False)
    out = bench_load(settings, seconds=6, clients=50, tenants=2, data=[corpus])
    assert out["store"] == "postgresql" and out["clients"] == 50
    assert out["requests"] >= 100, out
    assert out["errors"] == 0, (out["status"], (tmp_path / "home" / "load-server.log").read_text()[-2000:])
    assert out["leaks"] == 0 and out["own_rows_missing"] == 0, out
    assert {k for k, v in out["by_kind"].items() if v["requests"]} >= {"search", "demands", "add_demand"}
