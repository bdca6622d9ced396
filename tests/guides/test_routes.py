"""The guides API over HTTP: status, shape, caching headers, Chinese errors."""

from __future__ import annotations

from flask import Flask

from tests.conftest import ApiClient, assert_error_shape


def test_regions_list_parents_and_counts(api: ApiClient) -> None:
    regions = {r["code"]: r for r in api.get("/api/v1/regions")}
    assert regions["530100"]["parent"] == "530000"
    assert regions["430600"]["parent"] is None
    assert regions["532300"]["counties_count"] == 2
    assert regions["532300"]["offices_count"] == 3


def test_services_of_a_region(api: ApiClient) -> None:
    services = api.get("/api/v1/services?region=530100&who=个人&q=共济")
    assert services == [
        {
            "id": "account.mutual-aid",
            "name": "个人账户共济授权/解绑",
            "national_code": None,
            "who": "个人",
            "source_region": "530000",
        }
    ]


def test_full_guide_says_which_guide_answered_and_cites_it(api: ApiClient) -> None:
    body = api.get("/api/v1/regions/530100/services/remote.retiree")
    assert body["region"] == "530100"
    assert body["source_region"] == "530000"
    guide = body["guide"]
    assert guide["time_limit"]["instant"] is True
    assert guide["materials"][0]["source"] == {
        "seed": "002_04dc996405fb5d7e.txt",
        "lines": [9, 9],
    }


def test_guide_resolves_office_tables(api: ApiClient) -> None:
    guide = api.get("/api/v1/regions/楚雄/services/remote.retiree")["guide"]
    assert [o["phones"] for o in guide["offices"]] == [["0878-1000001"], ["0878-1000002"]]


def test_materials_and_offices_endpoints(api: ApiClient) -> None:
    body = api.get(
        "/api/v1/regions/530000/services/account.mutual-aid/materials?case=委托他人办理&channel=onsite"
    )
    assert [m["name"] for m in body["materials"]] == ["有效身份证件", "代办人有效身份证件"]
    offices = api.get("/api/v1/regions/532300/offices?service=info.agencies&county=牟定县")
    assert offices["offices"][0]["phones"] == ["0878-1000002"]


def test_etag_and_304(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/api/v1/regions/530000/services/remote.retiree")
    assert first.headers["ETag"]
    assert "max-age=300" in first.headers["Cache-Control"]
    again = client.get(
        "/api/v1/regions/530000/services/remote.retiree",
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    assert again.data == b""


def test_unknown_region_and_service_are_404_with_suggestions(api: ApiClient) -> None:
    region = api.get("/api/v1/regions/楚雄州医保/services/remote.retiree", expect=404)
    assert region["code"] == "region_not_found"
    assert region["suggestions"][0]["id"] == "532300"
    service = api.get("/api/v1/regions/530000/services/remote.retire", expect=404)
    assert service["code"] == "service_not_found"
    assert service["suggestions"][0]["id"] == "remote.retiree"
    hunan = api.get("/api/v1/regions/430600/services/account.mutual-aid", expect=404)
    assert hunan["code"] == "service_not_covered"


def test_bad_parameters_are_422_in_chinese(api: ApiClient) -> None:
    who = api.get("/api/v1/services?who=公司", expect=422)
    assert who["errors"] == {"who": ["只能是“个人”或“单位”。"]}
    channel = api.get(
        "/api/v1/regions/530000/services/remote.retiree/materials?channel=both", expect=422
    )
    assert channel["errors"] == {"channel": ["只能是 online 或 onsite。"]}
    unknown = api.get("/api/v1/services?colour=red", expect=422)
    assert unknown["errors"] == {"colour": ["不认识的字段，请删除。"]}
    case = api.get(
        "/api/v1/regions/530000/services/account.mutual-aid/materials?case=结婚", expect=422
    )
    assert case["code"] == "case_not_found"


def test_http_errors_share_the_shape(app: Flask) -> None:
    client = app.test_client()
    for response, status in (
        (client.get("/api/v1/nowhere"), 404),
        (client.post("/api/v1/regions"), 405),
    ):
        assert response.status_code == status
        assert_error_shape(response.get_json())


def test_request_id_is_echoed(app: Flask) -> None:
    response = app.test_client().get("/api/v1/regions", headers={"X-Request-ID": "abcdef123456"})
    assert response.headers["X-Request-ID"] == "abcdef123456"


def test_openapi_documents_the_error_shape(api: ApiClient) -> None:
    spec = api.get("/api/openapi.json")
    assert "/api/v1/regions/{code}/services/{service_id}/materials" in spec["paths"]
    error = spec["components"]["schemas"]["ErrorResponse"]
    assert {"code", "message", "errors", "request_id"} <= set(error["properties"])
