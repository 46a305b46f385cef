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
HELD_OUT = PROJECT_ROOT / "tests" / "nlu_test.yml"
MIN_INTENT_F1 = 0.90


@pytest.fixture(scope="module")
def model_path():
    return train(force=False)


@pytest.fixture(scope="module")
def parsed(model_path):
    from rasa.core.agent import load_agent

    examples = load_data(str(HELD_OUT)).intent_examples

    async def parse_all():
        agent = await load_agent(model_path=str(model_path))
        return [await agent.parse_message(e.get("text")) for e in examples]

    return examples, asyncio.run(parse_all())


def test_held_out_file_is_not_in_the_training_data():
    def norm(text: str) -> str:
        return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())

    training = {norm(e.get("text")) for e in load_data(str(PROJECT_ROOT / "data" / "nlu"))
                .intent_examples}
    held_out = [norm(e.get("text")) for e in load_data(str(HELD_OUT)).intent_examples]
    assert not training.intersection(held_out)


def test_intent_macro_f1_on_held_out_data(parsed):
    examples, results = parsed
    expected = [e.get("intent") for e in examples]
    predicted = [r["intent"]["name"] for r in results]
    macro_f1 = f1_score(expected, predicted, average="macro", labels=sorted(set(expected)))
    rows = zip(examples, expected, predicted, strict=True)
    wrong = [(e.get("text"), x, p) for e, x, p in rows if x != p]
    print(f"held-out intent macro-F1 = {macro_f1:.3f} on {len(examples)} examples")
    assert macro_f1 >= MIN_INTENT_F1, wrong


def test_test_stories_have_no_prediction_errors(model_path, tmp_path):
    result = subprocess.run(
        [rasa_executable(), "test", "core", "--model", str(model_path), "--stories",
         "tests/test_stories.yml", "--fail-on-prediction-errors", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT, env=quiet_env(), capture_output=True, text=True,
    )
    failed = tmp_path / "failed_test_stories.yml"
    assert result.returncode == 0, failed.read_text() if failed.exists() else result.stdout[-3000:]
