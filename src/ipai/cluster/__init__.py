"""Bulk jobs on a distributed engine (Ray): parallel ingest, sharded index builds, scale benchmarks.

``engine`` starts a local Ray on 127.0.0.1 or joins ``settings.cluster_address``; ``ingest``
parses files on workers while the driver writes the store; ``index`` builds the shards of a
sharded search index as retryable tasks that resume from their checkpoints; ``bench_scale`` and
``bench_engines`` measure. Needs ``pip install 'ipai[cluster]'``.
"""

from ipai.cluster.engine import Cluster, ray_available, ray_module

__all__ = ["Cluster", "ray_available", "ray_module"]
