"""The ceiling for bench.autosave: a bare Flask endpoint served by the same gunicorn settings."""
from flask import Flask

app = Flask(__name__)


@app.post("/ping")
def ping():
    return {"ok": True}
