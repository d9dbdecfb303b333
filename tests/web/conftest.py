"""Fixtures of the web tests: the application over the shared platform service, a fresh
client per test (so language cookies do not leak), and a separate service for uploads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.webforms import with_csrf


@pytest.fixture(scope="session")
def web_app(platform_service: Any) -> Any:
    """API + web UI over the shared, read-only platform corpus."""
    from ipai.api import create_app

    return create_app(service=platform_service)


@pytest.fixture()
def client(web_app: Any) -> Iterator[Any]:
    """A test client with no cookies."""
    from fastapi.testclient import TestClient

    with with_csrf(TestClient(web_app)) as c:
        yield c


@pytest.fixture()
def upload_service(tmp_path: Path) -> Iterator[Any]:
    """A service on its own empty home (upload limit 2 MB): ingest tests must not change what
    the other tests see in the platform corpus."""
    from ipai.service import Service
    from ipai.settings import load_settings

    svc = Service(load_settings(home=tmp_path / "h", progress=False, upload_max_mb=2))
    yield svc
    svc.close()


@pytest.fixture()
def upload_client(upload_service: Any) -> Iterator[Any]:
    """A test client over ``upload_service``."""
    from fastapi.testclient import TestClient

    from ipai.api import create_app

    with with_csrf(TestClient(create_app(service=upload_service))) as c:
        yield c


@pytest.fixture()
def upload_server(upload_service: Any) -> Iterator[str]:
    """The whole application over ``upload_service`` served on loopback (browser upload tests);
    yields its base URL."""
    from ipai.api import create_app
    from tests.conftest import serve

    server, thread, base = serve(create_app(service=upload_service))
    yield base
    server.should_exit = True
    thread.join(timeout=10)
