"""A server-mode service (sign-in on) over a small real corpus, with one user and API key per
role: enterprise, analyst and agency users in tenant ``acme``, a second enterprise user in
tenant ``globex``, platform admin and regulator, and ``public`` as a signed-in account too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import corpus_service

ROLE_USERS = {
    "public": ("pub", None),
    "enterprise": ("ent", "acme"),
    "analyst": ("ana", "acme"),
    "agency": ("agy", "acme"),
    "admin": ("adm", None),
    "regulator": ("reg", None),
}


@pytest.fixture(scope="package")
def secure_service(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Any]:
    yield from corpus_service(
        tmp_path_factory,
        "secure",
        (shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", 150),
        (shared_data / "cn-patent-titles-ipc/titles_ipc.csv", 100),
        (shared_data / "epo-xml-samples", None),
        auth=True,
        rate_limit_per_minute=100_000,
    )


@pytest.fixture(scope="package")
def keys(secure_service: Any) -> dict[str, str]:
    """API key of each role's user, plus ``globex`` (an enterprise user of another tenant)."""
    out = {}
    for role, (name, tenant) in ROLE_USERS.items():
        secure_service.security.add_user(name, role, tenant=tenant, password="correct horse battery")
        out[role] = secure_service.security.create_api_key(name)["key"]
    secure_service.security.add_user("glx", "enterprise", tenant="globex", password="correct horse battery")
    out["globex"] = secure_service.security.create_api_key("glx")["key"]
    return out


@pytest.fixture(scope="package")
def secure_client(secure_service: Any) -> Iterator[TestClient]:
    from ipai.api import create_app

    with TestClient(create_app(service=secure_service)) as c:
        yield c


def as_(key: str | None) -> dict[str, str]:
    """Headers that send an API key (none for anonymous)."""
    return {"Authorization": f"Bearer {key}"} if key else {}
