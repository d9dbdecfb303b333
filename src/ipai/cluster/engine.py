"""The distributed engine under ipai's bulk jobs: Ray, started locally or joined as a cluster.

``settings.cluster_address`` unset: a job starts a private local Ray on 127.0.0.1 with as many
CPUs as it was given workers, and stops it when the job ends (tests, laptops, one server).
Set (``auto``, ``ray://head:10001``, ``head:6379``): the job joins that cluster and leaves it
running. Ray is optional (``pip install 'ipai[cluster]'``); without it every job says so.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ipai.errors import BackendError, MissingExtra
from ipai.search.build import cpu_count
from ipai.settings import Settings

LOOPBACK = "127.0.0.1"
NAMESPACE = "ipai"
# Ray resolves a node's address from the network unless told that this is a single machine:
# with this variable off, every server of a local engine listens on the loopback address only
_LOCAL_ONLY_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


def ray_available() -> bool:
    """Whether Ray can be imported (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("ray") is not None


def ray_module(*, local: bool = False) -> Any:
    """The ``ray`` module, or :class:`MissingExtra` naming ``ipai[cluster]``; ``local`` keeps a
    local engine on the loopback address (it must be decided before Ray is first imported)."""
    if local and "ray" not in sys.modules:
        os.environ.setdefault(_LOCAL_ONLY_ENV, "0")
    try:
        import ray
    except ImportError as exc:
        raise MissingExtra("cluster", "ray", "Distributed jobs (ipai cluster …, ipai bench scale)") from exc
    return ray


@dataclass(frozen=True)
class KillSwitch:
    """A fault to inject (tests, drills): the worker running ``target`` (a shard number or a file
    name) kills its own process with SIGKILL once it has done ``after`` units of work, on its first
    attempt only (``marker`` records that it fired, and the pid it killed)."""

    target: str
    after: int
    marker: str

    def check(self, target: str, done: int) -> None:
        """Kill this process if the switch is armed for ``target`` and ``done`` reached ``after``."""
        if target == self.target and done >= self.after and not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()), encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)


def for_workers(settings: Settings, **updates: Any) -> Settings:
    """The settings a task is sent: secrets no worker needs (SMTP password, LLM key, webhook) left
    out, ``updates`` applied. The store URL stays: workers read the store."""
    secret = {
        name: None
        for name, field in Settings.model_fields.items()
        if field.annotation is not None and "SecretStr" in str(field.annotation)
    }
    return settings.model_copy(update={**secret, "webhook_url": None, "progress": False, **updates})


class Cluster:
    """The engine for one job: ``with Cluster(settings, workers=2) as c: c.ray.remote(...)``.

    Joins a running Ray when this process already has one (tests share one local engine),
    else starts or connects as the settings say; only an engine it started is stopped on exit.
    """

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers or cpu_count()
        self.address = settings.cluster_address
        self.ray: Any = None
        self.started = False

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start a local engine or connect to the configured cluster (idempotent)."""
        ray = self.ray = ray_module(local=self.address is None)
        if ray.is_initialized():
            return
        common = {"namespace": NAMESPACE, "logging_level": logging.WARNING, "log_to_driver": False}
        try:
            if self.address:
                _check_reachable(self.address)
                ray.init(address=self.address, **common)
            else:
                # workers run at this command's priority (Ray's default would lower them to nice 15)
                ray.init(
                    num_cpus=self.workers,
                    include_dashboard=False,
                    _node_ip_address=LOOPBACK,
                    _system_config={"worker_niceness": os.nice(0)},
                    **common,
                )
        except (
            ConnectionError,
            TimeoutError,
            RuntimeError,
            ValueError,
        ) as exc:  # unreachable, or no ray client
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            where = f"reach the Ray cluster at {self.address}" if self.address else "start a local Ray engine"
            raise BackendError(f"cannot {where}: {first}") from exc
        self.started = True

    def stop(self) -> None:
        """Stop the engine if this object started it."""
        if self.started and self.ray is not None:
            self.ray.shutdown()
            self.started = False

    @property
    def cpus(self) -> int:
        """CPUs the engine offers to tasks."""
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def describe(self) -> dict[str, Any]:
        """Address, nodes and CPUs of the running engine."""
        ray = self.ray
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        return {
            "engine": "ray",
            "version": ray.__version__,
            "local": self.address is None,
            "address": self.address or ray.get_runtime_context().gcs_address,
            "nodes": len(nodes),
            "cpus": self.cpus,
        }


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast on a ``host:port`` or ``ray://host:port`` nobody answers on (Ray itself retries
    an unreachable head for minutes); ``auto`` and other forms are left to Ray."""
    import socket

    hostport = address.split("://", 1)[1] if address.startswith("ray://") else address
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ConnectionError(f"nothing answers on {host}:{port} ({exc.strerror or exc})") from exc


def status(settings: Settings) -> dict[str, Any]:
    """The configured engine without starting one: what a job would use."""
    if not ray_available():
        return {"engine": "ray", "installed": False, "hint": "pip install 'ipai[cluster]'"}
    if settings.cluster_address is None:
        return {
            "engine": "ray",
            "installed": True,
            "local": True,
            "address": f"started on {LOOPBACK} by each job (IPAI_CLUSTER_ADDRESS unset)",
            "cpus": cpu_count(),
        }
    try:
        with Cluster(settings) as c:
            return {"installed": True, "reachable": True, **c.describe()}
    except BackendError as exc:
        return {
            "engine": "ray",
            "installed": True,
            "address": settings.cluster_address,
            "reachable": False,
            "error": exc.message,
        }
