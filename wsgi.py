"""The WSGI entry: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from app import create_serving_app

app = create_serving_app()
