"""Service use cases of patent drafting (see ipai.draft.drafter)."""

from __future__ import annotations

import re
import time
from typing import Any

from ipai.errors import InputError
from ipai.service.assess import AssessService
from ipai.service.checker import CheckerService
from ipai.service.context import Feature, ServiceContext


def _closest(text: str, assessed: dict[str, str]) -> str | None:
    """The id of the assessed feature sharing the most characters (bigrams) with ``text``."""

    def grams(t: str) -> set[str]:
        t = re.sub(r"\s+", " ", t.lower())
        return {t[i : i + 2] for i in range(len(t) - 1)}

    mine = grams(text)
    best = max(assessed.items(), key=lambda kv: len(mine & grams(kv[1])) / (len(mine) or 1), default=None)
    return best[0] if best and mine & grams(best[1]) else None


class DraftService(Feature):
    """Drafts from disclosures."""

    def __init__(self, ctx: ServiceContext, assessment: AssessService, checker: CheckerService) -> None:
        super().__init__(ctx)
        self.assessment = assessment
        self.checker = checker

    def _check_draft(self, claims: list[str], description: str, lang: str) -> dict[str, Any]:
        return self.checker.check_claims(
            "\n".join(claims),
            description=description,
            office="CN" if lang == "zh" else "EP",
        )

    def draft(self, disclosure: str, *, rounds: int = 2, use_llm: bool | None = None) -> dict[str, Any]:
        """A complete, checked draft; with an LLM configured the expert and agent roles revise the
        claims in ``rounds`` turns (transcript kept), else the deterministic draft alone."""
        from ipai import llm
        from ipai.draft.disclosure import read_disclosure
        from ipai.draft.drafter import AGENT, EXPERT, claims_text, deterministic_draft, parse_claims
        from ipai.text.inputs import check_text
        from ipai.text.lang import detect

        if not 0 <= rounds <= 5:
            raise InputError(
                "rounds must be between 0 and 5",
                errors=[{"field": "rounds", "message": "out of range"}],
                code="range",
                params={"lo": 0, "hi": 5},
            )
        t0 = time.perf_counter()
        text = check_text(disclosure, field="text", what="the disclosure")
        lang = "zh" if detect(text) == "zh" else "en"
        lines = text.splitlines()
        body = (
            "\n".join(lines[1:])
            if len(lines) > 1 and len(lines[0]) <= 60 and not re.search(r"[。.；;]$", lines[0].strip())
            else text
        )  # a title line is not a technical feature
        try:
            report = self.assessment.assess(body, top=10, as_disclosure=True)
        except InputError:  # too little for a prior-art search: the draft is still written, without prior art
            report = {"features": [], "distinguishing": [], "prior_art": []}
        dis = read_disclosure(text, lang)
        features = [{"id": f"D{i}", "text": f} for i, f in enumerate(dis.features, 1)]
        dist_ids = {d["feature"] for d in report["distinguishing"]}
        assessed = {f["id"]: f["text"] for f in report["features"]}
        dist = [i for i, f in enumerate(dis.features) if _closest(f, assessed) in dist_ids]
        prior = [
            {"id": p["id"], "title": p["title"]}
            for p in report["prior_art"]
            if p["category"] in ("X", "Y", "A")
        ][:5]
        det = deterministic_draft(text, dis, dist, prior, lang)
        description = "\n".join(det["sections"].values())
        versions = [
            {
                "by": "deterministic drafter",
                "claims": det["claims"],
                "check": self._check_draft(det["claims"], description, lang),
            }
        ]
        out: dict[str, Any] = {
            "lang": lang,
            "mode": "deterministic",
            "title": det["title"],
            "sections": det["sections"],
            "claims": det["claims"],
            "subject": dis.subject,
            "features": features,
            "components": dis.components,
            "effects": dis.effects,
            "problems": dis.problems,
            "distinguishing": [features[i]["id"] for i in dist],
            "prior_art": prior,
            "transcript": [],
            "versions": versions,
            "fallback": None,
        }
        want_llm = llm.configured(self.settings) if use_llm is None else use_llm
        if want_llm and rounds:
            claims, critique = det["claims"], ""
            try:
                for r in range(1, rounds + 1):
                    ask = f"Disclosure:\n{text}\n\nCurrent claims:\n{claims_text(claims)}\n\n" + (
                        f"Technical expert's remarks:\n{critique}\n" if critique else ""
                    )
                    rep = llm.chat(
                        self.settings,
                        [{"role": "system", "content": AGENT[lang]}, {"role": "user", "content": ask}],
                    )
                    new = parse_claims(rep.text)
                    out["transcript"].append(
                        {"round": r, "role": "patent agent", "text": rep.text, "seconds": rep.seconds}
                    )
                    if not new:
                        raise llm.LlmError("the agent's answer held no numbered claims")
                    claims = new
                    check = self._check_draft(claims, description, lang)
                    versions.append({"by": f"patent agent, round {r}", "claims": claims, "check": check})
                    findings = "\n".join(
                        f"- claim {f['claim']}: {f['message']}"
                        for f in (check or {}).get("findings", [])[:20]
                    )
                    rep = llm.chat(
                        self.settings,
                        [
                            {"role": "system", "content": EXPERT[lang]},
                            {
                                "role": "user",
                                "content": f"Disclosure:\n{text}\n\nClaims:\n{claims_text(claims)}\n\nChecker findings:\n{findings or 'none'}",
                            },
                        ],
                    )
                    critique = rep.text
                    out["transcript"].append(
                        {"round": r, "role": "technical expert", "text": rep.text, "seconds": rep.seconds}
                    )
                out.update(mode="llm", claims=claims)
            except llm.LlmError as e:
                out["fallback"] = f"{e.message}; the deterministic draft is kept"
        out["check"] = versions[-1]["check"] if out["mode"] == "llm" else versions[0]["check"]
        out["seconds"] = round(time.perf_counter() - t0, 2)
        return out
