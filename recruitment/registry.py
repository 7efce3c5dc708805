"""How the domain packages plug into the hub without the hub importing them: each package's
init_app(app) registers its menu entries, demo step and score importers here, and the facts it
answers for the others (providers), so that no package reaches into another's models."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    order: int = 50


@dataclass(frozen=True)
class DemoStep:
    name: str
    load: Callable[[dict], None]  # takes the shared demo context (round, users, passwords ...)
    order: int = 50


def _ext(app: Flask, key: str, default):
    return app.extensions.setdefault(key, default)


def add_nav(app: Flask, endpoint: str, label, order: int = 50) -> None:
    """A menu entry, shown to whoever the endpoint's roles admit."""
    _ext(app, "recruitment.nav", []).append(NavItem(endpoint, label, order))


def add_demo_step(app: Flask, name: str, load: Callable[[dict], None], order: int = 50) -> None:
    _ext(app, "recruitment.demo", []).append(DemoStep(name, load, order))


def add_score_importer(app: Flask, kind: str, importer: Callable) -> None:
    """`scores import --kind KIND`: importer(round, path, *, dry_run) -> ImportReport."""
    _ext(app, "recruitment.score_importers", {})[kind] = importer


def add_audit_anchors(app: Flask, provider: Callable[[], list]) -> None:
    """Heads of the audit log recorded elsewhere (audit_check.Anchor), which `audit verify` checks."""
    _ext(app, "recruitment.audit_anchors", []).append(provider)


def audit_anchors(app: Flask) -> list[Callable[[], list]]:
    return app.extensions.get("recruitment.audit_anchors", [])


def add_csrf_answer(app: Flask, blueprint: str, answer: Callable) -> None:
    """How a blueprint's requests refused for a missing or stale CSRF token are answered (a page that
    reads JSON would take an HTML page for a network failure): answer() -> a response, or None for
    the hub's own."""
    _ext(app, "recruitment.csrf_answers", {})[blueprint] = answer


def csrf_answer(app: Flask, blueprint: str | None) -> Callable | None:
    return app.extensions.get("recruitment.csrf_answers", {}).get(blueprint)


def add_provider(app: Flask, name: str, provider: Callable) -> None:
    """A fact one package answers for the others, looked up by name (see `provider`)."""
    _ext(app, "recruitment.providers", {})[name] = provider


def provider(app: Flask, name: str, default: Callable) -> Callable:
    """The registered provider, or `default` when the package answering it is not installed."""
    return app.extensions.get("recruitment.providers", {}).get(name, default)


def nav_items(app: Flask) -> list[NavItem]:
    return sorted(app.extensions.get("recruitment.nav", []), key=lambda n: n.order)


def demo_steps(app: Flask) -> list[DemoStep]:
    return sorted(app.extensions.get("recruitment.demo", []), key=lambda s: s.order)


def score_importers(app: Flask) -> dict[str, Callable]:
    return app.extensions.get("recruitment.score_importers", {})
