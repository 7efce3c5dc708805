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
    # Added NOT NULL with a default, then filled in. On SQLite any later change of the column (NOT NULL
    # afterwards, or dropping the default) rebuilds the table, and the app's connections keep foreign
    # keys on: dropping the old table would set every question's current version and every review
    # event's version to NULL. Elsewhere the default goes (a plain ALTER): every writer names the type.
    op.add_column('question_versions', sa.Column('type', sa.String(length=20), nullable=False, server_default='single'))
    # Every version takes its question's type as it stands: the best that is known of the old ones.
    op.execute("UPDATE question_versions SET type = (SELECT questions.type FROM questions "
               "WHERE questions.id = question_versions.question_id)")
    if op.get_bind().dialect.name != 'sqlite':
        op.alter_column('question_versions', 'type', server_default=None)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE question_versions DROP COLUMN type")  # SQLite >= 3.35: no rebuild (see upgrade)
    else:
        op.drop_column('question_versions', 'type')
