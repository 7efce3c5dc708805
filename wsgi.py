"""What gunicorn and `flask --app wsgi` load."""
from recruitment import create_app

app = create_app()
