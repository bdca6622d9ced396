"""No input a citizen can send makes the guides API answer 500 (property-based over the routes)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import assert_error_shape

# Text a phone keyboard, a speech front end or a hostile client can produce.
anything = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=80
)
plausible = st.sampled_from(
    ["530000", "532300", "430600", "玉溪", "remote.retiree", "info.agencies", "牟定县", ""]
)
part = st.one_of(anything, plausible)

ROUTES = [
    "/api/v1/services?region={a}&who={b}&q={c}",
    "/api/v1/regions/{a}/services/{b}",
    "/api/v1/regions/{a}/services/{b}/materials?case={c}&channel={c}",
    "/api/v1/regions/{a}/offices?service={b}&county={c}",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(route=st.sampled_from(ROUTES), a=part, b=part, c=part)
def test_no_input_produces_a_server_error(app: Flask, route: str, a: str, b: str, c: str) -> None:
    url = route.format(a=quote(a, safe=""), b=quote(b, safe=""), c=quote(c, safe=""))
    response = app.test_client().get(url)
    assert response.status_code in {200, 404, 422}, (url, response.get_data(as_text=True))
    if response.status_code != 200:
        assert_error_shape(response.get_json())
