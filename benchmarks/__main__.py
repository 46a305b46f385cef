"""``python -m benchmarks run [--size full|tiny] [--out docs] [--only SECTION,...]``"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.run import SECTIONS, run
from benchmarks.sizes import SIZES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of Ikäneuvo side by side with baselines; writes "
        "OUT/benchmarks.md, OUT/benchmarks.json and OUT/benchmarks/*.png.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("run", help="run the benchmarks and write the report")
    command.add_argument("--size", choices=sorted(SIZES), default="full",
                         help="full: the report's figures (about an hour on 2 shared cores); "
                         "tiny: a smoke run of every section (a few minutes)")
    command.add_argument("--out", type=Path, default=Path("docs"),
                         help="directory of the report (default: docs)")
    command.add_argument("--only", default=",".join(SECTIONS),
                         help=f"comma-separated sections (default: all: {','.join(SECTIONS)})")
    args = parser.parse_args(argv)
    sections = tuple(s for s in args.only.split(",") if s)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    return run(SIZES[args.size], args.out, sections)


if __name__ == "__main__":
    sys.exit(main())
