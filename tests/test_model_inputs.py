"""The model's fingerprint covers every module the pipeline's own components really import."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.config import PROJECT_ROOT
from bot.model_inputs import custom_component_modules, model_input_files

LOADED_PROJECT_FILES = """
import importlib, json, os, sys
for module in sys.argv[1:]:
    importlib.import_module(module)
print(json.dumps(sorted(
    m.__file__ for m in list(sys.modules.values())
    if getattr(m, "__file__", None) and m.__file__.startswith(os.path.join(os.getcwd(), "bot", ""))
)))
"""


def test_the_components_are_read_from_config() -> None:
    assert custom_component_modules(PROJECT_ROOT / "config.yml") == [
        "bot.nlu.catalogue_entities", "bot.nlu.emergency_safety_net",
        "bot.nlu.language_entity", "bot.nlu.service_question_guard",
    ]


def test_every_module_the_components_load_is_a_model_input() -> None:
    modules = custom_component_modules(PROJECT_ROOT / "config.yml")
    result = subprocess.run(
        [sys.executable, "-c", LOADED_PROJECT_FILES, *modules],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=True,
    )
    loaded = {PROJECT_ROOT / path for path in json.loads(result.stdout.splitlines()[-1])}
    inputs = set(model_input_files())
    assert loaded, "the components loaded no project module"
    assert loaded <= inputs, sorted(str(p) for p in loaded - inputs)


def test_search_and_seed_retrain_but_the_answers_do_not() -> None:
    inputs = {str(p.relative_to(PROJECT_ROOT)) for p in model_input_files()}
    assert {"bot/catalogue/seed.py", "bot/catalogue/search_index.py",
            "data/lexicon/emergency.yml", "domain.yml"} <= inputs
    assert "bot/guidance.py" not in inputs and "bot/staff/api/app.py" not in inputs


def test_the_answers_wording_is_no_model_input(tmp_path) -> None:
    """phrases.yml is the answers' wording, which staff change without a new model: the
    pipeline's name lists are the same without it."""
    from bot.nlu.gazetteers import build_gazetteers

    inputs = {str(p.relative_to(PROJECT_ROOT)) for p in model_input_files()}
    assert "data/catalogue/phrases.yml" not in inputs
    assert "data/catalogue/services.yml" in inputs
    catalogue = PROJECT_ROOT / "data" / "catalogue"
    for path in catalogue.glob("*.yml"):
        if path.name != "phrases.yml":
            (tmp_path / path.name).write_bytes(path.read_bytes())
    with_phrases = {k: g.to_dict() for k, g in build_gazetteers(catalogue).items()}
    without = {k: g.to_dict() for k, g in build_gazetteers(tmp_path).items()}
    assert with_phrases == without
