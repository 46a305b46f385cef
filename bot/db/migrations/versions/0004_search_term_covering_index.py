"""search_term covering index for the search ranking

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:15:00

The search ranks services by the weights of the query's terms: one index on
(language, term, service_id, weight) answers that from the index alone, without reading the
table rows (benchmarks/: SQLite search p50 at 100k services halves).
"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('search_term', schema=None) as batch_op:
        batch_op.create_index(
            'ix_search_term_ranking', ['language', 'term', 'service_id', 'weight'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('search_term', schema=None) as batch_op:
        batch_op.drop_index('ix_search_term_ranking')
