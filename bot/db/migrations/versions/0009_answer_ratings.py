"""answer ratings

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:00:00

``answer_rating``: the citizens' "Oliko vastauksesta apua?" — yes or no, an optional redacted
comment, and what the rated answer was about (kind, service, municipality, area). No sender id:
``answer_key`` is an HMAC of the conversation and the answered message.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'answer_rating',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_key', sa.String(length=64), nullable=False),
        sa.Column('rated_at', sa.DateTime(), nullable=False),
        sa.Column('helpful', sa.Boolean(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=True),
        sa.Column('service_id', sa.String(length=64), nullable=True),
        sa.Column('municipality_code', sa.String(length=3), nullable=True),
        sa.Column('service_area_id', sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('answer_key'),
    )
    op.create_index('ix_answer_rating_rated_at', 'answer_rating', ['rated_at'])
    op.create_index('ix_answer_rating_service_area_id', 'answer_rating', ['service_area_id'])


def downgrade() -> None:
    op.drop_index('ix_answer_rating_service_area_id', table_name='answer_rating')
    op.drop_index('ix_answer_rating_rated_at', table_name='answer_rating')
    op.drop_table('answer_rating')
