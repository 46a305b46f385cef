"""channel languages, Swedish and English channel texts, Northern Sámi phrases

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:30:00

The assistant answers in Swedish, English and Northern Sámi: a channel's phone charge and
hours note get Swedish and English texts, a channel the languages it serves in (PTV's
``languages``), an answer phrase a Northern Sámi text and a service Northern Sámi keywords. Swedish, English and Sámi function
words ("what", "does") are no longer search terms: every service's terms are computed again.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from bot.catalogue.search_index import reindex_all

# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHANNEL_COLUMNS = (
    ("phone_charge_sv", sa.Text()),
    ("phone_charge_en", sa.Text()),
    ("hours_info_sv", sa.Text()),
    ("hours_info_en", sa.Text()),
    ("languages", sa.String(length=60)),
)


def upgrade() -> None:
    with op.batch_alter_table("service_channel") as batch:
        for name, kind in CHANNEL_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("answer_phrase") as batch:
        batch.add_column(sa.Column("text_se", sa.Text(), nullable=True))
    with op.batch_alter_table("service") as batch:
        batch.add_column(sa.Column("keywords_se", sa.Text(), nullable=True))
    session = Session(bind=op.get_bind())
    reindex_all(session)
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.drop_column("keywords_se")
    with op.batch_alter_table("answer_phrase") as batch:
        batch.drop_column("text_se")
    with op.batch_alter_table("service_channel") as batch:
        for name, _ in reversed(CHANNEL_COLUMNS):
            batch.drop_column(name)
