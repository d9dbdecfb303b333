"""The use-case layer: the CLI, the REST API and the web UI call only this."""

from ipai.service.core import Service

__all__ = ["Service"]
