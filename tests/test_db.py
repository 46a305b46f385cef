"""The data core: the migrations build exactly the tables the models describe."""

from __future__ import annotations

import pytest

import bot.models_registry  # noqa: F401  (every table)
from bot.db import Base
from bot.db.migrate import migrate, schema_differences


def test_the_migrations_build_what_the_models_describe(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    migrate(url)
    assert schema_differences(Base.metadata, url) == []


def test_a_model_change_without_a_migration_is_found(tmp_path):
    from sqlalchemy import Column, Integer, MetaData, Table

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    migrate(url)
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("not_migrated", metadata, Column("id", Integer, primary_key=True))
    differences = schema_differences(metadata, url)
    assert [d[0] for d in differences] == ["add_table"]


@pytest.mark.postgres
def test_the_migrations_build_what_the_models_describe_on_postgresql(postgres_url):
    migrate(postgres_url)
    assert schema_differences(Base.metadata, postgres_url) == []
