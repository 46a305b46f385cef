"""What a trained model depends on, so that a change to any of it retrains.

The data files are listed; the Python files are not: they are the modules the pipeline's own
components (``bot.nlu...`` in config.yml) import, followed through every ``bot`` import, read
from the source with ``ast``. A component that starts to import another module brings that
module into the fingerprint by itself.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT

DATA_INPUTS = (
    "config.yml",
    "domain.yml",
    "data/nlu",
    "data/dialogue",
    "data/catalogue",
    "data/lexicon",
)
# The answers' wording: read from the database when an answer is written, never by the
# pipeline, so changing it (as staff do in the admin) needs no new model.
NOT_MODEL_INPUTS = ("data/catalogue/phrases.yml",)
PACKAGE = "bot"


def custom_component_modules(config_path: Path) -> list[str]:
    """The modules of the components and policies config.yml names by a dotted path."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    names = [item.get("name", "") for key in ("pipeline", "policies")
             for item in config.get(key) or []]
    return sorted({name.rsplit(".", 1)[0] for name in names if "." in name})


def _module_file(module: str, root: Path) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from bot.text import finnish" imports the module bot.text.finnish.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def imported_sources(modules: list[str], root: Path = PROJECT_ROOT) -> list[Path]:
    """Every project file that importing ``modules`` runs, packages' ``__init__`` included."""
    seen: set[Path] = set()
    pending = list(modules)
    while pending:
        module = pending.pop()
        if module != PACKAGE and not module.startswith(PACKAGE + "."):
            continue
        parts = module.split(".")
        # Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
        for depth in range(1, len(parts) + 1):
            path = _module_file(".".join(parts[:depth]), root)
            if path is not None and path not in seen:
                seen.add(path)
                pending.extend(_imported_modules(path))
    return sorted(seen)


def model_input_files(root: Path = PROJECT_ROOT) -> list[Path]:
    files: list[Path] = []
    for name in DATA_INPUTS:
        path = root / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir()
                     else [path])
    files.extend(imported_sources(custom_component_modules(root / "config.yml"), root))
    left_out = {root / name for name in NOT_MODEL_INPUTS}
    return [f for f in files if "__pycache__" not in f.parts and f not in left_out]


def model_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A digest of every model input's path and content."""
    digest = hashlib.sha256()
    for file in model_input_files(root):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()
