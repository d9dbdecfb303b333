"""Results of TRIZ: the contradiction matrices, principles and parameter suggestions
(``ipai.service.triz``; built by :mod:`ipai.triz.assistant`)."""

from __future__ import annotations

from typing import Any, NotRequired

from ipai.service.results.common import Num, Result


class Principles(Result):
    """``Service.triz``: inventive principles for a contradiction, the two matrices' agreement,
    the parameters suggested from the text and example patents."""

    improving: dict[str, Any]
    worsening: dict[str, Any]
    matrix: str
    cells: dict[str, list[Any]]
    agreement: str
    basis: str
    sources: dict[str, Any]
    principles: list[dict[str, Any]]
    suggestion: dict[str, Any] | None
    corpus_documents: NotRequired[int]


class ParameterSuggestion(Result):
    """``Service.triz_suggest``: improving and worsening parameters suggested for a text."""

    text: str
    improving_text: str
    worsening_text: str
    contrast: str | None
    note: str | None
    improving: list[dict[str, Any]]
    worsening: list[dict[str, Any]]
    pair: dict[str, Any] | None


class Parameters(Result):
    """``Service.triz_parameters``: the 39 parameters with their names and the matrices' sources."""

    parameters: list[dict[str, Any]]
    sources: dict[str, Any]
    name_zh_source: str


class MatrixComparison(Result):
    """``Service.triz_compare``: where the two matrices differ over the 39 × 39 classic parameters
    (counts of each kind of difference, examples, parameter and principle name differences)."""

    sources: dict[str, Any]
    cells: int
    filled_in_both: int
    differ: int
    identical: int
    same_set_other_order: int
    overlap: int
    disjoint: int
    only_A: int
    only_B: int
    both_empty: int
    mean_jaccard: Num
    differing_by_row: dict[Any, Any]
    B_lists_found_elsewhere_in_A: int
    of_which_in_the_same_row: int
    examples: list[dict[str, Any]]
    parameter_name_differences: list[dict[str, Any]]
    principle_name_differences: list[dict[str, Any]]
