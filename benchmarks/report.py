"""Write the benchmark report: OUT/benchmarks.md, OUT/benchmarks.json, OUT/benchmarks/*.png."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from types import ModuleType

PIPELINE_NAMES = {"ikaneuvo": "Ikäneuvo (config.yml)", "baseline": "baseline (Rasa default)"}


def fmt(value, digits: int = 3, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value}{suffix}"
    return f"{value:.{digits}f}{suffix}"


def ratio_text(value, reference, digits: int = 2) -> str:
    if value is None or not reference:
        return "–"
    return f"{value / reference:.{digits}f}×"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines + [""]


# ----------------------------------------------------------------------------------- plots


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_confusions(pipelines: dict[str, dict], path: Path, title: str) -> None:
    import numpy as np

    plt = _pyplot()
    fig, axes = plt.subplots(1, len(pipelines), figsize=(8 * len(pipelines), 7.5))
    axes = np.atleast_1d(axes)
    for ax, (name, conf) in zip(axes, pipelines.items(), strict=True):
        matrix = np.array(conf["matrix"], dtype=float)
        totals = matrix.sum(axis=1, keepdims=True)
        normalised = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
        ax.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
        ax.set_xticks(range(len(conf["columns"])), conf["columns"], rotation=90, fontsize=7)
        ax.set_yticks(range(len(conf["rows"])), conf["rows"], fontsize=7)
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                if matrix[i, j]:
                    ax.text(j, i, int(matrix[i, j]), ha="center", va="center", fontsize=6,
                            color="white" if normalised[i, j] > 0.5 else "black")
        ax.set_title(PIPELINE_NAMES.get(name, name))
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_grouped_bars(groups: list[str], series: dict[str, list[float | None]], path: Path,
                      title: str, ylabel: str, rotate: bool = True) -> None:
    import numpy as np

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(6, 0.55 * len(groups) * len(series)), 4.5))
    width = 0.8 / max(1, len(series))
    x = np.arange(len(groups))
    for k, (name, values) in enumerate(series.items()):
        ax.bar(x + k * width - 0.4 + width / 2, [v or 0 for v in values], width, label=name)
    ax.set_xticks(x, groups, rotation=60 if rotate else 0, ha="right" if rotate else "center",
                  fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_latency(levels: list[dict], path: Path) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    concurrency = [lv["concurrency"] for lv in levels]
    for source, style in (("webhook", "-"), ("parse", "--")):
        for q, marker in (("p50_ms", "o"), ("p95_ms", "s"), ("p99_ms", "^")):
            values = [lv[source]["latency"][q] for lv in levels]
            label = ("REST channel (dialogue + actions)" if source == "webhook"
                     else "/model/parse (NLU only)") + f" {q[:3]}"
            ax.plot(concurrency, values, style, marker=marker, label=label)
    ax.axhline(150, color="red", linewidth=0.8, label="target p95 at 10: 150 ms")
    ax.set_xticks(concurrency, [str(c) for c in concurrency])
    _save_log_log(plt, fig, ax, path, "concurrent conversations", "latency per message (ms)",
                  "Latency under load", legend_size=7)


def _save_log_log(plt, fig, ax, path: Path, xlabel: str, ylabel: str, title: str,
                  legend_size: int = 8) -> None:
    """Both axes logarithmic, labelled, with a legend; written to ``path`` and closed."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=legend_size)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_search(databases: dict[str, list[dict]], path: Path) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for kind, steps in databases.items():
        sizes = [s["synthetic_services"] for s in steps]
        for q, style in (("p50_ms", "-o"), ("p95_ms", "--s")):
            ax.plot(sizes, [s["latency"][q] for s in steps], style, label=f"{kind} {q[:3]}")
    ax.axhline(5, color="red", linewidth=0.8, label="target p95 at 10k: 5 ms")
    _save_log_log(plt, fig, ax, path, "synthetic services in the catalogue",
                  "search time per query (ms)", "Catalogue search as the catalogue grows")


def write_plots(report: dict, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sections = report["sections"]
    nlu = sections.get("nlu_quality", {})
    pipelines = nlu.get("pipelines", {})
    if pipelines:
        path = directory / "nlu_confusion_held_out.png"
        plot_confusions({n: p["held_out"]["confusion"] for n, p in pipelines.items()}, path,
                        "Intent confusion on the held-out file (rows: gold, normalised)")
        written.append(path)
        intents = sorted(next(iter(pipelines.values()))["held_out"]["per_intent"])
        series = {
            f"{PIPELINE_NAMES[n]} held-out": [p["held_out"]["per_intent"][i]["f1"]
                                              for i in intents]
            for n, p in pipelines.items()
        }
        cv = nlu.get("cross_validation", {}).get("pipelines", {})
        for n, p in cv.items():
            series[f"{PIPELINE_NAMES[n]} CV"] = [p["per_intent"][i]["f1"] for i in intents]
        path = directory / "nlu_per_intent_f1.png"
        plot_grouped_bars(intents, series, path, "Per-intent F1", "F1")
        written.append(path)
        variants = list(next(iter(pipelines.values()))["robustness"])
        path = directory / "nlu_robustness.png"
        plot_grouped_bars(
            variants,
            {PIPELINE_NAMES[n]: [p["robustness"][v]["macro_f1"] for v in variants]
             for n, p in pipelines.items()},
            path, "Held-out intent macro-F1 with noise", "macro-F1", rotate=False)
        written.append(path)
        if cv:
            path = directory / "nlu_confusion_cv.png"
            plot_confusions({n: p["confusion"] for n, p in cv.items()}, path,
                            f"Intent confusion, {nlu['cross_validation']['folds']}-fold "
                            "cross-validation (rows: gold, normalised)")
            written.append(path)
    resolution = sections.get("resolution", {})
    if "by_entity" in resolution:
        groups, ours, base = [], [], []
        for entity, block in resolution["by_entity"].items():
            for kind, scores in block["by_kind"].items():
                groups.append(f"{entity}: {kind}")
                ours.append(scores["accuracy"])
                base.append(scores["baseline_accuracy"])
        path = directory / "resolution.png"
        plot_grouped_bars(groups, {"gazetteer (find_entities)": ours,
                                   "exact nominative match": base},
                          path, "Resolution accuracy by form", "accuracy")
        written.append(path)
    serving = sections.get("serving", {})
    if serving.get("levels"):
        path = directory / "latency.png"
        plot_latency(serving["levels"], path)
        written.append(path)
    search = sections.get("catalogue_search", {}).get("databases")
    if search:
        path = directory / "search_growth.png"
        plot_search(search, path)
        written.append(path)
    return written


# ---------------------------------------------------------------------------------- markdown


def method_paragraphs(module: ModuleType) -> list[str]:
    """A benchmark module's docstring after its title line: the method, said once."""
    _, _, body = inspect.cleandoc(module.__doc__ or "").partition("\n")
    paragraphs = [" ".join(p.split()).replace("``", "`") for p in body.split("\n\n") if p.strip()]
    return [line for p in paragraphs for line in (p, "")]


def _section_error(section: dict) -> list[str]:
    return [f"**This section failed:** `{section['error']}`", ""] if "error" in section else []


def md_targets(report: dict) -> list[str]:
    rows = []
    for t in report["targets"]:
        met = {True: "met", False: "**missed**", None: "not measured"}[t["met"]]
        digits = 3 if "f1" in t["name"] or "resolution" in t["name"] else 1
        rows.append([t["label"], t["target"], fmt(t["measured"], digits),
                     fmt(t["measured_to_target"], 2, "×"), met + (f" ({t['note']})"
                                                              if t["note"] else "")])
    return ["## Targets", ""] + table(
        ["target", "goal", "measured", "measured / goal", ""], rows)


def md_nlu(nlu: dict) -> list[str]:
    p = nlu["pipelines"]
    ours, base = p["ikaneuvo"], p["baseline"]
    cv = nlu.get("cross_validation", {})
    lines = [
        f"Both pipelines trained in this run on data/nlu ({nlu['training_examples']} examples, "
        f"{nlu['intents']} intents; classifier epochs: {nlu['epochs']}): "
        f"`{ours['config']}` against `{base['config']}` (Rasa's default pipeline: "
        "WhitespaceTokenizer, RegexFeaturizer, LexicalSyntacticFeaturizer, CountVectorsFeaturizer "
        "word + char_wb 1–4, DIETClassifier 100 epochs, EntitySynonymMapper, "
        "FallbackClassifier 0.3). `nlu_fallback` counts as a wrong intent.", "",
        "### Intents", "",
    ]
    rows = [
        ["held-out macro-F1 " f"({ours['held_out']['n']} utterances)",
         fmt(ours["held_out"]["macro_f1"]), fmt(base["held_out"]["macro_f1"]),
         ratio_text(ours["held_out"]["macro_f1"], base["held_out"]["macro_f1"])],
        ["held-out accuracy", fmt(ours["held_out"]["accuracy"]),
         fmt(base["held_out"]["accuracy"]),
         ratio_text(ours["held_out"]["accuracy"], base["held_out"]["accuracy"])],
        ["held-out fallbacks (nlu_fallback)", fmt(ours["held_out"]["fallbacks"]),
         fmt(base["held_out"]["fallbacks"]), ""],
    ]
    if "pipelines" in cv:
        c_ours, c_base = cv["pipelines"]["ikaneuvo"], cv["pipelines"]["baseline"]
        rows += [
            [f"{cv['folds']}-fold cross-validation macro-F1 (pooled, {c_ours['n']} utterances)",
             fmt(c_ours["macro_f1"]), fmt(c_base["macro_f1"]),
             ratio_text(c_ours["macro_f1"], c_base["macro_f1"])],
            ["cross-validation macro-F1 per fold, mean ± sd",
             f"{fmt(c_ours['fold_macro_f1_mean'])} ± {fmt(c_ours['fold_macro_f1_std'])}",
             f"{fmt(c_base['fold_macro_f1_mean'])} ± {fmt(c_base['fold_macro_f1_std'])}", ""],
            ["cross-validation accuracy", fmt(c_ours["accuracy"]), fmt(c_base["accuracy"]),
             ratio_text(c_ours["accuracy"], c_base["accuracy"])],
        ]
    else:
        rows.append(["cross-validation", cv.get("skipped", "–"), "", ""])
    lines += table(["", PIPELINE_NAMES["ikaneuvo"], PIPELINE_NAMES["baseline"],
                    "Ikäneuvo / baseline"], rows)
    lines += ["![confusion, held-out](benchmarks/nlu_confusion_held_out.png)", ""]
    if "pipelines" in cv:
        lines += ["![confusion, cross-validation](benchmarks/nlu_confusion_cv.png)", ""]
    lines += ["### Per-intent F1", ""]
    intents = sorted(ours["held_out"]["per_intent"])
    header = ["intent", "Ikäneuvo held-out", "baseline held-out"]
    if "pipelines" in cv:
        header += ["Ikäneuvo CV", "baseline CV"]
    rows = []
    for intent in intents:
        row = [intent, fmt(ours["held_out"]["per_intent"][intent]["f1"], 2),
               fmt(base["held_out"]["per_intent"][intent]["f1"], 2)]
        if "pipelines" in cv:
            row += [fmt(cv["pipelines"][n]["per_intent"].get(intent, {}).get("f1"), 2)
                    for n in ("ikaneuvo", "baseline")]
        rows.append(row)
    lines += table(header, rows) + ["![per-intent F1](benchmarks/nlu_per_intent_f1.png)", ""]
    lines += ["### Robustness: the held-out utterances with noise", "",
              "Typos: each word of 4+ letters gets, with probability 0.3, one slip (letter left "
              "out, doubled or a neighbouring key, ä/ö without dots, two letters swapped); "
              "seeded.", ""]
    rows = []
    for variant in ours["robustness"]:
        o, b = ours["robustness"][variant]["macro_f1"], base["robustness"][variant]["macro_f1"]
        rows.append([variant, fmt(o), fmt(b), ratio_text(o, b),
                     ratio_text(o, ours["robustness"]["original"]["macro_f1"]),
                     ratio_text(b, base["robustness"]["original"]["macro_f1"])])
    lines += table(["held-out variant", "Ikäneuvo macro-F1", "baseline macro-F1",
                    "Ikäneuvo / baseline", "Ikäneuvo vs. original", "baseline vs. original"],
                   rows)
    lines += ["![robustness](benchmarks/nlu_robustness.png)", "",
              "### Entities (generated set)", "",
              f"{nlu['entity_utterances']} utterances from templates × the municipality forms of "
              "tests/data/municipality_forms.yml (inflected, lower case, misspelt, Swedish, Sámi) "
              "× the service forms of benchmarks/data/forms.yml, one in ten a negative with no "
              "municipality or service (benchmarks/entity_set.py). Scored on (type, value): "
              "municipality code, service id. The baseline pipeline has no entity examples to "
              "learn from (data/nlu has no entity annotations: the project resolves names with its "
              "own component), so exact matching of nominative names stands beside it.", ""]
    rows = []
    for entity in ("municipality", "service"):
        for label, scores in ((PIPELINE_NAMES["ikaneuvo"], ours["entities"]),
                              (PIPELINE_NAMES["baseline"], base["entities"]),
                              ("exact nominative match", nlu["entities_exact_nominative_match"])):
            s = scores[entity]
            rows.append([entity, label, fmt(s["precision"]), fmt(s["recall"]), fmt(s["f1"]),
                         f"{s['true_positives']}/{s['false_positives']}/{s['false_negatives']}"])
    lines += table(["entity", "extractor", "precision", "recall", "F1", "TP/FP/FN"], rows)
    errors = ours["held_out"].get("errors", [])
    if errors:
        lines += ["Held-out utterances the Ikäneuvo pipeline gets wrong (first "
                  f"{len(errors)}):", ""]
        lines += table(["utterance", "gold", "predicted"],
                       [[e["text"], e["expected"], e["predicted"]] for e in errors])
    return lines


def md_resolution(resolution: dict) -> list[str]:
    from benchmarks import resolution as method

    lines = method_paragraphs(method)
    rows = []
    for label, block in (("all", resolution["overall"]),
                         ("without typos", resolution["without_typos"]),
                         ("typos only", resolution["typos"])):
        rows.append([label, block["n"], fmt(block["accuracy"]), fmt(block["baseline_accuracy"]),
                     ratio_text(block["accuracy"], block["baseline_accuracy"]),
                     block["wrong_value"], block["missed"]])
    for entity, block in resolution["by_entity"].items():
        for kind, scores in block["by_kind"].items():
            rows.append([f"{entity}: {kind}", scores["n"], fmt(scores["accuracy"]),
                         fmt(scores["baseline_accuracy"]),
                         ratio_text(scores["accuracy"], scores["baseline_accuracy"]),
                         scores["wrong_value"], scores["missed"]])
    lines += table(["forms", "n", "gazetteer", "exact match baseline", "gazetteer / baseline",
                    "wrong value", "missed"], rows)
    lines += ["Typos by kind:", ""]
    lines += table(["typo", "n", "gazetteer", "what it means"],
                   [[cls, b["n"], fmt(b["accuracy"]), b["meaning"]]
                    for cls, b in resolution["typos_by_class"].items()])
    lines += ["![resolution](benchmarks/resolution.png)", ""]
    failures = [f for f in resolution["failures"] if f["kind"] != "typo"][:10]
    failures += [f for f in resolution["failures"] if f["kind"] == "typo"][:12]
    if failures:
        lines += ["Some failures:", ""]
        lines += table(["sentence", "kind", "expected", "found"],
                       [[f["text"], f["typo_class"] or f["kind"], f["value"],
                         ", ".join(f["found"]) or "nothing"] for f in failures])
    return lines


def md_serving(serving: dict) -> list[str]:
    model = serving["model"]
    lines = [
        f"Model: {model['source']}. Rasa server + action server started with bot.launcher on "
        "loopback over a seeded SQLite catalogue; conversations are the multi-turn scripts of "
        "benchmarks/serving.py through `/webhooks/rest/webhook`, one message at a time per "
        "conversation; then the same number of messages to `/model/parse` at the same "
        "concurrency. The client runs on the same 2 cores.", "",
    ]
    rows = []
    for lv in serving["levels"]:
        w, p = lv["webhook"], lv["parse"]
        cpu = lv["server_cpu_seconds_during_webhook_load"]
        rows.append([
            lv["concurrency"], w.get("conversations", "–"), w["messages"],
            " / ".join(fmt(w["latency"][q], 0) for q in ("p50_ms", "p95_ms", "p99_ms")),
            fmt(w["messages_per_second"], 1), w["errors"],
            " / ".join(fmt(p["latency"][q], 0) for q in ("p50_ms", "p95_ms", "p99_ms")),
            fmt(p["messages_per_second"], 1), p["errors"],
            fmt(lv["p95_ratio_webhook_to_parse"], 1, "×"),
            f"{fmt(cpu['rasa_server'] * 1000 / max(1, w['messages']), 0)} / "
            f"{fmt(cpu['action_server'] * 1000 / max(1, w['messages']), 0)}",
            fmt(lv["machine_cpu_percent_during_webhook_load"], 0, "%"),
        ])
    lines += table(["concurrent", "conversations", "messages", "REST p50/p95/p99 ms", "msgs/s",
                    "errors", "parse p50/p95/p99 ms", "parse msgs/s", "parse errors",
                    "p95 REST / parse", "CPU ms per message (Rasa / actions)",
                    "machine CPU busy"], rows)
    lines += ["![latency](benchmarks/latency.png)", ""]
    cost = serving.get("dialogue_cost")
    if cost:
        a, b = cost["as_shipped"], cost["validator_built_once"]
        lines += [
            "### Where a message's time goes", "",
            "Measured in the benchmark's own process with the same model and action server "
            "(`Agent.handle_text`, no HTTP in front):", "",
        ]
        lines += table(
            ["", "Rasa CPU ms per message", "wall ms per message",
             "action-server calls per message"],
            [["as shipped", fmt(a["rasa_cpu_ms_per_message"], 1),
              fmt(a["wall_ms_per_message"], 1), fmt(a["action_server_calls_per_message"], 2)],
             ["experiment: action-response validator built once",
              fmt(b["rasa_cpu_ms_per_message"], 1), fmt(b["wall_ms_per_message"], 1),
              fmt(b["action_server_calls_per_message"], 2)]])
    return lines


def md_search(search: dict) -> list[str]:
    from benchmarks import catalogue_search as method

    lines = method_paragraphs(method)
    rows = []
    for kind, steps in search["databases"].items():
        previous = None
        for s in steps:
            growth = ratio_text(s["latency"]["p95_ms"], previous["latency"]["p95_ms"]) \
                if previous else ""
            rows.append([
                kind, s["synthetic_services"], s["search_terms"], s["distinct_terms"],
                s["queries"], fmt(s["latency"]["p50_ms"], 2), fmt(s["latency"]["p95_ms"], 2),
                fmt(s["latency"]["p99_ms"], 2), growth,
                " / ".join(fmt(s.get("cpu", {}).get(q), 2) for q in ("p50_ms", "p95_ms")),
                fmt(s["query_terms_latency"]["p95_ms"], 2),
                fmt(s["first_query_after_change_ms"], 0), fmt(s["insert_seconds"], 1),
            ])
            previous = s
    lines += table(["database", "synthetic services", "search_term rows", "distinct terms",
                    "queries", "p50 ms", "p95 ms", "p99 ms", "p95 growth vs previous size",
                    "client CPU p50 / p95 ms",
                    "query words → terms p95 ms", "first query after a change ms",
                    "bulk insert s"], rows)
    lines += ["![search](benchmarks/search_growth.png)", ""]
    return lines


def md_footprint(report: dict) -> list[str]:
    sections = report["sections"]
    serving = sections.get("serving", {})
    nlu = sections.get("nlu_quality", {})
    lines = ["## 5. Footprint", ""]
    rows = []
    cold = serving.get("cold_start")
    if cold:
        rows += [
            ["cold start to first answer", fmt(cold["to_first_answer_seconds"], 1, " s"), ""],
            ["… action server answering", fmt(cold["action_server_ready_seconds"], 1, " s"), ""],
            ["… Rasa server answering (model loaded)",
             fmt(cold["rasa_server_ready_seconds"], 1, " s"), ""],
            ["… first message's answer", fmt(cold["first_answer_seconds"], 2, " s"), ""],
        ]
        load = serving.get("dialogue_cost", {}).get("model_load_seconds")
        if load is not None:
            rows.append(["loading the model alone (in a process with Rasa imported)",
                         fmt(load, 1, " s"), "the rest of the Rasa server's start is Python "
                         "imports (TensorFlow, spaCy) and the HTTP server"])
    for name, label in (("rasa_server", "Rasa server"), ("action_server", "action server")):
        if "rss_megabytes_after_start" in serving:
            rows.append([f"RSS {label} after start / peak under load",
                         f"{fmt(serving['rss_megabytes_after_start'][name], 0)} / "
                         f"{fmt(serving['rss_megabytes_peak'][name], 0)} MB", ""])
    pipelines = nlu.get("pipelines", {})
    if pipelines:
        ours, base = pipelines["ikaneuvo"], pipelines["baseline"]
        rows += [
            ["NLU training time on all of data/nlu", fmt(ours["train_seconds"], 0, " s"),
             f"baseline {fmt(base['train_seconds'], 0, ' s')} "
             f"({ratio_text(ours['train_seconds'], base['train_seconds'])})"],
            ["NLU model size", fmt(ours["model_megabytes"], 1, " MB"),
             f"baseline {fmt(base['model_megabytes'], 1, ' MB')}"],
            ["NLU parse in-process p50 / p95",
             f"{fmt(ours['parse_latency_in_process']['p50_ms'], 1)} / "
             f"{fmt(ours['parse_latency_in_process']['p95_ms'], 1)} ms",
             f"baseline {fmt(base['parse_latency_in_process']['p50_ms'], 1)} / "
             f"{fmt(base['parse_latency_in_process']['p95_ms'], 1)} ms "
             f"({ratio_text(ours['parse_latency_in_process']['p50_ms'], base['parse_latency_in_process']['p50_ms'])} at p50)"],  # noqa: E501
        ]
    model = serving.get("model")
    if model:
        rows.append(["served model size", fmt(model["megabytes"], 1, " MB"), model["source"]])
        if model.get("train_seconds"):
            rows.append(["full training (NLU + dialogue) of the served model",
                         fmt(model["train_seconds"], 0, " s"), ""])
    if not rows:
        return lines + ["Not measured in this run (it comes from the serving and NLU sections).",
                        ""]
    return lines + table(["", "Ikäneuvo", "note"], rows)


# Each measured section: its key in the report, heading, the key that says it ran, its body.
MEASURED_SECTIONS = (
    ("nlu_quality", "## 1. NLU quality", "pipelines", md_nlu),
    ("resolution", "## 2. Municipality and service resolution", "overall", md_resolution),
    ("serving", "## 3. Latency and throughput", "levels", md_serving),
    ("catalogue_search", "## 4. Catalogue search", "databases", md_search),
)


def markdown(report: dict) -> str:
    m = report["machine"]
    sections = report["sections"]
    lines = [
        "# Benchmarks", "",
        f"Generated by `{report['command'].strip()}` (size **{report['size']}**) on "
        f"{report['started']}, commit {m['git_commit']}"
        f"{' with uncommitted changes' if m['git_dirty'] else ''}; took "
        f"{report['duration_seconds'] / 60:.1f} min. Machine: {m['cpus']} × {m['cpu_model']}, "
        f"{m['memory_gb']} GB, Python {m['python']}, Rasa {m['rasa']}; load average at start "
        f"{m['load_average_at_start'][0]:.1f} (other developers' work shares these cores: "
        "timings are under that contention). Machine-readable: benchmarks.json beside this file. "
        "Method of each section: the docstrings of benchmarks/*.py.", "",
    ]
    lines += md_targets(report)
    for name, title, required, body in MEASURED_SECTIONS:
        if name in sections:
            lines += [title, ""] + _section_error(sections[name])
            if required in sections[name]:
                lines += body(sections[name])
    lines += md_footprint(report)
    return "\n".join(lines).rstrip() + "\n"


def write_report(report: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    plots = write_plots(report, out / "benchmarks")
    report["plots"] = [str(p.relative_to(out)) for p in plots]
    json_path = out / "benchmarks.json"
    json_path.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n",
                         encoding="utf-8")
    md_path = out / "benchmarks.md"
    md_path.write_text(markdown(report), encoding="utf-8")
    return [md_path, json_path, *plots]
