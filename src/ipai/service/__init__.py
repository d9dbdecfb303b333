"""The use-case layer: the CLI, the REST API and the web UI call only this."""

from ipai.service.core import Service, results_json

__all__ = ["Service", "results_json"]
