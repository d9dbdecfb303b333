"""Search evaluations on query files (``ipai eval topical|filters|multi-concept|same-invention``).

An evaluation is a face of the platform like the CLI or the API: it asks
:class:`ipai.service.Service` for results (``svc.search``) and reads documents through
``svc.store``; it never touches search internals or SQL, so the same files measure any engine.
Query-file formats and metrics: docs/search.md, section "Evaluations".
"""
