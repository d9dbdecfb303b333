"""Typed results of the service methods the API returns: one module per feature.

The service returns plain dicts (and a few pydantic objects); the ``TypedDict`` classes here
describe exactly those dicts, so runtime behaviour is unchanged while mypy and the OpenAPI schema
see their shape. A key that is sometimes absent is ``NotRequired``; an open-ended object (a stored
row, a report section built by a scenario package) is ``dict[str, Any]``.

``TypedDict`` comes from ``typing_extensions`` (pydantic reads only that one on Python 3.11), and
numbers that are sometimes whole are :data:`Num` (``float | int``): pydantic would turn an ``int``
into a ``float`` for a ``float`` field and change ``3`` into ``3.0`` in a response.

Modules: :mod:`.common`, :mod:`.search`, :mod:`.documents`, :mod:`.tasks`, :mod:`.analytics`,
:mod:`.assess`, :mod:`.value`, :mod:`.transfer`, :mod:`.monitor`, :mod:`.images`, :mod:`.fto`,
:mod:`.evidence`, :mod:`.checker`, :mod:`.draft`, :mod:`.triz`, :mod:`.qa`, :mod:`.security`,
:mod:`.explain`, :mod:`.manage`, :mod:`.deals`, :mod:`.industry`.
"""
