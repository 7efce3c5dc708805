"""Exam day: sittings, rooms and seats, the candidate's exam with autosave, the proctor console."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register blueprints, menu entries, CLI and the demo step of exam day."""
