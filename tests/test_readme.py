"""The README's layout table matches the tree, and its links resolve."""

from __future__ import annotations

import re

from bot.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _layout_rows() -> list[str]:
    section = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)`", section, flags=re.M)


def test_every_path_in_the_layout_table_exists() -> None:
    rows = _layout_rows()
    assert len(rows) > 10
    for row in rows:
        for path in re.findall(r"[\w./-]+", row.replace("`, `", " ")):
            assert (PROJECT_ROOT / path).exists(), path


def test_every_part_of_the_package_is_in_the_layout_table() -> None:
    section = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    parts = [p for p in (PROJECT_ROOT / "bot").iterdir()
             if p.name not in ("__init__.py", "__pycache__") and not p.name.startswith(".")]
    missing = [p.name for p in parts
               if f"`bot/{p.name}{'/' if p.is_dir() else ''}`" not in section]
    assert missing == []


def test_the_readme_is_short_and_its_links_resolve() -> None:
    assert len(README.splitlines()) <= 200
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README):
        if not target.startswith("http"):
            assert (PROJECT_ROOT / target).exists(), target


def test_the_guides_pictures_exist_and_a_browser_test_takes_each() -> None:
    """Each picture in docs/ is there, and is one a browser test takes (artifacts/screenshots,
    copied to docs/images after a change to the admin: docs/testing.md)."""
    tests = "".join(p.read_text(encoding="utf-8")
                    for p in (PROJECT_ROOT / "tests" / "browser").glob("test_*.py"))
    pictures = [name for guide in (PROJECT_ROOT / "docs").glob("*.md")
                for name in re.findall(r"!\[[^\]]*\]\(images/([^)]+)\)",
                                       guide.read_text(encoding="utf-8"))]
    assert len(pictures) >= 5
    for name in pictures:
        assert (PROJECT_ROOT / "docs" / "images" / name).is_file(), name
        assert f'"{name}"' in tests, name
