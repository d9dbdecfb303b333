"""AI patent interpretation (专利AI解读): a plain-language explanation of one document.

Without an LLM the explanation is extractive: sentences of the document found to state the
technical problem, the solution and the effects (:mod:`ipai.explain.roles`), each quoted with its
location; the main claim's scope as a short list of features, what a competitor must avoid, and the
key figures (:mod:`ipai.explain.explainer`). With an LLM configured, a fluent version written only
from that material and citing it (:mod:`ipai.explain.fluent`). Labels come in Chinese and English;
quoted text stays in the document's language.
"""
