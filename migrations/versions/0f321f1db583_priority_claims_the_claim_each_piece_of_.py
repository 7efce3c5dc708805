"""priority claims: the claim each piece of evidence supports, and the claims rejected (D5)

Revision ID: 0f321f1db583
Revises: 97735c2aedb9
Create Date: 2026-12-02 15:45:15.230525

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0f321f1db583'
down_revision = '97735c2aedb9'
branch_labels = None
depends_on = None


def upgrade():
    # Added NOT NULL with a default, then filled in, and the old flag dropped with a plain ALTER on
    # SQLite (>= 3.35): a batch rebuild of applications, which many tables reference with foreign keys
    # on, would be dangerous (see 5d2e7a91c3b4). A flag set before claims were named rejected every
    # declared claim: so do its codes.
    op.add_column('applications', sa.Column('priority_rejected_codes', sa.String(length=300), nullable=False,
                                            server_default=''))
    op.execute("UPDATE applications SET priority_rejected_codes = priority_codes WHERE priority_rejected")
    op.add_column('dossier_documents', sa.Column('claim', sa.String(length=40), nullable=False, server_default=''))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE applications DROP COLUMN priority_rejected")
    else:
        op.drop_column('applications', 'priority_rejected')
        op.alter_column('applications', 'priority_rejected_codes', server_default=None)
        op.alter_column('dossier_documents', 'claim', server_default=None)


def downgrade():
    op.add_column('applications', sa.Column('priority_rejected', sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    op.execute("UPDATE applications SET priority_rejected = (priority_rejected_codes <> '')")
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE dossier_documents DROP COLUMN claim")
        op.execute("ALTER TABLE applications DROP COLUMN priority_rejected_codes")
    else:
        op.drop_column('dossier_documents', 'claim')
        op.drop_column('applications', 'priority_rejected_codes')
