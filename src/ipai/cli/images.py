"""Commands of trademark and design image similarity: ``ipai images …``, ``ipai marks words``,
``ipai eval logos|designs`` and ``ipai bench images``."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, service, settings

images_app = typer.Typer(
    help="Trademark and design image similarity (index, search by image).", no_args_is_help=True
)
marks_app = typer.Typer(help="Word-mark similarity (spelling, sound, pinyin).", no_args_is_help=True)
app.add_typer(images_app, name="images")
app.add_typer(marks_app, name="marks")


@images_app.command("index")
def index_cmd(
    kind: str = typer.Option("mark", "--kind", help="mark (trademark images) or design (design drawings)."),
    dirs: list[Path] | None = typer.Option(None, "--dir", help="Folder of images to index too (repeatable)."),
    no_store: bool = typer.Option(False, "--no-store", help="Index only the --dir folders, not the store."),
) -> None:
    """Build the image index of marks or designs; unreadable files are listed and skipped. Prints JSON."""
    from ipai.faces.progress import index_progress

    svc = service()
    with index_progress(settings().progress is not False) as prog:
        emit(svc.images.index_images(kind, dirs=list(dirs or []), from_store=not no_store, progress=prog))


@images_app.command("search")
def search_cmd(
    file: Path = typer.Argument(..., help="Query image (SVG, PNG, JPEG, TIFF, GIF, BMP, WebP)."),
    kind: str = typer.Option("mark", "--kind", help="mark or design."),
    vienna: list[str] | None = typer.Option(
        None, "--vienna", help="Only marks with this Vienna code (prefix: 03, 03.01, 03.01.02); repeatable."
    ),
    locarno: list[str] | None = typer.Option(
        None, "--locarno", help="Only designs in this Locarno class (14 or 14-01); repeatable."
    ),
    top: int = typer.Option(10, "--top", help="Results."),
) -> None:
    """Marks or designs most like an image, best first. Prints JSON."""
    classes = list(vienna or []) if kind == "mark" else list(locarno or [])
    emit(service().images.similar_images(file, kind=kind, classes=classes, top=top))


@images_app.command("status")
def status_cmd() -> None:
    """Size and build time of the image indexes. Prints JSON."""
    emit(service().images.image_status())


@marks_app.command("words")
def words_cmd(
    text: str = typer.Argument(..., help="A word mark (Latin or Chinese)."),
    top: int = typer.Option(20, "--top", help="Results."),
) -> None:
    """Stored word marks like TEXT by spelling, sound and pinyin. Prints JSON."""
    emit(service().images.similar_words(text, top=top))
