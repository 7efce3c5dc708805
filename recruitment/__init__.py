"""The recruitment hub: the app factory and what every domain package builds on."""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Domain packages, in dependency order; each exposes init_app(app).
DOMAIN_PACKAGES = ("questionbank", "exam", "interviews", "marking", "verification", "results")


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    # Flask is imported here, not at the top: the hub's pure modules (rulesets, vietnamese, ...) are
    # imported by the logic modules of every package, which must load without Flask.
    from flask import Flask, jsonify, render_template, request, session
    from flask_babel import gettext as _
    from flask_babel import lazy_gettext as _l
    from flask_wtf.csrf import CSRFError

    from . import config, screens_lane, session_cookies, storable, url_ids

    app = Flask(
        "recruitment",
        root_path=str(PROJECT_ROOT),
        instance_path=instance_path or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder="templates",
        static_folder="static",
    )
    config.load(app, overrides)
    app.session_interface = session_cookies.SessionCookies()
    url_ids.init_app(app)  # before any blueprint registers a route with <int:…>
    screens_lane.init_app(app)  # first of the checks before a request: nothing else is done for one refused
    translation_dirs = [d for d in (f"{p}/translations" for p in ("recruitment", *DOMAIN_PACKAGES))
                        if (PROJECT_ROOT / d).is_dir()]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_dirs)

    from . import access, audit, cli, form_messages, i18n, import_jobs, models, photos, registry, scores  # noqa: F401  (models register tables)
    from .extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_template_translations(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to access this page.")  # in the reader's language
    login_manager.login_message_category = "warning"
    # Flask-Login's own message is made a plain string in the reader's language when it is flashed.
    login_manager.localize_callback = str
    form_messages.init_app(app)  # WTForms' own messages too

    @login_manager.user_loader
    def load_user(user_id: str):
        # One query with the roles, built once (models.user_with_roles): every page goes through here.
        user = db.session.scalar(models.user_with_roles(), {"user_id": int(user_id)})
        if user is not None and session.get("generation", 0) != user.session_generation:
            return None  # logged out since this cookie was issued (views/auth.py)
        return user

    from .views import register as register_views

    register_views(app)
    cli.register(app)
    app.before_request(access.check_declared)
    storable.init_app(app)  # after the roles: a NUL is refused to those who may send the form

    for name in DOMAIN_PACKAGES:
        importlib.import_module(name).init_app(app)
        # Every table belongs to the metadata whatever the package imported, so migrations and
        # tests always see the whole schema.
        for module_name in (f"{name}.models", f"{name}.day.models"):
            try:
                importlib.import_module(module_name)
            except ModuleNotFoundError as missing:
                if not module_name.startswith(str(missing.name)):
                    raise

    @app.errorhandler(403)
    def forbidden(_e):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(_e):
        return render_template("errors/404.html"), 404

    @app.errorhandler(CSRFError)
    def form_expired(_e):
        """A form or a JSON call without its page's token: a page that outlived its session, or a
        request forged elsewhere. Nothing was done; the reader is told so in their language, as the
        request's blueprint answers it if it registered how (registry.add_csrf_answer)."""
        answer = registry.csrf_answer(app, request.blueprint)
        if answer is not None and (answered := answer()) is not None:
            return answered
        if request.is_json or request.accept_mimetypes.best == "application/json":
            return jsonify({"error": _("This page has expired: reload the page and try again."), "csrf": True}), 400
        return render_template("errors/400.html"), 400

    trusted = int(app.config["TRUSTED_PROXIES"])
    if trusted:
        # request.remote_addr becomes the client's address as the trusted proxies saw it (the
        # throttles and the audit log key on it); the hops a client adds itself are never trusted.
        # Outermost, so that the packages' own middleware (exam/day/autosave_lane.py) sees them too.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)
    return app
