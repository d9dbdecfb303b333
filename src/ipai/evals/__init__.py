"""The evaluation face: every ``ipai eval …`` (quality on data files) and ``ipai bench …`` (speed
and memory) of the platform, listed with their data and last figures in docs/evals.md.

An evaluation is a face of the platform like the CLI or the API: a runner (``ipai.evals.NAME``,
``ipai.evals.bench.NAME``) builds a :class:`ipai.service.Service` or reads files, loops, times and
returns one JSON object; :mod:`ipai.evals.cli` declares the commands the command line mounts.
Scoring the product itself needs stays in the feature packages and is imported from there.
Search query-file formats and metrics: docs/search.md, section "Evaluations".
"""
