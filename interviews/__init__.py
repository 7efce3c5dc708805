"""interviews: see ../shared/DESIGN.md and docs/architecture.md."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register this package's blueprint, menu entries, CLI commands and demo step."""
