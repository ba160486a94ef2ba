"""The load benchmark: every page against a bare baseline view, side by side in one run.

Builds a dataset ten times the real association on a throw-away PostgreSQL database, serves
the portal with gunicorn (DEBUG off, production settings) on 127.0.0.1, drives each page with
locust in headless mode at 1, 8 and 32 users for a bounded time, and writes the table to
docs/benchmarks.md, keeping what is written by hand below its KEPT line.

    python bench/run.py [--seconds 10] [--users 1,8,32] [--workers 4]
    python bench/run.py --profile [--runs 15]    # where each page's time goes, no load

--database-name (canto_bench) and --cache-url let two runs share the machine; --keep-database
measures on the dataset an earlier run built."""

import argparse
import csv
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
ADMIN_DSN = os.environ.get("BENCH_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
# Its own Redis database, emptied before each run: no fragment from an earlier run.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2")
BASELINE = "baseline (constant response)"
# Everything below this line of the output file is written by hand and kept by each run.
KEPT = "<!-- Written by hand from here on: bench/run.py keeps it. -->"


def pages(info):
    """(label, path, role): every page the issue names, logged in as the role that uses it."""
    return [
        (BASELINE, "/bench/baseline", "anonymous"),
        ("home", "/", "anonymous"),
        ("directory, first page", "/members/", "operator"),
        (
            "directory, filtered",
            f"/members/?country={info['member_country']}&category={info['member_category']}",
            "operator",
        ),
        ("member profile", f"/members/{info['member_slug']}/", "operator"),
        ("member dashboard", "/portal/", "operator"),
        ("invoices", "/portal/invoices/", "operator"),
        ("agreement register, filtered", "/agreements/?status=active", "board"),
        ("agreement page", f"/agreements/{info['agreement']}/", "board"),
        ("representatives", "/representatives/", "board"),
        ("briefings", "/briefings/", "anonymous"),
        ("admin member list", "/admin/members/member/", "secretariat"),
        ("board attention page", "/board/", "board"),
        ("secretariat dashboard", "/admin/", "secretariat"),
        ("search", "/search/?q=cooperation+agreement", "board"),
    ]


def environment(database, cache_url):
    return os.environ | {
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on 127.0.0.1, no TLS proxy in front.
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": cache_url,
        "BENCHMARK_BASELINE": "true",
        "LOG_LEVEL": "WARNING",
        "BENCH_SESSIONS_FILE": str(ROOT / "bench" / f".sessions-{database}.json"),
    }


def run(*args, env):
    subprocess.run([str(BIN / "python"), *args], cwd=ROOT, env=env, check=True)


def recreate_database(database, cache_url):
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")
    redis.Redis.from_url(cache_url).flushdb()


def wait_until_up(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def page_request(path, role, sessions):
    """A request for `path` carrying the session of `role` (none for anonymous)."""
    request = urllib.request.Request(HOST + path)
    if role != "anonymous":
        request.add_header("Cookie", f"sessionid={sessions[role]}")
    return request


def check_page(path, role, sessions):
    request = page_request(path, role, sessions)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{path} as {role} answers {status}, not 200: fix it before measuring")


def rendered_afresh(path, role, sessions, renew_version, times=15):
    """Milliseconds of single requests each made right after a data change (the data version
    renewed), so that nothing the page shows comes from the cache: median and slowest."""
    request = page_request(path, role, sessions)
    timings = []
    for _ in range(times):
        renew_version()
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(timings), "slowest": max(timings)}


def portal_renew_version(env):
    """canto_portal.versions.renew, run here against the benchmark's cache: renews every
    scope, so that every part of a page is rendered afresh."""
    os.environ.update(env | {"DJANGO_SETTINGS_MODULE": "canto_portal.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from canto_portal.versions import renew

    return renew


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def measure(path, role, users, seconds, env):
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "run"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                HOST,
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{seconds}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            cwd=ROOT,
            env=env | {"BENCH_PATH": path, "BENCH_ROLE": role},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(f"{prefix}_stats.csv") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
    }


def machine():
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    with psycopg.connect(ADMIN_DSN) as connection:
        server = connection.execute("SHOW server_version").fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; PostgreSQL {server}"
    )


def report(results, afresh, users_levels, seconds, workers):
    lines = [
        "# Benchmarks",
        "",
        f"Run on {datetime.date.today():%Y-%m-%d} by `make bench` (bench/run.py): {machine()}.",
        f"gunicorn with {workers} sync workers, DEBUG off; locust headless, {seconds} s per page "
        "and concurrency, no wait between requests; dataset ten times the association "
        "(1,230 members, about 6,000 contacts, 3 years of dues with their invoices and payments, "
        "300 agreements, 200 briefings). "
        "The load generator runs on the same machine and takes its share of the cores, for "
        "the baseline as for every page, which is why each page is shown as a ratio to the "
        "baseline measured in the same run.",
        "",
    ]
    for users in users_levels:
        baseline = results[(BASELINE, users)]["rps"]
        lines += [
            f"## {users} concurrent user{'s' if users > 1 else ''}",
            "",
            "| page | requests/s | p50 ms | p95 ms | ratio to baseline | failures |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for (label, level), figures in results.items():
            if level != users:
                continue
            ratio = figures["rps"] / baseline if baseline else 0
            lines.append(
                f"| {label} | {figures['rps']:.1f} | {figures['p50']:.0f} | "
                f"{figures['p95']:.0f} | {ratio:.0%} | {figures['failures']} |"
            )
        lines.append("")
    lines += [
        "## Rendered afresh, after a data change",
        "",
        "The tables above are pages served as they are most of the time, from the cache "
        "(canto_portal/fragments.py). A change to the data renews the version of what it "
        "belongs to, and the next request of each page showing that renders it again from "
        "the database. One user, each request right after every version is renewed:",
        "",
        "| page | median ms | slowest ms |",
        "|---|---:|---:|",
        *(
            f"| {label} | {figures['median']:.0f} | {figures['slowest']:.0f} |"
            for label, figures in afresh.items()
        ),
        "",
    ]
    lines += targets(results)
    return "\n".join(lines)


def targets(results, users=8, p95_ms=150, ratio=0.20):
    """The targets at 8 users: p95 under 150 ms and at least 20% of the baseline."""
    baseline = results.get((BASELINE, users))
    if not baseline:
        return []
    misses = [
        f"- {label}: p95 {figures['p95']:.0f} ms, {figures['rps'] / baseline['rps']:.0%} of "
        "the baseline"
        for (label, level), figures in results.items()
        if level == users
        and label != BASELINE
        and (figures["p95"] >= p95_ms or figures["rps"] < ratio * baseline["rps"])
    ]
    verdict = "every page meets them." if not misses else "these pages miss them:"
    return [
        "## Against the targets",
        "",
        f"At {users} users, p95 under {p95_ms} ms and at least {ratio:.0%} of the baseline's "
        f"requests per second: {verdict}",
        "",
        *misses,
        "",
    ]


def build_dataset(env, database, cache_url):
    print("Building the dataset on PostgreSQL database", database)
    recreate_database(database, cache_url)
    run("manage.py", "migrate", "--no-input", "-v", "0", env=env)
    run("bench/dataset.py", env=env)
    # A database that has been running has its planner statistics; right after a bulk load,
    # autovacuum has not analysed the tables yet, and every plan would guess from none.
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    run("manage.py", "collectstatic", "--no-input", "-v", "0", env=env)


def profile_pages(info, env, runs):
    """Each page rendered afresh `runs` times in this process: the SQL, Python and template
    split of bench/page_profile.py."""
    renew = portal_renew_version(env)
    from page_profile import profile, table

    results = {}
    for label, path, role in pages(info):
        if label == BASELINE:
            continue
        results[label] = profile(path, info["sessions"].get(role), renew, runs)
        figures = results[label]
        print(
            f"{label:<32} median {figures['median']:6.1f} ms  p95 {figures['p95']:6.1f} ms  "
            f"SQL {figures['sql']:5.1f} ms ({figures['queries']} queries)  "
            f"Python {figures['python']:5.1f} ms  template {figures['template']:5.1f} ms  "
            f"CPU {figures['cpu']:5.1f} ms"
        )
    print()
    print(table(results))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--users", default="1,8,32")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--database-name", default="canto_bench")
    parser.add_argument("--cache-url", default=CACHE_URL)
    parser.add_argument(
        "--keep-database", action="store_true", help="measure on the dataset already built"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print each page's SQL, Python and template time rendered afresh, no load",
    )
    parser.add_argument("--runs", type=int, default=15, help="requests per page profiled")
    options = parser.parse_args()
    users_levels = [int(u) for u in options.users.split(",")]
    env = environment(options.database_name, options.cache_url)

    if not options.keep_database:
        build_dataset(env, options.database_name, options.cache_url)
    info = json.loads(Path(env["BENCH_SESSIONS_FILE"]).read_text())
    if options.profile:
        profile_pages(info, env, options.runs)
        return

    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "canto_portal.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(f"{HOST}/healthz")
        for _, path, role in pages(info):
            check_page(path, role, info["sessions"])
        results = {}
        for users in users_levels:
            for label, path, role in pages(info):
                figures = measure(path, role, users, options.seconds, env)
                results[(label, users)] = figures
                print(
                    f"{users:>3} users  {label:<32} {figures['rps']:8.1f} req/s  "
                    f"p50 {figures['p50']:5.0f} ms  p95 {figures['p95']:5.0f} ms"
                )
        renew_version = portal_renew_version(env)
        afresh = {
            label: rendered_afresh(path, role, info["sessions"], renew_version)
            for label, path, role in pages(info)
            if label != BASELINE
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = report(results, afresh, users_levels, options.seconds, options.workers)
    output = Path(options.output)
    _, marker, kept = output.read_text().partition(KEPT) if output.exists() else ("", "", "")
    output.write_text(text + "\n" + marker + kept)
    print(text)


if __name__ == "__main__":
    main()
