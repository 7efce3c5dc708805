"""Question versions keep their type: a question rewritten as another type no longer changes how
the exams that used its old version show and grade it

Revision ID: 5d2e7a91c3b4
Revises: 0acf180b194d
Create Date: 2026-12-01 16:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2e7a91c3b4'
down_revision = '0acf180b194d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('type', sa.String(length=20), nullable=True))
    # Every version takes its question's type as it stands: the best that is known of the old ones.
    op.execute("UPDATE question_versions SET type = (SELECT questions.type FROM questions "
               "WHERE questions.id = question_versions.question_id)")
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.alter_column('type', existing_type=sa.String(length=20), nullable=False)


def downgrade():
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.drop_column('type')
