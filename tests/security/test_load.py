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
    from ipai.evals.bench.load import MIX, bench_load

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    subset_csv(
        shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", corpus / "nn.csv", 120
    )
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", corpus / "cn.csv", 80)
    settings = load_settings(home=tmp_path / "home", store=new_pg_database(pg_url), progress=False)
    # a fixed workload (4 requests per client, every kind in turn), not a timed run: the counts
    # below cannot depend on how busy the machine is; throughput is `ipai bench load`'s figure
    out = bench_load(settings, clients=50, tenants=2, data=[corpus], per_client=4)
    assert out["store"] == "postgresql" and out["clients"] == 50
    assert out["requests"] == 200, out
    assert out["errors"] == 0, (out["status"], (tmp_path / "home" / "load-server.log").read_text()[-2000:])
    assert out["leaks"] == 0 and out["own_rows_missing"] == 0, out
    assert {k for k, v in out["by_kind"].items() if v["requests"]} == {k for k, _ in MIX}
