"""The search export as a streamed download (CSV or XLSX), for the API's ``/search/export`` and
the web page's export button alike."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from fastapi.responses import StreamingResponse

from ipai.service import Service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024


def export_response(
    svc: Service,
    *,
    q: str | None,
    ids: list[str] | None,
    fmt: str,
    sort: str,
    cross_lingual: bool,
    filters: dict[str, Any],
    lang: str,
    base_url: str,
    limit: int | None = None,
) -> StreamingResponse:
    """The export as a streamed download (the web page's export calls this too)."""
    from ipai.service.search_export import csv_chunks, write_xlsx

    ex = svc.search_tools.export_results(
        q,
        ids=ids,
        filters=filters,
        sort=sort,
        cross_lingual=cross_lingual,
        lang=lang,
        base_url=base_url,
        limit=limit,
    )
    stamp = dt.date.today().strftime("%Y%m%d")
    headers = {
        "Content-Disposition": f'attachment; filename="ipai-search-{stamp}.{fmt}"',
        "X-Ipai-Rows": str(ex.count),
        "X-Ipai-Matched": str(ex.matched),
        "Cache-Control": "no-store",
    }
    if fmt == "xlsx":
        tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _file_chunks after streaming; rows go to disk as they are written: memory stays flat
        write_xlsx(ex, tmp)
        tmp.seek(0)
        return StreamingResponse(_file_chunks(tmp), media_type=XLSX, headers=headers)
    return StreamingResponse(csv_chunks(ex), media_type="text/csv; charset=utf-8", headers=headers)


def _file_chunks(fh: IO[bytes]) -> Iterator[bytes]:
    try:
        while True:
            block = fh.read(CHUNK)
            if not block:
                break
            yield block
    finally:
        fh.close()
