"""How much each benchmark section does: ``full`` for the report, ``tiny`` for the smoke test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    # NLU quality
    folds: int  # cross-validation folds; 0 skips cross-validation
    epochs: int | None  # DIET/TED epochs for every trained model; None: as configured
    held_out_limit: int | None  # None: the whole held-out file
    entity_utterances: int
    # resolution
    typos_per_form: int
    # latency and throughput
    concurrency: tuple[int, ...]
    conversations_per_worker: int
    min_conversations: int
    level_seconds: float  # no new conversation starts after this, per level
    dialogue_cost_conversations: int  # in-process breakdown of a message's time; 0 skips it
    # catalogue search
    catalogue_sizes: tuple[int, ...]
    databases: tuple[str, ...]
    search_queries: int


FULL = Size(
    name="full",
    folds=5,
    epochs=None,
    held_out_limit=None,
    entity_utterances=600,
    typos_per_form=2,
    concurrency=(1, 10, 50),
    conversations_per_worker=4,
    min_conversations=30,
    level_seconds=150.0,
    dialogue_cost_conversations=16,
    catalogue_sizes=(1_000, 10_000, 100_000),
    databases=("sqlite", "postgresql"),
    search_queries=400,
)

TINY = Size(
    name="tiny",
    folds=0,
    epochs=2,
    held_out_limit=40,
    entity_utterances=40,
    typos_per_form=1,
    concurrency=(1, 2),
    conversations_per_worker=1,
    min_conversations=2,
    level_seconds=30.0,
    dialogue_cost_conversations=0,
    catalogue_sizes=(1_000,),
    databases=("sqlite",),
    search_queries=30,
)

SIZES = {size.name: size for size in (FULL, TINY)}
