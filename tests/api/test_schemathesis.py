"""Issue 19, defect 6: a schema-driven fuzz of ``/api/v1`` (schemathesis) finds no 5xx and no
response that breaks the OpenAPI schema.

Every operation of the app's own OpenAPI gets up to ``EXAMPLES`` schema-valid and ``EXAMPLES``
schema-invalid requests (hypothesis, derandomized: the same cases on every run; at least one of
each for every operation, the invalid ones wherever the operation has something to break), sent in-process
to the ASGI application (laptop mode: the local administrator, so every route is reached) over a
small real corpus. Checks:

- ``not_a_server_error`` — no 5xx;
- ``status_code_conformance`` — every status is declared for the operation;
- ``content_type_conformance`` — the media type is one the operation declares for that status;
- ``response_headers_conformance`` — declared headers have their declared type;
- ``response_schema_conformance`` — the body matches the declared schema.

Left out, with the reason:
- ``positive_data_acceptance`` (a schema-valid request must succeed): the API checks meaning the
  schema cannot express — query syntax (a QueryError naming the position), classification codes,
  known jurisdictions and languages, ``year_from`` ≤ ``year_to``, the states a deal or disclosure
  may move to, ids that exist — and answers each with a 400/404/409 naming the field;
- ``negative_data_rejection`` (a schema-breaking request must be refused): on the wire a query
  string or a multipart field is text, so some of its "invalid" cases are valid as sent (the
  number 3.4e38 as an item of the string list ``kind``, a JSON object as the bytes of an uploaded
  file); the integer ranges it would test are covered by tests/api/test_input_validation.py.

The fuzz runs in-process, not over a socket, because the HTTP server (h11)
refuses request lines over 16 KiB before the application sees them (a 20,000-character ``q`` of
CJK text); that limit is the server's, not the API's.

Run alone with ``-s`` to see the totals: ``pytest tests/api/test_schemathesis.py -s``.
"""

from __future__ import annotations

import collections
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipai.settings import load_settings
from tests.conftest import subset_csv

pytestmark = pytest.mark.slow  # scheduled first on the workers (tests/conftest.py)

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in ipai[test]")

EXAMPLES = 4  # per operation and mode (valid, invalid): about 800 requests


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Any]:
    """The application over its own small store (the fuzz writes: demands, deals, users, uploads),
    wrapped so that a 500 reaches the client as a response (Starlette re-raises after sending it)."""
    from ipai.api import create_app
    from ipai.service import Service

    d = tmp_path_factory.mktemp("fuzz-corpus")
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "titles_ipc.csv", 30)
    subset_csv(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", d / "nn.csv", 30)
    for p in sorted(p for p in (shared_data / "us-design-patents").iterdir() if p.is_dir())[:1]:
        shutil.copytree(p, d / "designs" / p.name)
    svc = Service(load_settings(home=tmp_path_factory.mktemp("fuzz-home"), progress=False, upload_max_mb=1))
    svc.corpus.ingest([d])
    svc.corpus.index()
    app = create_app(service=svc, web=False)

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except Exception:
            if scope["type"] != "http":
                raise  # the 500 was sent already; the error is in the log (and counted below)

    yield asgi
    svc.close()


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi import checks as C

    return [
        not_a_server_error,
        C.status_code_conformance,
        C.content_type_conformance,
        C.response_headers_conformance,
        C.response_schema_conformance,
    ]


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    fuzz_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.generation import GenerationMode

    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzz_app)
    checks = _checks()
    cases, statuses = 0, collections.Counter[int]()
    sent: dict[str, set[str]] = collections.defaultdict(set)  # operation → the modes it was sent in
    nothing_to_break: set[str] = set()  # operations without an invalid request (no parameters)
    failures: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    operations = 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=op.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                nonlocal cases
                cases += 1
                sent[op.label].add(mode.value)  # noqa: B023 - run() is called in this iteration
                response = case.call(timeout=600)  # slow operations (e5 on first sight) are not failures
                statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=checks)
                except (AssertionError, BaseExceptionGroup) as exc:
                    first = str(exc).strip().splitlines()
                    summary = " ".join(line.strip() for line in first[:4] if line.strip())
                    key = (op.label, summary)  # noqa: B023 - run() is called in this iteration
                    failures[key].append(case.as_curl_command())

            try:
                with caplog.at_level(logging.CRITICAL, logger="ipai"):  # the 500s are counted, not printed
                    run()
            except Unsatisfiable:  # no invalid request exists for an operation without parameters
                nothing_to_break.add(op.label)
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    print(
        f"\nschemathesis: {operations} operations, {cases} cases, statuses {dict(sorted(statuses.items()))}, "
        f"{server_errors} 5xx, {len(failures)} distinct violations, "
        f"{len(nothing_to_break)} operations without an invalid request"
    )
    report = "\n".join(
        f"{len(v)}× {op}: {msg}\n    {v[0][:600]}" for (op, msg), v in sorted(failures.items())
    )
    assert not failures, report
    assert server_errors == 0
    # the fuzz reached every operation, with valid requests and (where any exists) invalid ones
    assert operations > 100 and len(sent) == operations
    positive, negative = GenerationMode.POSITIVE.value, GenerationMode.NEGATIVE.value
    assert [o for o, modes in sent.items() if positive not in modes] == []
    assert [o for o, modes in sent.items() if negative not in modes and o not in nothing_to_break] == []
    assert len(nothing_to_break) < operations / 4, sorted(nothing_to_break)
