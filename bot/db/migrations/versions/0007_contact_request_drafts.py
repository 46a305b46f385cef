"""contact request drafts and request keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:20:00

The contact form's answers live in ``contact_request_draft`` while the form is open, so that
stored conversations hold no personal data; ``contact_request.request_key`` (unique) makes a
retried submit store nothing twice.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'contact_request_draft',
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('request_key', sa.String(length=36), nullable=False),
        sa.Column('topic', sa.Text(), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('phone', sa.String(length=40), nullable=True),
        sa.Column('preferred_time', sa.String(length=200), nullable=True),
        sa.Column('reference', sa.String(length=12), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('conversation_id'),
    )
    with op.batch_alter_table('contact_request_draft', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_contact_request_draft_updated_at'), ['updated_at'], unique=False
        )
    with op.batch_alter_table('contact_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_key', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(
            'uq_contact_request_request_key', ['request_key']
        )


def downgrade() -> None:
    with op.batch_alter_table('contact_request', schema=None) as batch_op:
        batch_op.drop_constraint('uq_contact_request_request_key', type_='unique')
        batch_op.drop_column('request_key')
    with op.batch_alter_table('contact_request_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_request_draft_updated_at'))
    op.drop_table('contact_request_draft')
