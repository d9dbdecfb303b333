"""TRIZ: the contradiction matrices read from ``triz_dir``, parameters and principles, the
assistant that suggests parameters and example patents (see docs/triz.md)."""
