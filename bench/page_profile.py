"""Where a page's time goes when it is rendered afresh: SQL, templates and the rest (Python).

In process, through Django's test client, against the benchmark's database and cache, with
the settings gunicorn runs with. Before each request every scope's version is renewed
(canto_portal.versions.renew), so nothing the page shows comes from the cache, as right after
a write. SQL time is what the database calls take (a connection.execute_wrapper); template
time is what rendering templates takes, less the SQL run from inside a template (a lazy
queryset a loop reads); Python time is the rest of the request: views, forms, middleware,
Redis. CPU time is what this process spent on the processor during the request: on a machine
busy with other work it stays put while the times above grow. bench/run.py --profile calls it
once the dataset is built."""

import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.template import base
from django.test import Client


@dataclass
class Clock:
    sql: float = 0.0
    template: float = 0.0
    sql_in_templates: float = 0.0
    queries: int = 0
    depth: int = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            self.queries += 1
            if self.depth:
                self.sql_in_templates += spent


@contextmanager
def timed_templates(clock):
    """Times the outermost template render: an include renders inside its parent."""
    original = base.Template.render

    def render(template, context):
        clock.depth += 1
        started = time.perf_counter()
        try:
            return original(template, context)
        finally:
            clock.depth -= 1
            if not clock.depth:
                clock.template += time.perf_counter() - started

    base.Template.render = render
    try:
        yield
    finally:
        base.Template.render = original


@dataclass
class Split:
    totals: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    template: list[float] = field(default_factory=list)
    python: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: int = 0

    def add(self, total, cpu, clock):
        template = clock.template - clock.sql_in_templates
        self.totals.append(total * 1000)
        self.sql.append(clock.sql * 1000)
        self.template.append(template * 1000)
        self.python.append((total - clock.sql - template) * 1000)
        self.cpu.append(cpu * 1000)
        self.queries = clock.queries

    def figures(self):
        return {
            "median": statistics.median(self.totals),
            "p95": statistics.quantiles(self.totals, n=20, method="inclusive")[18],
            "sql": statistics.median(self.sql),
            "python": statistics.median(self.python),
            "template": statistics.median(self.template),
            "cpu": statistics.median(self.cpu),
            "queries": self.queries,
        }


def profile(path, session, renew, runs):
    """The split of `runs` requests of `path`, each rendered afresh, after two to warm up."""
    client = Client(SERVER_NAME="127.0.0.1")
    if session:
        client.cookies["sessionid"] = session
    split = Split()
    for run in range(runs + 2):
        renew()
        clock = Clock()
        with connection.execute_wrapper(clock), timed_templates(clock):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            total = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        if response.status_code != 200:
            raise SystemExit(f"{path} answers {response.status_code}, not 200")
        if run >= 2:
            split.add(total, cpu, clock)
    return split.figures()


def table(results):
    lines = [
        "| page | median ms | p95 ms | SQL ms | queries | Python ms | template ms | CPU ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {label} | {f['median']:.1f} | {f['p95']:.1f} | {f['sql']:.1f} | {f['queries']} | "
        f"{f['python']:.1f} | {f['template']:.1f} | {f['cpu']:.1f} |"
        for label, f in results.items()
    ]
    return "\n".join(lines)
