"""Users' password in the tests, and signing a test client in without the log-in form."""
from __future__ import annotations

from recruitment.models import User

PASSWORD = "test-pass-123"


def login_as(client, user: User) -> None:
    """Signs the test client in as user without the log-in form (which has its own tests)."""
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True
