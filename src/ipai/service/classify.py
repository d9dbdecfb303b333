"""Service use cases of IPC/CPC classification: suggestions for a text from the newest trained
model, training (in the foreground or as a background task) and the trained model files
(``Service.classifier``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ipai.service.context import Feature, ServiceContext
from ipai.service.tasks import Report, Work


class ClassifyService(Feature):
    """Classification models trained on the store and their suggestions."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)
        ctx.task_kinds["classify-train"] = lambda run: self._train_work(str(run.get("scheme", "any")))

    def classes_or_none(self, text: str) -> list[dict[str, Any]] | None:
        """Suggested classes when a classification model has been trained, else ``None``."""
        try:
            return self.classify(text, top=5)
        except Exception:  # noqa: BLE001 - a report without classes is still a report
            return None

    def suggest_classes(self, text: str, *, top: int = 3) -> list[dict[str, Any]]:
        """Classes to offer as search filters for a query ([] until a model is trained)."""
        return (self.classes_or_none(text) or [])[:top]

    def classify(self, text: str, *, top: int = 5) -> list[dict[str, Any]]:
        """IPC/CPC subclasses suggested for a text by the newest trained model."""
        suggestions: list[dict[str, Any]] = self.classify_detail(text, top=top)["suggestions"]
        return suggestions

    def classify_detail(self, text: str, *, top: int = 5) -> dict[str, Any]:
        """Suggestions for a text with its language and the model that made them."""
        from ipai.classify import load_latest
        from ipai.text.inputs import check_text
        from ipai.text.lang import detect

        body = check_text(text)
        model = load_latest(self.settings)
        info = model.info()
        return {
            "text": body if len(body) <= 500 else body[:500] + "…",
            "lang": detect(body, default="en"),
            "suggestions": [s.to_json() for s in model.predict([body], top=top)[0]],
            "model": {
                "scheme": info.get("scheme"),
                "trained": info.get("trained"),
                "documents": info.get("documents"),
                "labels": info.get("labels"),
                "groups": info.get("groups"),
                "threshold": info["calibration"]["threshold"],
                "format_version": info.get("format_version"),
            },
        }

    def train_classifier(
        self,
        *,
        scheme: str = "any",
        min_docs: int = 3,
        max_docs: int = 8000,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> dict[str, Any]:
        """Train a classification model on the store's classified documents (new versioned file)."""
        from ipai.classify import train_from_store

        return train_from_store(
            self.store, self.settings, scheme, progress, min_docs=min_docs, max_docs=max_docs
        )

    def start_train_classifier(self, *, scheme: str = "any") -> dict[str, Any]:
        """Train in the background; returns the task."""
        return self.ctx.tasks.submit(
            "classify-train", {"scheme": scheme}, self._train_work(scheme), run={"scheme": scheme}
        )

    def _train_work(self, scheme: str) -> Work:
        def work(report: Report) -> dict[str, Any]:
            return self.train_classifier(
                scheme=scheme, progress=lambda st, d, t: report(phase=st, done=d, total=t)
            )

        return work

    def classifier_models(self) -> list[dict[str, Any]]:
        """Trained model files, newest last."""
        from ipai.classify import list_models

        return list_models(self.settings)
