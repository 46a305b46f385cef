"""Intent cross-validation of the project's pipeline alone, quicker than the whole NLU section.

``python -m benchmarks.cross_validation [--folds 5] [--out DIR]`` trains the pipeline of
``config.yml`` on each fold of ``data/nlu`` with the NLU section's own folds and seed
(``benchmarks.nlu_quality.cross_validate``), prints pooled macro-F1 and per-intent F1, worst
first, and writes the whole result as JSON. Five folds take about 20 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks.nlu_quality import NLU_DATA, _quiet_rasa, cross_validate, pipeline_config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="folder for cross-validation.json")
    args = parser.parse_args()
    from rasa.shared.nlu.training_data.loading import load_data

    _quiet_rasa()
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        config = pipeline_config("ikaneuvo", None, workdir)
        examples = load_data(str(NLU_DATA)).intent_examples
        result = cross_validate({"ikaneuvo": config}, examples, args.folds, workdir / "cv")
    scores = result["pipelines"]["ikaneuvo"]
    print(f"{args.folds}-fold cross-validation, {scores['n']} utterances: "
          f"macro-F1 {scores['macro_f1']:.3f}, fallbacks {scores['fallbacks']}")
    for intent, s in sorted(scores["per_intent"].items(), key=lambda item: item[1]["f1"]):
        print(f"  {intent:22} F1 {s['f1']:.3f}  precision {s['precision']:.3f}  "
              f"recall {s['recall']:.3f}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "cross-validation.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
