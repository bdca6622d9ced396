"""The real app plus a bare Flask JSON endpoint, so both are measured on the same server."""

from flask import jsonify

from app import create_app

app = create_app()


@app.get("/bench/bare")
def bare() -> object:
    """The baseline: Flask's own JSON response, no framework work of ours."""
    return jsonify({"ok": True, "service": "remote.retiree", "region": "532300"})
