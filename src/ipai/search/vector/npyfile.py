"""Growing a saved ``.npy`` matrix in place: new rows are appended and the header's row count
rewritten (numpy pads the header so the first dimension can grow without moving the data), so a
refresh writes what it adds, not the whole matrix. Readers that memory-map the file keep seeing
the rows they mapped."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np


def append_rows(file: Path, rows: np.ndarray, have: int) -> bool:
    """Append rows to a saved 2-d ``.npy`` file holding ``have`` rows, in place (its header is
    rewritten with the new length: numpy leaves room for it); False when the file is not as expected."""
    from numpy.lib import format as npf

    try:
        with open(file, "r+b") as fh:
            version = npf.read_magic(fh)
            read = npf.read_array_header_1_0 if version == (1, 0) else npf.read_array_header_2_0
            shape, fortran, dtype = read(fh)
            offset = fh.tell()
            if fortran or dtype != rows.dtype or tuple(shape) != (have, rows.shape[1]):
                return False
            head = io.BytesIO()
            d = {
                "descr": npf.dtype_to_descr(dtype),
                "fortran_order": False,
                "shape": (have + len(rows), rows.shape[1]),
            }
            (npf.write_array_header_1_0 if version == (1, 0) else npf.write_array_header_2_0)(head, d)
            if len(head.getvalue()) != offset:
                return False
            fh.seek(offset + have * rows.shape[1] * dtype.itemsize)
            fh.truncate()
            fh.write(np.ascontiguousarray(rows).tobytes())
            fh.seek(0)
            fh.write(head.getvalue())
    except (OSError, ValueError):
        return False
    return True
