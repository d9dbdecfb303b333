"""The one settings object.

Precedence, lowest first: built-in defaults < config file (TOML) < ``IPAI_*`` environment
variables < explicit overrides (CLI flags). The config file is ``$IPAI_CONFIG`` if set, else
``<home>/ipai.toml`` if it exists. ``ipai settings`` lists every setting with its default and help;
a test fails if a setting has no help text.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from ipai.errors import InputError

ENV_PREFIX = "IPAI_"


def _project_root() -> Path:
    """The checkout this package runs from (``src/ipai`` → two levels up)."""
    return Path(__file__).resolve().parents[2]


class Settings(BaseModel):
    """Every tunable of ipai, documented. Made by :func:`load_settings`, which reads the config
    file and the environment (a plain model: pydantic-settings cost every command ~60 ms to import)."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    home: Path = Field(
        default=Path("~/.ipai"),
        description="Directory holding the embedded store, indexes, models and job files.",
    )
    config: Path | None = Field(
        default=None,
        description="TOML config file; default <home>/ipai.toml when it exists.",
    )
    store: str | None = Field(
        default=None,
        description="Store URL. Unset: embedded SQLite at <home>/ipai.sqlite. "
        "'sqlite:///path' or 'postgresql://…' select a backend explicitly.",
    )
    data_dir: Path | None = Field(
        default=None,
        description="Shared real-data folder used by the demo, tests and evals; "
        "default ../shared/data next to the project root.",
    )
    ingest_batch_size: int = Field(
        default=500,
        ge=1,
        le=100_000,
        description="Records written per transaction during ingest (also the resume checkpoint step).",
    )
    ingest_batch_mb: float = Field(
        default=8.0,
        gt=0,
        le=1024,
        description="A batch is also written once its records reach this many MB of JSON "
        "(keeps memory flat on full-text documents).",
    )
    ingest_max_record_mb: float = Field(
        default=16.0,
        gt=0,
        le=4096,
        description="Largest single record ingest reads (MB): a JSONL line, a CSV row or field, one XML "
        "document of a bulk file, a text record, a whole spreadsheet. A bigger one is rejected by name and "
        "skipped while it is read (never loaded); the rest of the file goes on.",
    )
    ingest_max_zip_members: int = Field(
        default=100_000,
        ge=1,
        le=10_000_000,
        description="A zip with more members than this is refused whole (rejected with the reason).",
    )
    ingest_max_zip_mb: float = Field(
        default=20_000.0,
        gt=0,
        le=10_000_000,
        description="A zip whose members expand to more than this many MB in total is refused whole.",
    )
    ingest_max_zip_ratio: float = Field(
        default=200.0,
        ge=2,
        le=1_000_000,
        description="A zip with a member over 1 MB that expands more than this many times its compressed "
        "size is refused as a zip bomb (text compresses 5-20x).",
    )
    task_queue_max: int = Field(
        default=50,
        ge=1,
        le=100_000,
        description="Background tasks (ingest, index, training) that may wait at once; more are refused "
        "with 503 and Retry-After.",
    )
    task_queue_per_user: int = Field(
        default=5,
        ge=1,
        le=100_000,
        description="Background tasks one user (or API key) may have waiting at once; more are refused with "
        "429 and Retry-After. Waiting tasks run in turn across users, not first come first served.",
    )
    rejects_dir: Path | None = Field(
        default=None,
        description="Where ingest writes its rejects files; default <home>/rejects.",
    )
    encoder_cache: Path | None = Field(
        default=None,
        description="SQLite file where e5 vectors are kept by content hash (passages, vocabulary words); "
        "default <home>/cache/e5.sqlite. Several homes (or test runs) may share one file.",
    )
    default_language: str = Field(
        default="en",
        description="Language assumed for short Latin-script texts whose language cannot be detected.",
    )
    search_encoder: str = Field(
        default="static-use",
        description="Semantic encoder: static-use (offline default: word vectors distilled from the "
        "multilingual USE in its wheel), use (full USE per document, slow), or st:/path/to/model "
        "(a local sentence-transformers model; needs ipai[ml]). Changing it rebuilds the index.",
    )
    search_keyword_weight: float = Field(
        default=1.0, ge=0, description="Weight of the keyword (BM25) list in hybrid rank fusion."
    )
    search_semantic_weight: float = Field(
        default=1.0, ge=0, description="Weight of the semantic list in hybrid rank fusion."
    )
    search_termspace: bool = Field(
        default=True,
        description="Keep a term space: the index's vocabulary encoded with multilingual-e5 (new words only, "
        "cached by content), to translate query words the dictionary lacks (利托那韦 → ritonavir).",
    )
    search_rerank: Literal["use", "e5", "off"] = Field(
        default="use",
        description="Encoder ordering documents that carry only some of a query's concepts: use (the full "
        "multilingual USE, ~1 ms a document), e5 (multilingual-e5-small, slower, cached by content), off.",
    )
    search_semantic_floor: float = Field(
        default=0.88,
        ge=0,
        le=1,
        description="When no document has a query's words, the documents found by meaning alone are shown only "
        "if the best one's e5 similarity to the query reaches this floor (calibrated on nonsense and real "
        "queries: docs/search.md).",
    )
    search_facet_max: int = Field(
        default=10_000,
        ge=100,
        le=1_000_000,
        description="Matched documents the search page's facets (applicant, year, country, class) are counted "
        "over, best first; with more matches the page says the counts are capped. Legal-status and applicant "
        "counts are exact (asked of the index).",
    )
    search_sort_max: int = Field(
        default=50_000,
        ge=100,
        le=1_000_000,
        description="Matched documents a search sorted by date or citations orders (best first); with more "
        "matches the page says only these were sorted.",
    )
    search_export_max: int = Field(
        default=10_000,
        ge=1,
        le=1_000_000,
        description="Rows a search export (CSV, XLSX) writes at most.",
    )
    search_history_keep: int = Field(
        default=50,
        ge=0,
        le=10_000,
        description="Searches kept in each user's (or anonymous visitor's) search history; 0 = keep none.",
    )
    index_workers: int = Field(
        default=0,
        ge=0,
        le=256,
        description="Worker processes that analyse documents while indexing; 0 = one per core.",
    )
    index_shards: int = Field(
        default=1,
        ge=1,
        le=1024,
        description="Search index shards (1 = one index; more = shards built as parallel jobs and queried "
        "in parallel, results merged).",
    )
    cluster_address: str | None = Field(
        default=None,
        description="Distributed engine to run bulk jobs on (a Ray address such as ray://head:10001 or "
        "'auto'); unset = a local engine started on 127.0.0.1 when a job asks for one. Needs ipai[cluster].",
    )
    vector_backend: Literal["auto", "file", "pgvector"] = Field(
        default="auto",
        description="Where semantic vectors are searched: auto (pgvector when the PostgreSQL store has the "
        "vector extension, else files), file (the file-based ANN index) or pgvector.",
    )
    auth: bool = Field(
        default=False,
        description="Require sign-in (API keys or sessions) and enforce roles and tenants. Off = laptop "
        "mode: every request acts as the local administrator. Turn it on for any shared server.",
    )
    rate_limit_per_minute: int = Field(
        default=600,
        ge=0,
        le=1_000_000,
        description="Requests per minute allowed per API key or session (0 = no limit); over it, 429.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live: memory:// (per API process), sqlite:///path (a file the "
        "processes of one machine share; `ipai serve --workers N` uses <home>/cache/ratelimit.sqlite unless "
        "this is set) or redis://host:6379 when several machines serve one platform.",
    )
    session_hours: float = Field(
        default=12.0, gt=0, le=24 * 90, description="Hours a web sign-in session lasts."
    )
    body_max_mb: float = Field(
        default=2.0,
        gt=0,
        le=1024,
        description="Largest request body (MB) of an API call or web form that takes no file upload (JSON and "
        "form bodies); counted while the body streams in, chunked bodies too; over it, 413. Upload routes "
        "take upload_max_mb.",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For, X-Forwarded-Host "
        "and X-Forwarded-Proto headers are believed (comma-separated in IPAI_TRUSTED_PROXIES). Empty (the "
        "default): those headers are ignored and the caller is the address that connected.",
    )
    auth_failures_per_address: int = Field(
        default=10,
        ge=1,
        le=1_000_000,
        description="Failed sign-ins and bad API keys one client address may make before it must back off: "
        "429 with Retry-After, the wait doubling with each further failure (1 s, 2 s, 4 s, …) up to "
        "auth_backoff_max_s.",
    )
    auth_failures_per_account: int = Field(
        default=5,
        ge=1,
        le=1_000_000,
        description="Failed sign-ins of one user name (from any address, known user or not) before sign-ins "
        "of that name back off the same way.",
    )
    auth_backoff_max_s: int = Field(
        default=900,
        ge=1,
        le=86_400,
        description="Longest wait (seconds) a client address or user name is made to back off after failed "
        "sign-ins or bad API keys.",
    )
    auth_failure_window_s: int = Field(
        default=900,
        ge=10,
        le=86_400,
        description="Failed sign-ins are forgotten after this many seconds without a new one; also the period "
        "of the audit log's one aggregated record (with a count) of failures and 429s per address.",
    )
    password_min_length: int = Field(
        default=12,
        ge=8,
        le=128,
        description="Shortest password accepted (CLI and API alike); common and trivially patterned "
        "passwords and ones containing the user name are refused at any length.",
    )
    upload_max_mb: float = Field(
        default=512.0,
        gt=0,
        le=100_000,
        description="Largest file the API and web UI accept for ingest (MB); larger uploads get 413.",
    )
    image_max_mb: float = Field(
        default=20.0,
        gt=0,
        le=1024,
        description="Largest image (upload or indexed file) that image similarity reads, and largest drawing "
        "ingest copies into the media store (MB); larger ones get 413 / are reported and skipped (a drawing is "
        "recorded as missing). Decoded images are also limited to 60 million pixels.",
    )
    status_date: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="The day legal statuses (法律状态) are computed for (YYYY-MM-DD): a term ends and events "
        "count up to it; unset = today's date. Pin it to reproduce a report, a demo or a test.",
    )
    analytics_cache_docs: int = Field(
        default=200_000,
        ge=0,
        le=100_000_000,
        description="Documents whose landscape facts stay in memory between analytics calls "
        "(about 1 KB each; 0 = no cache). Dropped whenever the store changes.",
    )
    webhook_url: str | None = Field(
        default=None,
        description="URL that match notifications (a new demand's matches, new documents matching a "
        "demand) and watchlist alerts are POSTed to as JSON; unset = in-app notifications only.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server that watchlist alerts are e-mailed through; unset = no e-mail.",
    )
    smtp_port: int = Field(
        default=587, ge=1, le=65535, description="SMTP server port (587 submission, 25 relay)."
    )
    smtp_user: str | None = Field(default=None, description="SMTP login user; unset = no login.")
    smtp_password: SecretStr | None = Field(
        default=None,
        description="SMTP login password; set it in the environment (IPAI_SMTP_PASSWORD), not in files. "
        "Never printed.",
    )
    smtp_from: str | None = Field(
        default=None, description="Sender address of alert e-mails; default smtp_user."
    )
    smtp_to: str | None = Field(
        default=None, description="Recipients of alert e-mails, comma-separated; unset = no e-mail."
    )
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS before login."
    )
    evidence_publish_dir: Path | None = Field(
        default=None,
        description="Anchoring (optional, never blocking): every new signed tree head of the evidence "
        "log is also written here as head-<size>.json (e.g. a share others keep copies of).",
    )
    evidence_publish_url: str | None = Field(
        default=None,
        description="Anchoring (optional, never blocking): every new signed tree head is POSTed here as JSON.",
    )
    llm_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint for drafting and Q&A (e.g. http://127.0.0.1:11434/v1 for a "
        "local Ollama); unset = the deterministic drafter and retrieval-only answers.",
    )
    llm_model: str = Field(default="qwen2.5:7b-instruct", description="Model name sent to the LLM endpoint.")
    llm_api_key: SecretStr | None = Field(
        default=None,
        description="Bearer token for the LLM endpoint, if it needs one; set it in the environment "
        "(IPAI_LLM_API_KEY), not in files. Never printed.",
    )
    llm_timeout: float = Field(default=60.0, gt=0, le=3600, description="Seconds to wait for an LLM answer.")
    triz_dir: Path | None = Field(
        default=None,
        description="Folder holding the two TRIZ data sets (pytriz-*/ with matrix_values.csv and triz-ai-*/ with "
        "matrix.json, each with parameters.json and principles.json); default <shared data>/triz.",
    )
    host: str = Field(default="127.0.0.1", description="Address `ipai serve` listens on.")
    port: int = Field(
        default=8000, ge=0, le=65535, description="Port `ipai serve` listens on (0 = any free port)."
    )
    workers: int = Field(
        default=0,
        ge=0,
        le=512,
        description="Web worker processes of `ipai serve` (0 = one per core; 1 = a single process). With "
        "more than one, a supervisor forks them after loading the index once (they share its memory) plus "
        "one writer process that runs background tasks and index refreshes.",
    )
    progress: bool = Field(default=True, description="Show progress bars on long jobs (written to stderr).")

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, v: Any) -> Any:
        """A comma-separated string (environment) or a list; each entry an address or a CIDR network."""
        import ipaddress

        items = [x.strip() for x in v.split(",")] if isinstance(v, str) else list(v or [])
        items = [str(x).strip() for x in items if str(x).strip()]
        for x in items:
            ipaddress.ip_network(x, strict=False)  # ValueError names the field
        return items

    @field_validator(
        "home", "data_dir", "rejects_dir", "config", "evidence_publish_dir", "triz_dir", mode="after"
    )
    @classmethod
    def _expand(cls, v: Path | None) -> Path | None:
        return None if v is None else Path(os.path.expandvars(str(v))).expanduser()

    # ---- derived locations -------------------------------------------------------------
    @property
    def store_url(self) -> str:
        """The effective store URL (embedded SQLite under ``home`` by default)."""
        if self.store:
            return self.store
        return f"sqlite:///{self.home / 'ipai.sqlite'}"

    @property
    def encoder_cache_path(self) -> Path:
        """Where e5 vectors are cached."""
        return self.encoder_cache or (self.home / "cache" / "e5.sqlite")

    @property
    def rejects_path(self) -> Path:
        """Directory for rejects files."""
        return self.rejects_dir or (self.home / "rejects")

    @property
    def shared_data(self) -> Path:
        """The real-data folder (``data_dir`` or ``../shared/data`` beside the project)."""
        if self.data_dir:
            return self.data_dir
        for base in (_project_root(), Path.cwd()):
            cand = base.parent / "shared" / "data"
            if cand.is_dir():
                return cand
        return _project_root().parent / "shared" / "data"

    @property
    def triz_path(self) -> Path:
        """The TRIZ data folder (``triz_dir`` or ``<shared_data>/triz``)."""
        return self.triz_dir or (self.shared_data / "triz")


def _config_file(overrides: dict[str, Any]) -> dict[str, Any]:
    """The TOML config file's settings (its ``[ipai]`` table, or the whole file): the file named by
    the ``config`` override or ``IPAI_CONFIG``, else ``<home>/ipai.toml`` when it exists. Unknown
    keys are kept, so that validation names them ("extra fields not permitted")."""
    path = overrides.get("config") or os.environ.get(ENV_PREFIX + "CONFIG")
    if not path:
        home = overrides.get("home") or os.environ.get(ENV_PREFIX + "HOME") or "~/.ipai"
        cand = Path(os.path.expandvars(str(home))).expanduser() / "ipai.toml"
        path = str(cand) if cand.is_file() else None
    if not path:
        return {}
    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError(f"config file not found: {p}")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config file {p} is not valid TOML: {exc}") from exc
    found: dict[str, Any] = data.get("ipai", data)
    return found


def _environment() -> dict[str, str]:
    """``IPAI_<NAME>`` variables of the settings (names in any case, as pydantic-settings read them)."""
    env = {k.lower(): v for k, v in os.environ.items()}
    return {n: env[k] for n in Settings.model_fields if (k := (ENV_PREFIX + n).lower()) in env}


def load_settings(**overrides: Any) -> Settings:
    """Build the settings object; ``overrides`` (CLI flags) win over the environment, which wins
    over the config file, which wins over the defaults."""
    overrides = {k: v for k, v in overrides.items() if v is not None}
    values = {**_config_file({k: str(overrides[k]) for k in ("config", "home") if k in overrides})}
    values |= _environment()
    values |= overrides
    try:
        return Settings(**values)
    except ValidationError as exc:
        errs = [{"field": ".".join(str(x) for x in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        names = ", ".join(e["field"] for e in errs)
        raise InputError(f"invalid setting(s): {names}", errors=errs) from exc


def describe_settings() -> list[dict[str, Any]]:
    """Every setting with its environment variable, default and help text."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default
        rows.append(
            {
                "name": name,
                "env": ENV_PREFIX + name.upper(),
                "default": None if default is None else str(default),
                "help": field.description or "",
            }
        )
    return rows
