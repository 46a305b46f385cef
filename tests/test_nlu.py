"""NLU quality on held-out Finnish data, and the test stories, on the trained model."""

from __future__ import annotations

import asyncio
import subprocess

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score

from bot.config import PROJECT_ROOT
from bot.launcher import quiet_env, rasa_executable, train

pytestmark = pytest.mark.slow
# Held-out sets per language, written without seeing the training data: (file, language,
# macro-F1 asserted). Northern Sámi covers the intents the assistant answers in Sámi
# (greetings, urgent help, contacts, the form). The Swedish and English sets' error kinds were
# read once to direct more training data, so a second pair by another writer, never looked at,
# gives the honest figure; its threshold guards against falling back.
HELD_OUT = {
    "fi": (PROJECT_ROOT / "tests" / "nlu_test.yml", "fi", 0.90),
    "sv": (PROJECT_ROOT / "tests" / "nlu_test_sv.yml", "sv", 0.90),
    "en": (PROJECT_ROOT / "tests" / "nlu_test_en.yml", "en", 0.90),
    "se": (PROJECT_ROOT / "tests" / "nlu_test_se.yml", "se", 0.90),
    "sv_unseen": (PROJECT_ROOT / "tests" / "nlu_test_sv_unseen.yml", "sv", 0.80),
    "en_unseen": (PROJECT_ROOT / "tests" / "nlu_test_en_unseen.yml", "en", 0.80),
}
# The share of messages read in their own language, of those that tell one: Sámi typed
# without its letters often reads as Finnish.
MIN_LANGUAGE_SHARE = {"fi": 0.9, "sv": 0.9, "en": 0.9, "se": 0.85}
# The emergency examples of every language must be recognised: a missed 112 is the one mistake
# the assistant must not make (the safety net and the classifier together).
URGENT_INTENTS = ("emergency",)


@pytest.fixture(scope="module")
def model_path():
    return train(force=False)


@pytest.fixture(scope="module")
def parsed(model_path):
    from rasa.core.agent import load_agent

    examples = {name: load_data(str(path)).intent_examples
                for name, (path, _, _) in HELD_OUT.items()}

    async def parse_all():
        agent = await load_agent(model_path=str(model_path))
        results = {}
        for lang, found in examples.items():
            results[lang] = [await agent.parse_message(e.get("text")) for e in found]
        return results

    return examples, asyncio.run(parse_all())


def _norm(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


@pytest.mark.parametrize("language", HELD_OUT)
def test_held_out_file_is_not_in_the_training_data(language):
    training = {_norm(e.get("text")) for e in load_data(str(PROJECT_ROOT / "data" / "nlu"))
                .intent_examples}
    held_out = [_norm(e.get("text"))
                for e in load_data(str(HELD_OUT[language][0])).intent_examples]
    assert not training.intersection(held_out)


@pytest.mark.parametrize("language", HELD_OUT)
def test_intent_macro_f1_on_held_out_data(parsed, language):
    examples, results = parsed[0][language], parsed[1][language]
    expected = [e.get("intent") for e in examples]
    predicted = [r["intent"]["name"] for r in results]
    macro_f1 = f1_score(expected, predicted, average="macro", labels=sorted(set(expected)))
    rows = zip(examples, expected, predicted, strict=True)
    wrong = [(e.get("text"), x, p) for e, x, p in rows if x != p]
    print(f"{language}: held-out intent macro-F1 = {macro_f1:.3f} on {len(examples)} examples")
    assert macro_f1 >= HELD_OUT[language][2], wrong


@pytest.mark.parametrize("language", HELD_OUT)
def test_every_held_out_emergency_gets_112(parsed, language):
    examples, results = parsed[0][language], parsed[1][language]
    missed = [e.get("text") for e, r in zip(examples, results, strict=True)
              if e.get("intent") in URGENT_INTENTS and r["intent"]["name"] != "emergency"]
    assert not missed


@pytest.mark.parametrize("language", HELD_OUT)
def test_held_out_messages_set_their_language(parsed, language):
    """The language slot's entity: the messages of each file are read as its language."""
    examples, results = parsed[0][language], parsed[1][language]
    # A request for a language asks for any language: those set the one asked for.
    values = [next((e["value"] for e in r["entities"] if e["entity"] == "language"), None)
              for x, r in zip(examples, results, strict=True)
              if x.get("intent") != "change_language"]
    told = [v for v in values if v is not None]
    written_in = HELD_OUT[language][1]
    share = sum(v == written_in for v in told) / len(told)
    print(f"{language}: {share:.1%} of {len(told)} messages that tell a language read as it")
    assert share >= MIN_LANGUAGE_SHARE[written_in]


def test_test_stories_have_no_prediction_errors(model_path, tmp_path):
    result = subprocess.run(
        [rasa_executable(), "test", "core", "--model", str(model_path), "--stories",
         "tests/test_stories.yml", "--fail-on-prediction-errors", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT, env=quiet_env(), capture_output=True, text=True,
    )
    failed = tmp_path / "failed_test_stories.yml"
    assert result.returncode == 0, failed.read_text() if failed.exists() else result.stdout[-3000:]
