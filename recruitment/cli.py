"""The hub's CLI groups: round, positions, applications, users, audit, scores, demo."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    pass
