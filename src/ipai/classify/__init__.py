"""IPC/CPC classification: subclass (and main-group) suggestions with confidences for any text."""

from ipai.classify.model import Classifier, GroupSuggestion, Suggestion

__all__ = ["Classifier", "GroupSuggestion", "Suggestion"]
