"""Benchmarks of Ikäneuvo, side by side with baselines: ``python -m benchmarks run``.

Not part of the test run (tests/test_benchmarks.py only smoke-runs ``--size tiny``). The one
command writes ``docs/benchmarks.md``, ``docs/benchmarks.json`` and PNG plots under
``docs/benchmarks/``; see ``benchmarks/run.py`` for what each section measures.
"""
