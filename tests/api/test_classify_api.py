"""Classification through the platform: train as a task, classify over the API, the suggested
classes on the search page and in the patentability report."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.service import Service
from ipai.settings import load_settings
from tests.conftest import subset_csv


def test_train_classify_and_use_the_classes(tmp_path: Path, shared_data: Path) -> None:
    data = tmp_path / "titles_ipc.csv"
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", data, 700)
    svc = Service(load_settings(home=tmp_path / "home", progress=False))
    try:
        svc.corpus.ingest([data])
        svc.corpus.index()
        c = TestClient(create_app(service=svc))
        none = c.post("/api/v1/classify", json={"text": "一种锂电池"})
        assert none.status_code in (400, 404) and "classify train" in none.json()["error"]
        task = c.post("/api/v1/classify/train", params={"scheme": "ipc"}).json()
        for _ in range(1200):
            t = c.get(task["url"]).json()
            if t["state"] not in ("queued", "running"):
                break
            time.sleep(0.1)
        assert t["state"] == "done", t
        assert t["result"]["labels"] > 20 and c.get("/api/v1/classify/models").json()["models"]
        title = "一种光伏组件清洗机器人"
        body = c.post("/api/v1/classify", json={"text": title, "top": 3}).json()
        assert body["lang"] == "zh" and len(body["suggestions"]) == 3
        assert body["suggestions"][0]["confidence"] >= body["suggestions"][-1]["confidence"]
        assert any(s["code"] in ("H02S", "B08B", "H01L") for s in body["suggestions"])
        page = c.get("/search", params={"q": title})
        assert 'data-testid="class-chip"' in page.text and "cls=" in page.text
        report = c.post(
            "/api/v1/assess",
            json={
                "text": "1. 一种光伏组件清洗机器人，包括机架、清洗刷和驱动电机，"
                "其特征在于：所述清洗刷与驱动电机连接。",
                "top": 3,
            },
        ).json()
        assert report["classes"] and report["classes"][0]["code"]
        assert c.post("/api/v1/classify", json={"text": ""}).status_code == 400
    finally:
        svc.close()
