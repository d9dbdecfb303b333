"""IPC/CPC classification: subclass (and main-group) suggestions with confidences for any text.

``Classifier`` fits on labelled texts and predicts; ``train_from_store`` trains on the loaded
corpus and saves a versioned model file; ``load_latest`` returns the newest one (docs/classify.md).
"""

from ipai.classify.model import FORMAT_VERSION, Classifier, GroupSuggestion, Suggestion
from ipai.classify.service_helpers import list_models, load_latest, train_from_store

__all__ = [
    "FORMAT_VERSION",
    "Classifier",
    "GroupSuggestion",
    "Suggestion",
    "list_models",
    "load_latest",
    "train_from_store",
]
