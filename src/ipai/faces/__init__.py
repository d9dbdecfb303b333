"""Helpers the faces share: the command line (:mod:`ipai.cli`), the evaluations and benchmarks
(:mod:`ipai.evals`), the REST API (:mod:`ipai.api`) and the web UI (:mod:`ipai.web`).

- :mod:`.progress` — progress bars on stderr for long commands;
- :mod:`.options` — option checks (``--lang``);
- :mod:`.params` — bounds of HTTP request parameters (API and web forms);
- :mod:`.auth` — who is asking an HTTP request and what it may do (API and web UI).

Like the faces, this package reaches the platform only through :mod:`ipai.service`,
:mod:`ipai.errors`, :mod:`ipai.settings` and the cross-cutting :mod:`ipai.security`; the
layer contract in ``pyproject.toml`` keeps it below every face and above the service.
"""
