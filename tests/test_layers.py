"""The package's layers: a module imports only its own layer and the layers below it.

Read from the source with ``ast`` (imports inside functions count too), so a shortcut taken
in a hurry fails here rather than in a newcomer's head.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first. A module may import a module of its own layer or of any layer before it.
LAYERS = [
    ("bot.config",),
    ("bot.db",),
    ("bot.text",),
    ("bot.catalogue",),
    ("bot.answers", "bot.contact_requests", "bot.nlu", "bot.conversations", "bot.feedback"),
    ("bot.guidance",),
    ("bot.staff", "bot.web", "bot.channels", "bot.message_guard"),
    ("bot.launcher", "bot.cli", "bot.models_registry", "bot.model_inputs", "bot.production",
     "bot.action_server", "bot.rasa_server", "bot.rasa_speedups", "bot.security_audit"),
]
# The actions parse slots, call bot and format the answer: no SQL, no tables.
ACTIONS_MAY_NOT_IMPORT = ("sqlalchemy", "bot.db", "bot.catalogue", "bot.staff", "bot.web")


def _layer(module: str) -> int | None:
    if module == "bot":
        return 0
    for index, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _sources(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "versions" not in p.parts)


def test_every_bot_module_has_a_layer() -> None:
    unplaced = [_module_name(p) for p in _sources("bot") if _layer(_module_name(p)) is None]
    assert unplaced == []


@pytest.mark.parametrize("path", _sources("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_a_layer_above_it(path: Path) -> None:
    own = _layer(_module_name(path))
    above = sorted(
        name for name in _imports(path)
        if name.startswith("bot") and (_layer(name) or 0) > own
    )
    assert above == [], f"{_module_name(path)} (layer {own}) imports {above}"


@pytest.mark.parametrize("path", _sources("actions"), ids=lambda p: str(p.relative_to(ROOT)))
def test_actions_know_nothing_of_sql(path: Path) -> None:
    banned = sorted(
        name for name in _imports(path)
        if any(name == b or name.startswith(b + ".") for b in ACTIONS_MAY_NOT_IMPORT)
    )
    assert banned == []
