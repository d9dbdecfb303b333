"""Language detection: script first (Han, kana, Hangul, Cyrillic…), then a character n-gram
model (py3langid, shipped inside its wheel) for Latin-script text, with a fallback for texts too
short to judge."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")

#: Latin-script languages patent offices publish in; restricting the model to them keeps it
#: from answering "la" or "wuu" on short technical text.
LATIN_LANGS = [
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "no",
    "fi",
    "pl",
    "cs",
    "hu",
    "ro",
    "tr",
    "id",
    "ms",
    "vi",
]
MIN_CONFIDENCE = 0.6
MIN_LETTERS = 12


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from pathlib import Path

    import numpy as np
    from py3langid import langid, modelio

    from ipai.text.cachefiles import kept

    path = langid.MODEL_DIR / langid.MODEL_FILE

    def latin_model() -> tuple[Any, ...]:
        """The model restricted to LATIN_LANGS (the columns ``set_languages`` would keep)."""
        ptc, pc, classes, nextmove, row, output = modelio.load_model(path)
        keep = [i for i, c in enumerate(classes) if c in set(LATIN_LANGS)]
        return (
            np.asarray(ptc)[:, keep],
            np.asarray(pc)[keep],
            [classes[i] for i in keep],
            nextmove,
            row,
            output,
        )

    # unpacked once into the cache (LZMA and npz decoding took ~0.3 s in every process)
    ptc, pc, classes, nextmove, row, output = kept("langid", [path, Path(__file__)], latin_model)
    ident = langid.LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    ident.set_languages(LATIN_LANGS)
    return ident


def detect(text: str | None, default: str = "en") -> str:
    """ISO 639-1 code of the text's language; ``default`` when the text is too short to judge."""
    if not text:
        return default
    sample = text[:2000]
    han = len(_HAN.findall(sample))
    if _KANA.search(sample):
        return "ja"
    if _HANGUL.search(sample):
        return "ko"
    latin = len(_LATIN.findall(sample))
    if han and han >= latin / 4:
        return "zh"
    if _CYRILLIC.search(sample) and len(_CYRILLIC.findall(sample)) > latin:
        return "ru"
    if _GREEK.search(sample) and len(_GREEK.findall(sample)) > latin:
        return "el"
    if _ARABIC.search(sample) and len(_ARABIC.findall(sample)) > latin:
        return "ar"
    if latin < MIN_LETTERS:
        return default
    lang, prob = _identifier().classify(sample.lower())
    return lang if prob >= MIN_CONFIDENCE else default
