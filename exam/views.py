"""Exam-forms pages and commands (blueprints, draw, grading, item analysis)."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register blueprints, menu entries, CLI and the demo step of the exam-forms work."""
