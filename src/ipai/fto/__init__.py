"""Claim vs product (freedom to operate): claim charts and the reverse scan (see docs/fto.md)."""
