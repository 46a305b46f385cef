"""Smoke run of the benchmark command (``python -m benchmarks run --size tiny``).

Checks that the report is written and that its figures are sane: scores within [0, 1],
latencies above zero, counts that match what the tiny size asks for. No timing thresholds.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.run import SECTIONS, TARGETS
from benchmarks.sizes import TINY
from bot.config import PROJECT_ROOT
from bot.launcher import quiet_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("benchmarks")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "run", "--size", "tiny", "--out", str(out)],
        cwd=PROJECT_ROOT, env=quiet_env(), capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return out, json.loads((out / "benchmarks.json").read_text(encoding="utf-8"))


def in_unit_interval(value) -> bool:
    return value is None or 0.0 <= value <= 1.0


def test_the_report_files_are_written(run):
    out, report = run
    markdown = (out / "benchmarks.md").read_text(encoding="utf-8")
    for heading in ("## Targets", "## 1. NLU quality", "## 2. Municipality and service",
                    "## 3. Latency and throughput", "## 4. Catalogue search", "## 5. Footprint"):
        assert heading in markdown
    assert "This section failed" not in markdown
    assert set(report["sections"]) == set(SECTIONS)
    assert len(report["plots"]) >= 6
    for plot in report["plots"]:
        path = out / plot
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", plot
        assert f"({plot})" in markdown, plot


def test_targets_are_all_judged(run):
    _, report = run
    assert [t["name"] for t in report["targets"]] == list(TARGETS)
    for target in report["targets"]:
        assert target["met"] in (True, False, None)
        assert (target["measured"] is None) == (target["met"] is None)


def test_nlu_figures_are_sane(run):
    _, report = run
    nlu = report["sections"]["nlu_quality"]
    assert set(nlu["pipelines"]) == {"ikaneuvo", "baseline"}
    assert nlu["held_out_examples"] == TINY.held_out_limit
    assert nlu["entity_utterances"] == TINY.entity_utterances
    for pipeline in nlu["pipelines"].values():
        held_out = pipeline["held_out"]
        assert held_out["n"] == TINY.held_out_limit
        assert sum(map(sum, held_out["confusion"]["matrix"])) == held_out["n"]
        for variant in pipeline["robustness"].values():
            assert variant["n"] == held_out["n"]
            assert in_unit_interval(variant["macro_f1"]) and in_unit_interval(variant["accuracy"])
        assert all(in_unit_interval(s["f1"]) for s in held_out["per_intent"].values())
        for scores in pipeline["entities"].values():
            assert in_unit_interval(scores["precision"]) and in_unit_interval(scores["recall"])
        assert pipeline["train_seconds"] > 0 and pipeline["model_megabytes"] > 0
        assert pipeline["parse_latency_in_process"]["p50_ms"] > 0
    gold_municipalities = nlu["pipelines"]["ikaneuvo"]["entities"]["municipality"]
    assert (gold_municipalities["true_positives"] + gold_municipalities["false_negatives"]
            == TINY.entity_utterances - TINY.entity_utterances // 10)
    assert "skipped" in nlu["cross_validation"]


def test_resolution_figures_are_sane(run):
    _, report = run
    resolution = report["sections"]["resolution"]
    overall = resolution["overall"]
    by_entity = resolution["by_entity"]
    assert overall["n"] == sum(block["n"] for block in by_entity.values())
    for block in by_entity.values():
        assert block["n"] == sum(kind["n"] for kind in block["by_kind"].values())
    assert by_entity["municipality"]["by_kind"]["locative"]["n"] >= 21
    assert by_entity["service"]["by_kind"]["nominative"]["n"] >= 20
    assert resolution["typos"]["n"] == sum(c["n"] for c in resolution["typos_by_class"].values())
    for block in (overall, resolution["typos"], resolution["without_typos"]):
        assert in_unit_interval(block["accuracy"]) and in_unit_interval(block["baseline_accuracy"])
    assert len(resolution["failures"]) == overall["wrong_value"] + overall["missed"]


def test_serving_figures_are_sane(run):
    _, report = run
    serving = report["sections"]["serving"]
    cold = serving["cold_start"]
    assert 0 < cold["action_server_ready_seconds"] < cold["rasa_server_ready_seconds"]
    assert cold["to_first_answer_seconds"] >= cold["rasa_server_ready_seconds"]
    assert [level["concurrency"] for level in serving["levels"]] == list(TINY.concurrency)
    for level in serving["levels"]:
        for kind in ("webhook", "parse"):
            figures = level[kind]
            latency = figures["latency"]
            assert figures["messages"] == latency["count"] + figures["errors"]
            assert latency["count"] > 0
            assert 0 < latency["p50_ms"] <= latency["p95_ms"] <= latency["p99_ms"]
            assert figures["messages_per_second"] > 0
        assert level["parse"]["messages"] == level["webhook"]["messages"]
    for name in ("rasa_server", "action_server"):
        assert 0 < serving["rss_megabytes_after_start"][name] <= serving["rss_megabytes_peak"][name]


def test_search_figures_are_sane(run):
    _, report = run
    databases = report["sections"]["catalogue_search"]["databases"]
    assert set(databases) == set(TINY.databases)
    for steps in databases.values():
        assert [s["synthetic_services"] for s in steps] == list(TINY.catalogue_sizes)
        for step in steps:
            assert step["services"] > step["synthetic_services"]  # plus the seed catalogue
            assert step["latency"]["count"] == step["queries"] == TINY.search_queries
            assert 0 < step["latency"]["p50_ms"] <= step["latency"]["p95_ms"]
            assert 0 < step["queries_with_hits"] <= step["queries"]
