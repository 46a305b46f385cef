"""NLU quality of the project's pipeline (config.yml) against Rasa's default pipeline
(benchmarks/baseline_config.yml), both trained in this run on the same data (data/nlu).

- Held-out: tests/nlu_test.yml, never trained on, parsed by models trained on all of data/nlu.
- Cross-validation: stratified k-fold over data/nlu (seeded); a model per fold and pipeline,
  scored on the fold it did not see; the figures pool the predictions of all folds.
- Robustness: the held-out utterances lower-cased without punctuation, with seeded typos
  (benchmarks/noise.py: each word of 4+ letters gets one slip with probability 0.3), and both.
- Entities: the generated set of benchmarks/entity_set.py; the baseline has nothing to learn
  entities from (the training data has no entity annotations: this project resolves them with
  its own component), so exact matching of nominative names is scored beside it as a third row.

An intent is what the dialogue sees: FallbackClassifier's ``nlu_fallback`` counts as a wrong
prediction. Macro-F1 averages over the intents of the gold data.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import random
import time
from pathlib import Path

import yaml

from benchmarks.entity_set import entity_scores, entity_utterances
from benchmarks.noise import lower_no_punctuation, sloppy_typing
from benchmarks.resolution import ExactNameMatch
from benchmarks.stats import latency_summary
from bot.config import PROJECT_ROOT

BASELINE_CONFIG = Path(__file__).parent / "baseline_config.yml"
PROJECT_CONFIG = PROJECT_ROOT / "config.yml"
NLU_DATA = PROJECT_ROOT / "data" / "nlu"
HELD_OUT = PROJECT_ROOT / "tests" / "nlu_test.yml"
PIPELINES = {"ikaneuvo": PROJECT_CONFIG, "baseline": BASELINE_CONFIG}
SEED = 6
VARIANTS = ("original", "lower case, no punctuation", "typos", "typos, lower case, no punctuation")


def pipeline_config(name: str, epochs: int | None, workdir: Path) -> Path:
    """The pipeline's config file; with ``epochs`` a copy whose classifiers train that long."""
    source = PIPELINES[name]
    if epochs is None:
        return source
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    for component in config.get("pipeline", []) + config.get("policies", []):
        if component["name"] in ("DIETClassifier", "TEDPolicy", "ResponseSelector"):
            component["epochs"] = epochs
    path = workdir / f"config-{name}-{epochs}-epochs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def robustness_variants(texts: list[str]) -> dict[str, list[str]]:
    rng = random.Random(SEED)
    typos = [sloppy_typing(t, rng) for t in texts]
    return {
        "original": texts,
        "lower case, no punctuation": [lower_no_punctuation(t) for t in texts],
        "typos": typos,
        "typos, lower case, no punctuation": [lower_no_punctuation(t) for t in typos],
    }


def _quiet_rasa() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    for name in ("rasa", "tensorflow", "absl", "sanic"):
        logging.getLogger(name).setLevel(logging.ERROR)


def train_nlu_model(config: Path, data: Path, out: Path, name: str) -> tuple[Path, float]:
    from rasa.model_training import train_nlu

    started = time.perf_counter()
    model = train_nlu(str(config), str(data), str(out), fixed_model_name=name)
    seconds = time.perf_counter() - started
    if not model:
        raise RuntimeError(f"training {name} with {config} produced no model")
    return Path(model), seconds


def parse_all(model: Path, texts: list[str]) -> tuple[list[dict], list[float]]:
    """Parse every text in-process; returns the results and each parse's wall time."""
    from rasa.core.agent import Agent

    async def run() -> tuple[list[dict], list[float]]:
        agent = Agent.load(str(model))
        results, timings = [], []
        for text in texts:
            started = time.perf_counter()
            results.append(await agent.parse_message(text))
            timings.append(time.perf_counter() - started)
        return results, timings

    results, timings = asyncio.run(run())
    gc.collect()
    return results, timings


def intent_scores(expected: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    labels = sorted(set(expected))
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0
    )
    return {
        "n": len(expected),
        "macro_f1": float(f1_score(expected, predicted, labels=labels, average="macro",
                                   zero_division=0)),
        "accuracy": sum(e == p for e, p in zip(expected, predicted, strict=True)) / len(expected),
        "fallbacks": sum(p == "nlu_fallback" for p in predicted),
        "per_intent": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
    }


def confusion(expected: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(expected))
    columns = labels + sorted(set(predicted) - set(labels))
    matrix = confusion_matrix(expected, predicted, labels=columns)
    return {"rows": labels, "columns": columns,
            "matrix": [[int(v) for v in row] for row in matrix[: len(labels)]]}


def _intents(results: list[dict]) -> list[str]:
    return [(r.get("intent") or {}).get("name") or "None" for r in results]


def _entities(results: list[dict]) -> list[set[tuple[str, str]]]:
    return [
        {(e["entity"], str(e["value"])) for e in r.get("entities", [])
         if e["entity"] in ("municipality", "service")}
        for r in results
    ]


def _errors(texts, expected, predicted, limit: int = 25) -> list[dict]:
    wrong = [
        {"text": t, "expected": e, "predicted": p}
        for t, e, p in zip(texts, expected, predicted, strict=True) if e != p
    ]
    return wrong[:limit]


def cross_validate(pipelines: dict[str, Path], examples, folds: int, workdir: Path) -> dict:
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    intents = [e.get("intent") for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    pooled = {name: {"texts": [], "expected": [], "predicted": []} for name in pipelines}
    per_fold = {name: [] for name in pipelines}
    train_seconds = {name: [] for name in pipelines}
    for fold, (train_index, test_index) in enumerate(splitter.split(examples, intents)):
        fold_dir = workdir / f"fold-{fold}"
        fold_dir.mkdir(parents=True, exist_ok=True)
        data = fold_dir / "nlu.yml"
        data.write_text(
            TrainingData(training_examples=[examples[i] for i in train_index]).nlu_as_yaml(),
            encoding="utf-8",
        )
        texts = [examples[i].get("text") for i in test_index]
        expected = [intents[i] for i in test_index]
        for name, config in pipelines.items():
            print(f"  cross-validation fold {fold + 1}/{folds}: {name}", flush=True)
            model, seconds = train_nlu_model(config, data, fold_dir, name)
            train_seconds[name].append(seconds)
            results, _ = parse_all(model, texts)
            predicted = _intents(results)
            pooled[name]["texts"] += texts
            pooled[name]["expected"] += expected
            pooled[name]["predicted"] += predicted
            per_fold[name].append(intent_scores(expected, predicted)["macro_f1"])
            model.unlink()
    summary = {}
    for name, p in pooled.items():
        scores = intent_scores(p["expected"], p["predicted"])
        f1s = per_fold[name]
        mean = sum(f1s) / len(f1s)
        summary[name] = {
            **scores,
            "fold_macro_f1": f1s,
            "fold_macro_f1_mean": mean,
            "fold_macro_f1_std": (sum((f - mean) ** 2 for f in f1s) / len(f1s)) ** 0.5,
            "train_seconds_per_fold": train_seconds[name],
            "confusion": confusion(p["expected"], p["predicted"]),
            "errors": _errors(p["texts"], p["expected"], p["predicted"]),
        }
    return {"folds": folds, "seed": SEED, "pipelines": summary}


def run_nlu_quality(size, workdir: Path) -> dict:
    from rasa.shared.nlu.training_data.loading import load_data

    _quiet_rasa()
    workdir.mkdir(parents=True, exist_ok=True)
    pipelines = {name: pipeline_config(name, size.epochs, workdir) for name in PIPELINES}
    training = load_data(str(NLU_DATA))
    held_out = load_data(str(HELD_OUT)).intent_examples
    if size.held_out_limit is not None:
        held_out = random.Random(SEED).sample(held_out, min(size.held_out_limit, len(held_out)))
    held_out_texts = [e.get("text") for e in held_out]
    held_out_intents = [e.get("intent") for e in held_out]
    variants = robustness_variants(held_out_texts)
    entity_set = entity_utterances(size.entity_utterances)

    result: dict = {
        "description": __doc__.strip(),
        "epochs": size.epochs or "as configured",
        "training_examples": len(training.intent_examples),
        "intents": len(training.intents),
        "held_out_examples": len(held_out),
        "entity_utterances": len(entity_set),
        "configs": {name: str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(
            PROJECT_ROOT) else path.name for name, path in pipelines.items()},
        "pipelines": {},
    }
    for name, config in pipelines.items():
        print(f"  training {name} on all of data/nlu", flush=True)
        model, seconds = train_nlu_model(config, NLU_DATA, workdir / "models", name)
        texts = [t for v in VARIANTS for t in variants[v]] + [u.text for u in entity_set]
        results, timings = parse_all(model, texts)
        by_variant, offset = {}, 0
        for variant in VARIANTS:
            chunk = results[offset : offset + len(held_out)]
            offset += len(held_out)
            predicted = _intents(chunk)
            by_variant[variant] = {
                **intent_scores(held_out_intents, predicted),
                "errors": _errors(variants[variant], held_out_intents, predicted),
            }
            if variant == "original":
                by_variant[variant]["confusion"] = confusion(held_out_intents, predicted)
        entity_results = results[offset:]
        result["pipelines"][name] = {
            "config": result["configs"][name],
            "train_seconds": seconds,
            "model_megabytes": model.stat().st_size / 1e6,
            "parse_latency_in_process": latency_summary(timings),
            "held_out": by_variant["original"],
            "robustness": {v: by_variant[v] for v in VARIANTS},
            "entities": entity_scores(entity_set, _entities(entity_results)),
        }
    exact = ExactNameMatch()
    result["entities_exact_nominative_match"] = entity_scores(
        entity_set, [set(exact.find(u.text)) for u in entity_set]
    )
    if size.folds >= 2:
        result["cross_validation"] = cross_validate(
            pipelines, training.intent_examples, size.folds, workdir / "cv"
        )
    else:
        result["cross_validation"] = {"skipped": f"size {size.name} runs no cross-validation"}
    return result
