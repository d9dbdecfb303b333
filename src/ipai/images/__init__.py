"""Trademark and design image similarity: rasterise, describe, index, search, evaluate.

See docs/images.md for the methods and the measured numbers.
"""
