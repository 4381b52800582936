"""Metrics for operators in Prometheus' text format, served by `/metrics`
(policy/metrics_views.py decides who may read them).

Two kinds of figures:

- **Events counted where they happen** (request latency, rate-limit refusals, PDF check
  outcomes): prometheus_client counters and histograms made with `counter()` and
  `histogram()`. gunicorn runs several worker processes and the task workers are
  processes of their own, so with `PROMETHEUS_MULTIPROC_DIR` set (scripts/serve.sh and
  the stack set it) every process writes its figures to a memory-mapped file in that
  directory and a scrape adds them up over every process of the machine, dead ones
  included, so a counter never goes back when a worker is replaced. Without it (one
  process) the figures are the process's own.
- **States read from the database at scrape time** (task queue depth and age, outbox
  and newsletter delivery states): collectors that feature apps register from their
  `AppConfig.ready()` with `register_collector`, as they register sections with
  `policy.registry`. Each costs a fixed number of queries whatever the data, and one
  that fails is reported as `kr_metrics_collector_up{collector="…"} 0` instead of
  failing the whole scrape.
"""

import logging
import os
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

#: The classic text exposition format, which every Prometheus version reads (our
#: names need none of the escaping that version 1.0.0 adds).
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# The counters and histograms of this process; in multiprocess mode their values also
# go to the shared directory, which is what a scrape reads then.
_process_registry = CollectorRegistry()
_collectors: dict[str, Callable] = {}


def multiprocess_mode():
    """True when prometheus_client keeps figures in PROMETHEUS_MULTIPROC_DIR (it decides
    this from the environment when first imported)."""
    return "PROMETHEUS_MULTIPROC_DIR" in os.environ or "prometheus_multiproc_dir" in os.environ


def counter(name, documentation, labelnames=(), *, initial=()):
    """A counter named `name` (exposed as `name_total`). `initial` lists label values
    shown as 0 from the start, so that an alert on a rate has a series before the first event."""
    metric = Counter(name, documentation, labelnames, registry=_process_registry)
    for values in initial:
        metric.labels(*values)
    return metric


def histogram(name, documentation, labelnames=(), *, buckets):
    return Histogram(name, documentation, labelnames, registry=_process_registry, buckets=buckets)


def register_collector(name, collect):
    """`collect()` returns metric families (prometheus_client.core.GaugeMetricFamily …)
    read at scrape time; `name` labels it in kr_metrics_collector_up."""
    _collectors[name] = collect


class _ProcessMetrics:
    """This process's own counters, for a scrape outside multiprocess mode."""

    def collect(self):
        return _process_registry.collect()


class _RegisteredCollectors:
    def collect(self):
        up = GaugeMetricFamily(
            "kr_metrics_collector_up",
            "1 when the collector's figures could be read at this scrape, 0 when reading them failed.",
            labels=["collector"],
        )
        for name, collect in _collectors.items():
            try:
                families = list(collect())
            except Exception:  # a broken collector must not hide every other figure
                logger.exception("Metrics collector %s failed", name)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up


def scrape(multiprocess=None):
    """Every figure in the text exposition format (bytes)."""
    if multiprocess is None:
        multiprocess = multiprocess_mode()
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess:
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    registry.register(_RegisteredCollectors())
    return generate_latest(registry)
