"""The real app plus a bare Flask JSON endpoint, so both are measured on the same server."""

from flask import jsonify

from app import create_serving_app

# One loopback address sends all the load: limits high enough never to trip, so the limiter's
# own cost is still measured.
app = create_serving_app(
    {
        "RATE_LIMIT_PER_CALLER": "100000000 per minute",
        "RATE_LIMIT_PER_ADDRESS": "100000000 per minute",
    }
)


@app.get("/bench/bare")
def bare() -> object:
    """The baseline: Flask's own JSON response, no framework work of ours."""
    return jsonify({"ok": True, "service": "remote.retiree", "region": "532300"})
