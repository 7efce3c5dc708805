"""exam sittings: an index on (collected_at, ends_at), for the sittings over whose absentees are not yet recorded

Revision ID: 7c1e5a90d2b4
Revises: 202948fa6a0b
Create Date: 2026-12-02 11:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c1e5a90d2b4'
down_revision = '202948fa6a0b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exam_sittings', schema=None) as batch_op:
        batch_op.create_index('ix_exam_sittings_collected_at_ends_at', ['collected_at', 'ends_at'], unique=False)


def downgrade():
    with op.batch_alter_table('exam_sittings', schema=None) as batch_op:
        batch_op.drop_index('ix_exam_sittings_collected_at_ends_at')
