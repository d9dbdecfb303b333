"""The REST API (``/api/v1``): a thin adapter over :class:`ipai.service.Service`."""

from ipai.api.app import create_app

__all__ = ["create_app"]
