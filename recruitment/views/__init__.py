"""The hub's pages, one blueprint per idea."""
from flask import Flask


def register(app: Flask) -> None:
    from . import admin, audit_log, auth, home, hr, photos

    for module in (auth, home, hr, photos, admin, audit_log):
        app.register_blueprint(module.bp)
    home.init_app(app)
    for module in (hr, admin, audit_log):
        module.init_nav(app)
