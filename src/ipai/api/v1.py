"""``/api/v1`` endpoints. Each one reads its parameters, calls the service, returns JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ipai import __version__
from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.errors import InputError
from ipai.faces import params as P
from ipai.service import Service, results_json

router = APIRouter()
ERRORS = M.error_responses()
TASK_ERRORS = M.error_responses(
    {
        413: "An upload over upload_max_mb (nothing of it is kept)",
        429: "The caller already has task_queue_per_user tasks waiting (Retry-After)",
        503: "The task queue is full (task_queue_max; Retry-After)",
    }
)
Mode = Literal["hybrid", "keyword", "semantic"]


def _svc(request: Request) -> Service:
    return request.app.state.service


@router.get("/health", response_model=M.Health, tags=["corpus"])
def health(request: Request) -> dict[str, Any]:
    """Liveness: version, document and trademark counts, search-index state."""
    return {"ok": True, "version": __version__, **_svc(request).health()}


@router.get("/search", response_model=M.SearchResponse, responses=ERRORS, tags=["search"])
def search(
    request: Request,
    q: Annotated[
        str,
        Query(
            description="Query: words, phrases, ti: ab: cl: pa: in: cpc: ipc: pd: cc: lang:, "
            "AND/OR/NOT, or a pasted disclosure (see docs/search.md).",
            max_length=20_000,
        ),
    ],
    top: Annotated[int, Query(ge=1, le=1000)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    mode: Mode = "hybrid",
    cross_lingual: bool = True,
    cc: Annotated[str | None, Query(description="Jurisdiction(s): US or US,CN")] = None,
    lang: str | None = None,
    year_from: Annotated[int | None, Query(ge=1790, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1790, le=2100)] = None,
    cls: Annotated[str | None, Query(description="CPC/IPC class, truncated or exact: G06N, H04L9/32")] = None,
    applicant: str | None = None,
    doc_type: str | None = None,
    status: Annotated[
        str | None,
        Query(
            description="Legal status: pending, granted, in_force, lapsed, expired, "
            "withdrawn, refused, revoked, alive, dead (or 审中, 有效, 失效 …)",
            max_length=40,
        ),
    ] = None,
    collapse: Annotated[
        Literal["family"] | None,
        Query(description="family: one row per family (同族), its other members listed with their status"),
    ] = None,
    sort: Annotated[
        Literal["relevance", "date_desc", "date_asc", "citations"],
        Query(
            description="relevance (default); date_desc / date_asc (publication date) or citations (forward "
            "citations, most first) order the whole matched set (every word carried) and page through it"
        ),
    ] = "relevance",
) -> dict[str, Any]:
    """Hybrid (keyword + semantic) search with the examiner syntax; filters run inside the index;
    every hit carries its legal status; ``sort`` orders the whole matched set by date or citations."""
    filters = {
        "cc": cc,
        "lang": lang,
        "year_from": year_from,
        "year_to": year_to,
        "cls": cls,
        "applicant": applicant,
        "doc_type": doc_type,
        "status": status,
    }
    res = _svc(request).search_tools.search_sorted(
        q,
        sort=sort,
        top=top,
        offset=offset,
        mode=mode,
        cross_lingual=cross_lingual,
        filters=filters,
        collapse=collapse,
    )
    out = results_json(res, top=top, offset=offset, filters=filters)
    if res.sort != "relevance":  # the whole sorted set is paged: more pages while it lasts
        out["next_offset"] = offset + top if offset + top < (res.sorted or 0) else None
    return {**out, "sort": res.sort, "sorted": res.sorted}


@router.get("/expand", response_model=M.ExpandResponse, responses=ERRORS, tags=["search"])
def expand(
    request: Request,
    term: Annotated[str, Query(max_length=200)],
    top: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Associated terms (二级联想词) for a query term: neighbours and co-occurring words, zh↔en."""
    out = _svc(request).expand(term, top=top)
    return {"ok": True, "term": term, "suggestions": [asdict(s) for s in out]}


@router.get("/documents", response_model=M.DocumentPage, responses=ERRORS, tags=["documents"])
def documents(
    request: Request,
    offset: P.Offset = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    cc: str | None = None,
) -> dict[str, Any]:
    """Stored documents, newest first, a page at a time."""
    return {"ok": True, **_svc(request).documents(offset=offset, limit=limit, country=cc)}


@router.get("/documents/{number}", response_model=M.DocumentResponse, responses=ERRORS, tags=["documents"])
def document(request: Request, number: str) -> dict[str, Any]:
    """One document from any spelling of its publication number (US8926509B2, EP 3404678 B1…)."""
    return {"ok": True, **_svc(request).show(number)}


@router.get("/documents/{number}/similar", response_model=M.SearchResponse, responses=ERRORS, tags=["search"])
def similar(
    request: Request, number: str, top: Annotated[int, Query(ge=1, le=1000)] = 10, mode: Mode = "hybrid"
) -> dict[str, Any]:
    """Documents most like a stored one (more-like-this)."""
    res = _svc(request).similar(number, top=top, mode=mode)
    return results_json(res, top=top, offset=0)


@router.get(
    "/documents/{number}/images/{n}",
    responses={
        **ERRORS,
        200: {"content": {"image/png": {}, "image/jpeg": {}, "image/gif": {}, "image/svg+xml": {}}},
    },
    response_class=Response,
    tags=["documents"],
)
def image(request: Request, number: str, n: P.Ordinal) -> Response:
    """Drawing ``n`` (0-based) of a document from the store's media folder: PNG, JPEG and GIF as
    they are, TIFF as PNG, SVG as a download; never rendered as a document of this site."""
    img = _svc(request).corpus.image(number, n)
    disposition = "attachment" if img.attachment else "inline"
    return Response(
        img.data,
        media_type=img.media_type,
        headers={
            "Cache-Control": "max-age=3600",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'{disposition}; filename="{img.filename}"',
        },
    )


@router.get("/trademarks/{tm_id}", response_model=R.TrademarkOne, responses=ERRORS, tags=["documents"])
def trademark(request: Request, tm_id: str) -> dict[str, Any]:
    """One trademark (``EM000001123`` or ``TM-EM000001123``)."""
    return {"ok": True, "trademark": _svc(request).trademark(tm_id).model_dump(mode="json")}


@router.get("/stats", response_model=R.StatsResponse, tags=["corpus"])
def stats(request: Request) -> dict[str, Any]:
    """Corpus counts by jurisdiction, language, kind, year, classification section and source."""
    return {"ok": True, **_svc(request).stats()}


@router.get("/formats", response_model=R.FormatsResponse, tags=["corpus"])
def formats() -> dict[str, Any]:
    """Source formats ``ingest`` reads."""
    return {"ok": True, "formats": Service.formats()}


class AssessRequest(BaseModel):
    """What to assess."""

    text: str = Field(
        description="A technical disclosure (交底书) or a claim set, Chinese or English.", max_length=100_000
    )
    query: str | None = Field(
        default=None, description="Search with this query instead of the generated one."
    )
    top: int = Field(default=10, ge=1, le=50, description="Prior-art documents to assess.")
    cross_lingual: bool = True


@router.post(
    "/assess",
    response_model=R.AssessResponse,
    responses={**ERRORS, 200: {"content": {"application/json": {}, "text/html": {}, "text/markdown": {}}}},
    tags=["create"],
)
def assess(
    request: Request,
    body: AssessRequest,
    format: Literal["json", "html", "md"] = "json",
    lang: Literal["en", "zh"] | None = None,
) -> Any:
    """Patentability report: features, prior art with X/Y/A categories, the feature × document
    matrix with quoted passages, Y combinations with their motivation, uncovered features."""
    from ipai.report.assess import to_html, to_markdown

    report = _svc(request).assessment.assess(
        body.text, top=body.top, query=body.query, cross_lingual=body.cross_lingual, lang=lang
    )
    rlang = lang or ("zh" if report["input"]["lang"] == "zh" else "en")
    if format == "html":
        return Response(to_html(report, rlang), media_type="text/html; charset=utf-8")
    if format == "md":
        return Response(to_markdown(report, rlang), media_type="text/markdown; charset=utf-8")
    return {"ok": True, **report}


class ClassifyRequest(BaseModel):
    """A text to classify."""

    text: str = Field(description="Title, abstract, claim or disclosure; any language.", max_length=100_000)
    top: int = Field(default=5, ge=1, le=50)


@router.post("/classify", response_model=R.ClassifyResponse, responses=ERRORS, tags=["create"])
def classify(request: Request, body: ClassifyRequest) -> dict[str, Any]:
    """IPC/CPC subclasses (and main groups where the model has them) with calibrated confidence."""
    return {"ok": True, **_svc(request).classifier.classify_detail(body.text, top=body.top)}


@router.get("/classify/models", response_model=R.ClassifierModels, tags=["create"])
def classify_models(request: Request) -> dict[str, Any]:
    """Trained classification models, newest last."""
    return {"ok": True, "models": _svc(request).classifier.classifier_models()}


@router.post("/classify/train", status_code=202, response_model=M.Task, responses=TASK_ERRORS, tags=["jobs"])
def classify_train(request: Request, scheme: Literal["ipc", "cpc", "any"] = "any") -> dict[str, Any]:
    """Train a classification model on the store's classified documents, as a background task."""
    return _task(request, _svc(request).classifier.start_train_classifier(scheme=scheme))


@router.get("/landscape", response_model=R.LandscapeResponse, responses=ERRORS, tags=["use"])
def landscape(
    request: Request,
    q: Annotated[
        str,
        Query(
            description="The set to map: any query (examiner syntax), e.g. cpc:B64C* or drone OR 无人机",
            max_length=20_000,
        ),
    ],
    limit: Annotated[
        int, Query(ge=1, le=200_000, description="At most this many best-matching documents")
    ] = 25_000,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
    cc: str | None = None,
    year_from: Annotated[int | None, Query(ge=1790, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1790, le=2100)] = None,
    cls: str | None = None,
    count: Annotated[
        Literal["documents", "families"],
        Query(description="Count publications, or families (同族: one per family and bucket)"),
    ] = "documents",
) -> dict[str, Any]:
    """Counts by year, jurisdiction, class, applicant, inventor; applicant × class; co-applicants."""
    filters = {"cc": cc, "year_from": year_from, "year_to": year_to, "cls": cls}
    return {
        "ok": True,
        **_svc(request).analytics.landscape(q, filters=filters, limit=limit, top=top, count=count),
    }


@router.get("/topics", response_model=R.TopicsResponse, responses=ERRORS, tags=["use"])
def topics(
    request: Request,
    q: Annotated[str, Query(max_length=20_000)],
    limit: Annotated[int, Query(ge=8, le=25_000)] = 5_000,
    k: Annotated[int | None, Query(ge=2, le=50)] = None,
) -> dict[str, Any]:
    """Topic map of a query's documents: clusters with zh/en labels, sizes, years, 2-D positions."""
    return {"ok": True, **_svc(request).analytics.topics(q, limit=limit, k=k)}


@router.get("/evolution", response_model=R.EvolutionResponse, responses=ERRORS, tags=["use"])
def evolution(
    request: Request,
    q: Annotated[str, Query(max_length=20_000)],
    limit: Annotated[int, Query(ge=8, le=25_000)] = 5_000,
) -> dict[str, Any]:
    """Technology evolution: citation main path inside the set, or a topic timeline without citations."""
    return {"ok": True, **_svc(request).analytics.evolution(q, limit=limit)}


@router.get("/talent", response_model=R.TalentResponse, responses=ERRORS, tags=["use"])
def talent(
    request: Request,
    q: Annotated[str, Query(max_length=20_000, description="The technical demand")],
    top: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    """Inventors ranked for a technical demand by relevant output, recency and impact, with their
    co-inventor network (expert recommendation)."""
    return {"ok": True, **_svc(request).analytics.talent(q, top=top)}


@router.get("/company", response_model=R.CompanyResponse, responses=ERRORS, tags=["use"])
def company(
    request: Request,
    name: Annotated[str, Query(max_length=300, description="Applicant name")],
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    """Enterprise portrait (portfolio, technology mix, inventors, partners, citations) and innovation
    strength ranked among the peers in its leading classes."""
    return {"ok": True, **_svc(request).analytics.company(name, top=top)}


@router.get("/index", response_model=R.IndexResponse, tags=["jobs"])
def index_status(request: Request) -> dict[str, Any]:
    """Search-index size, pending changes and encoder."""
    return {"ok": True, **_svc(request).corpus.index_status()}


@router.post("/index", status_code=202, response_model=M.Task, responses=TASK_ERRORS, tags=["jobs"])
def index(request: Request, rebuild: bool = False) -> dict[str, Any]:
    """Refresh (or rebuild) the search index as a background task."""
    return _task(request, _svc(request).corpus.start_index(rebuild=rebuild))


@router.post("/ingest", status_code=202, response_model=M.Task, responses=TASK_ERRORS, tags=["jobs"])
def ingest(
    request: Request,
    files: Annotated[list[UploadFile], File(description="Files to load (any supported format, or a zip)")],
    format: Annotated[str | None, Form(description="Force a reader (see /formats)")] = None,
    force: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Upload files and ingest them in the background (the index refreshes after); poll the task."""
    svc = _svc(request)
    if format and format not in {f["name"] for f in svc.corpus.formats()}:
        raise InputError(
            f"unknown format {format!r}",
            errors=[{"field": "format", "message": "unknown"}],
            code="unknown_format",
            params={"format": format},
        )
    for f in files:
        if not f.filename:
            raise InputError(
                "an uploaded part has no file name", errors=[{"field": "files", "message": "no name"}]
            )
    svc.tasks.check()  # a full task queue refuses before any upload is kept
    paths = svc.corpus.save_uploads([(f.filename or "", f.file) for f in files])
    return _task(
        request,
        svc.corpus.start_ingest(
            paths, fmt=format or None, force=force, label=", ".join(f.filename or "" for f in files)
        ),
    )


@router.get("/tasks", response_model=M.TaskPage, tags=["jobs"])
def tasks(
    request: Request, offset: P.Offset = 0, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> dict[str, Any]:
    """Background tasks, newest first."""
    items = [_task(request, t) for t in _svc(request).corpus.list_tasks(limit=limit, offset=offset)]
    return {"ok": True, "items": items, "offset": offset, "limit": limit}


@router.get("/tasks/{task_id}", response_model=M.Task, responses=ERRORS, tags=["jobs"])
def task(request: Request, task_id: str) -> dict[str, Any]:
    """One background task: state, progress (file, records, indexed/total), result or error."""
    return _task(request, _svc(request).corpus.task(task_id))


def _task(request: Request, t: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, **t, "url": f"{request.scope.get('root_path', '')}/api/v1/tasks/{t['id']}"}
