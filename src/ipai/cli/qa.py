"""Commands of questions and answers: ``ipai ask``, ``ipai qa load|docs|history``."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, service

qa_app = typer.Typer(
    help="Questions and answers over the patents and the documents you load (guidelines, laws, FAQs).",
    no_args_is_help=True,
)
app.add_typer(qa_app, name="qa")


def _print_answer(a: dict) -> None:
    typer.echo(a["answer"])
    if a.get("mode") == "llm":
        for c in a["citations"]:
            if c.get("cited"):
                typer.echo(f"  [{c['n']}] {c['source']} {c['id']} · {c['title']} ({c['where']})")
    if a.get("reason"):
        typer.echo(f"({a['reason']})", err=True)


@app.command("ask")
def ask(
    question: str = typer.Argument(..., help="The question, in Chinese or English."),
    user: str = typer.Option("anon", "--user", help="Whose history keeps the question."),
    session: str | None = typer.Option(
        None, "--session", help="A conversation id (the LLM sees its last turns)."
    ),
    no_llm: bool = typer.Option(
        False, "--no-llm", help="Answer with the best passages even if an LLM is configured."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Answer a question with cited sources (patents and loaded documents); refuses when nothing relevant is found."""
    a = service().qa.ask(question, user=user, session=session, use_llm=not no_llm)
    emit(a) if as_json else _print_answer(a)


@qa_app.command("load")
def load(
    paths: list[Path] = typer.Argument(
        ..., help="Knowledge documents (.txt, .md, .html; .pdf with pypdf) or folders."
    ),
) -> None:
    """Load documents the answers may cite (kept once per text)."""
    emit(service().qa.load_knowledge(paths))


@qa_app.command("docs")
def docs() -> None:
    """The loaded knowledge documents."""
    emit(service().qa.knowledge_documents())


@qa_app.command("remove")
def remove(doc_id: int = typer.Argument(..., help="Knowledge document number.")) -> None:
    """Remove a knowledge document."""
    service().qa.delete_knowledge(doc_id)
    emit({"ok": True, "removed": doc_id})


@qa_app.command("history")
def history(
    user: str = typer.Option("anon", "--user"),
    session: str | None = typer.Option(None, "--session"),
    limit: int = typer.Option(20, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """A user's questions and answers, oldest first."""
    rows = service().qa.chat_history(user, session=session, limit=limit)
    if as_json:
        emit(rows)
        return
    for r in rows:
        typer.echo(f"[{str(r['created_at'])[:19]}] Q: {r['question']}")
        typer.echo(
            f"    A ({r['answer'].get('mode')}): {r['answer'].get('answer', '').splitlines()[0][:200]}"
        )
