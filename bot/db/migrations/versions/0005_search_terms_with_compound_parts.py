"""search terms for the parts of compound names and keywords

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 08:00:00

A data migration: the search index now also holds the parts of compounds ("hammas" of the
keyword hammaslääkäri, weight 1), so every service's terms are computed again. No schema change.
"""
from typing import Sequence, Union

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Nothing here any more: 0006 computes every service's terms again, and today's models,
    # which reindexing reads, have columns that exist only from 0006 on.
    pass


def downgrade() -> None:
    # The parts' terms are harmless to an older search, which simply ranks them too.
    pass
