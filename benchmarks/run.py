"""Run the benchmark sections, judge the targets and write the report.

Sections, in the order they run (cheap first, so a failure shows early):
  resolution        municipality and service names → catalogue ids, against exact matching
  catalogue_search  search p50/p95 at growing catalogue sizes, SQLite and PostgreSQL
  serving           real servers: cold start, latency and throughput, memory
  nlu_quality       both pipelines trained here: held-out, cross-validation, robustness, entities
A section that fails is reported with its error; the others still run and the command exits 1.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bot.config import PROJECT_ROOT

SECTIONS = ("resolution", "catalogue_search", "serving", "nlu_quality")
TARGETS = {
    "intent_macro_f1_held_out": {"label": "intent macro-F1, held-out file", "at_least": 0.95},
    "resolution_accuracy": {"label": "municipality and service resolution incl. typos",
                            "at_least": 0.98},
    "p95_ms_10_conversations": {"label": "p95 latency at 10 concurrent conversations, 0 errors",
                                "at_most": 150.0},
    "search_p95_ms_10k_sqlite": {"label": "search p95 at 10k services, SQLite", "at_most": 5.0},
    "search_p95_ms_10k_postgresql": {"label": "search p95 at 10k services, PostgreSQL",
                                     "at_most": 5.0},
    "cold_start_seconds": {"label": "cold start to first answer", "at_most": 45.0},
}


def machine() -> dict:
    import psutil

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True,
                              text=True).stdout.strip()

    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        rasa_version = version("rasa")
    except Exception:  # noqa: BLE001 - only for the report
        rasa_version = "?"
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "rasa": rasa_version,
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def judge(name: str, measured: float | None, note: str = "") -> dict:
    target = TARGETS[name]
    bound = target.get("at_least", target.get("at_most"))
    if measured is None:
        met = None
    elif "at_least" in target:
        met = measured >= bound
    else:
        met = measured <= bound
    return {
        "name": name, "label": target["label"],
        "target": (">= " if "at_least" in target else "<= ") + f"{bound:g}",
        "measured": measured, "met": met,
        "measured_to_target": measured / bound if measured is not None and bound else None,
        "note": note,
    }


def targets(sections: dict) -> list[dict]:
    judged = []
    nlu = sections.get("nlu_quality", {})
    f1 = nlu.get("pipelines", {}).get("ikaneuvo", {}).get("held_out", {}).get("macro_f1")
    judged.append(judge("intent_macro_f1_held_out", f1))
    resolution = sections.get("resolution", {})
    judged.append(judge("resolution_accuracy", resolution.get("overall", {}).get("accuracy")))
    serving = sections.get("serving", {})
    level = next((lv for lv in serving.get("levels", []) if lv["concurrency"] == 10), None)
    if level:
        errors = level["webhook"]["errors"]
        p95 = level["webhook"]["latency"]["p95_ms"]
        result = judge("p95_ms_10_conversations", p95, f"{errors} errors")
        if errors:
            result["met"] = False
        judged.append(result)
    else:
        judged.append(judge("p95_ms_10_conversations", None, "10 concurrent not run"))
    for kind in ("sqlite", "postgresql"):
        steps = sections.get("catalogue_search", {}).get("databases", {}).get(kind, [])
        step = next((s for s in steps if s["synthetic_services"] == 10_000), None)
        judged.append(judge(f"search_p95_ms_10k_{kind}",
                            step["latency"]["p95_ms"] if step else None,
                            "" if step else "not run at 10k"))
    cold = serving.get("cold_start", {}).get("to_first_answer_seconds")
    judged.append(judge("cold_start_seconds", cold))
    return judged


def run_section(name: str, size, workdir: Path) -> dict:
    if name == "resolution":
        from benchmarks.resolution import run_resolution

        return run_resolution(size.typos_per_form)
    if name == "catalogue_search":
        from benchmarks.catalogue_search import run_catalogue_search

        return run_catalogue_search(size.catalogue_sizes, size.databases, size.search_queries,
                                    workdir / "search")
    if name == "serving":
        from benchmarks.serving import run_serving

        return run_serving(size, workdir / "serving")
    if name == "nlu_quality":
        from benchmarks.nlu_quality import run_nlu_quality

        return run_nlu_quality(size, workdir / "nlu")
    raise ValueError(name)


def _finish(report: dict, started: float) -> None:
    report["targets"] = targets(report["sections"])
    report["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    report["duration_seconds"] = time.time() - started


def run(size, out: Path, sections: tuple[str, ...] = SECTIONS) -> int:
    from benchmarks.report import write_report

    # Loopback only: no usage reports from Rasa; honest training times: no training cache.
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    started = time.time()
    report: dict = {
        "command": "python -m benchmarks run " + " ".join(sys.argv[2:]),
        "size": size.name,
        "started": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "sections": {},
        "section_seconds": {},
    }
    failed = False
    paths: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="ikaneuvo-benchmarks-") as tmp:
        for name in sections:
            print(f"==> {name}", flush=True)
            section_started = time.perf_counter()
            try:
                report["sections"][name] = run_section(name, size, Path(tmp))
            except Exception as error:  # noqa: BLE001 - reported, the other sections go on
                failed = True
                traceback.print_exc()
                report["sections"][name] = {"error": f"{type(error).__name__}: {error}"}
            report["section_seconds"][name] = time.perf_counter() - section_started
            # The report so far, after every section: a long run that is stopped keeps it.
            _finish(report, started)
            paths = write_report(report, out)
    for path in paths:
        print(f"wrote {path}")
    return 1 if failed else 0
