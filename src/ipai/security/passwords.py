"""Passwords: scrypt hashes at OWASP's parameters, verification that costs the same whether or not
the user exists, upgrades of older hashes, and the one password policy of the CLI and the API.

Hashes read ``scrypt$N$r$p$salt$hash``. :data:`PARAMS` are OWASP's current scrypt guidance
(N=2^17, r=8, p=1: 128 MiB and about half a second a hash); a hash made with other parameters still
verifies and :func:`needs_rehash` tells the sign-in to store a new one. Each hash holds 128 MiB while
it runs, so at most :data:`KDF_SLOTS` run at once (more sign-ins wait their turn): a burst of
sign-ins cannot exhaust memory.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from typing import Any

from ipai.errors import IpaiError

PARAMS: dict[str, int] = {"n": 2**17, "r": 8, "p": 1}
KDF_SLOTS = 2  # concurrent hashes (each holds 128 * r * n bytes = 128 MiB)
KDF_WAIT_S = 60.0
MAX_LENGTH = 1024
_slots = threading.BoundedSemaphore(KDF_SLOTS)
_dummy: dict[str, str] = {}

# Frequent passwords of twelve characters or more from published leak lists (shorter ones fail the
# length rule anyway); compared in lower case with spaces removed.
COMMON = frozenset(
    [
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456789123",
        "1234567891011",
        "111111111111",
        "000000000000",
        "123123123123",
        "123412341234",
        "121212121212",
        "112233445566",
        "147258369147",
        "987654321098",
        "098765432109",
        "qwertyuiop12",
        "qwertyuiop123",
        "qwertyuiopasdf",
        "qwertyuiopasdfghjkl",
        "qwerty123456",
        "qwerty12345678",
        "1qaz2wsx3edc",
        "1q2w3e4r5t6y",
        "1q2w3e4r5t6y7u",
        "1q2w3e4r5t6y7u8i9o0p",
        "q1w2e3r4t5y6",
        "zaq12wsxcde3",
        "zxcvbnm123456",
        "asdfghjkl123",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "password1password",
        "p@ssw0rd1234",
        "passw0rd1234",
        "iloveyou1234",
        "iloveyouforever",
        "iloveyou123456",
        "letmein12345",
        "letmein123456",
        "welcome12345",
        "welcome123456",
        "administrator",
        "admin1234567",
        "adminadmin123",
        "changeme1234",
        "changeme123456",
        "trustno1trustno1",
        "football1234",
        "baseball1234",
        "sunshine1234",
        "princess1234",
        "superman1234",
        "starwars1234",
        "monkey123456",
        "dragon123456",
        "abc123456789",
        "abcdefghijkl",
        "abcdefghijklm",
        "abcd12345678",
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "qweqweqweqwe",
        "asdasdasdasd",
        "woaini1314520",
        "woaini5201314",
        "zhang123456789",
        "wang123456789",
        "correcthorsebatterystaple",
        "thequickbrownfox",
    ]
)


class Busy(IpaiError):
    """Too many password checks at once; try again shortly (503)."""

    status = 503


def kdf(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """scrypt of a password (one of at most :data:`KDF_SLOTS` at a time)."""
    if not _slots.acquire(timeout=KDF_WAIT_S):
        raise Busy(
            "too many sign-ins at once; try again in a minute",
            errors=[{"field": "password", "message": "busy"}],
        )
    try:
        return hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=128 * r * n + 2**20
        )
    finally:
        _slots.release()


def hash_password(password: str) -> str:
    """A new scrypt hash of ``password`` at :data:`PARAMS`."""
    salt = secrets.token_bytes(16)
    h = kdf(password, salt, **PARAMS)
    return f"scrypt${PARAMS['n']}${PARAMS['r']}${PARAMS['p']}${salt.hex()}${h.hex()}"


def _parse(stored: str | None) -> tuple[int, int, int, bytes, str] | None:
    parts = (stored or "").split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        return n, r, p, bytes.fromhex(parts[4]), parts[5]
    except ValueError:
        return None


def check_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches the stored hash. Without a usable hash (no user, no password), or
    with a hash cheaper than :data:`PARAMS`, the work of a current hash is done against a dummy one,
    so the time taken tells neither whether the user exists nor how old the hash is."""
    parsed = _parse(stored)
    if parsed is None:
        dummy_check(password)
        return False
    n, r, p, salt, want = parsed
    got = kdf(password, salt, n, r, p)
    if (
        n * r * p < PARAMS["n"] * PARAMS["r"] * PARAMS["p"]
    ):  # an older, cheaper hash: cost what a current one does
        dummy_check(password)
    return hmac.compare_digest(got.hex(), want)


def dummy_check(password: str) -> None:
    """The work of checking ``password`` against a hash at :data:`PARAMS` (unknown users)."""
    if "hash" not in _dummy:
        _dummy["hash"] = (
            f"scrypt${PARAMS['n']}${PARAMS['r']}${PARAMS['p']}${secrets.token_bytes(16).hex()}${'0' * 64}"
        )
    parsed = _parse(_dummy["hash"])
    assert parsed is not None  # the dummy hash is written just above in the stored format
    n, r, p, salt, want = parsed
    hmac.compare_digest(kdf(password, salt, n, r, p).hex(), want)


def needs_rehash(stored: str | None) -> bool:
    """Whether a stored hash was made with other parameters than :data:`PARAMS` (upgrade it)."""
    parsed = _parse(stored)
    return parsed is None or (parsed[0], parsed[1], parsed[2]) != (PARAMS["n"], PARAMS["r"], PARAMS["p"])


def policy_problem(password: str, *, name: str | None = None, min_length: int = 12) -> str | None:
    """Why ``password`` is refused, or None: at least ``min_length`` characters (at most 1,024), not
    a common password, not one character or a short pattern repeated, not containing the user name."""
    if len(password) < min_length:
        return f"a password needs at least {min_length} characters (it has {len(password)})"
    if len(password) > MAX_LENGTH:
        return f"a password has at most {MAX_LENGTH} characters"
    folded = "".join(password.lower().split())
    if folded in COMMON:
        return "this password is on lists of common passwords: choose another"
    if len(set(folded)) < 4 or any(
        folded == folded[:k] * (len(folded) // k) + folded[: len(folded) % k] for k in range(1, 5)
    ):
        return "a password may not be one character or a short pattern repeated"
    nm = "".join((name or "").lower().split())
    if len(nm) >= 3 and nm in folded:
        return "a password may not contain the user name"
    return None


def info(stored: str | None) -> dict[str, Any]:
    """The parameters of a stored hash (for tests and diagnostics; never the hash itself)."""
    parsed = _parse(stored)
    return {} if parsed is None else {"n": parsed[0], "r": parsed[1], "p": parsed[2]}
