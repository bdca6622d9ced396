"""Guides API: regions, the services offered there, full guides, checklists and offices."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from werkzeug.http import quote_etag

from app import auth
from app.extensions import Blueprint
from app.guides import lookup
from app.guides.kb import KnowledgeBase, MaterialChannel, StepsAudience, Who
from app.guides.loader import LiveKnowledgeBase
from app.guides.schemas import (
    GuideResponse,
    MaterialsQuery,
    MaterialsResponse,
    OfficesQuery,
    OfficesResponse,
    RegionResponse,
    ServiceListingResponse,
    ServicesQuery,
)

blp = Blueprint("guides", __name__, url_prefix="/api/v1", description="办事指南 (service guides)")


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A response body serialised once per knowledge-base version, with its ETag."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, data: Any) -> RenderedBody:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return cls(body, hashlib.blake2b(body, digest_size=16).hexdigest())


def current_kb() -> KnowledgeBase:
    live: LiveKnowledgeBase = current_app.extensions["knowledge_base"]
    return live.current


def _respond(rendered: RenderedBody) -> Response:
    # Mini-programs re-fetch a lot: a matching If-None-Match (or *) gets an empty 304. The headers
    # are written directly: werkzeug's make_conditional also weighs ranges and dates, which a
    # JSON body with a strong ETag never needs, at a fifth of the request's time.
    headers = {
        "ETag": quote_etag(rendered.etag),
        "Cache-Control": f"public, max-age={current_app.config['GUIDE_CACHE_SECONDS']}",
    }
    if rendered.etag in request.if_none_match:
        return Response(status=304, headers=headers)
    return Response(rendered.body, mimetype="application/json", headers=headers)


# Keyed by the knowledge base itself (hashed by identity): a reload starts a fresh set of entries.
@lru_cache(maxsize=4096)
def _render_regions(kb: KnowledgeBase) -> RenderedBody:
    return RenderedBody.of(RegionResponse(many=True).dump(lookup.describe_regions(kb)))


@lru_cache(maxsize=4096)
def _render_services(
    kb: KnowledgeBase, region: str, who: Who | None, query: str | None
) -> RenderedBody:
    listings = lookup.list_services(kb, region, who=who, query=query)
    return RenderedBody.of(ServiceListingResponse(many=True).dump(listings))


@lru_cache(maxsize=4096)
def _render_guide(kb: KnowledgeBase, region: str, service: str) -> RenderedBody:
    answer = lookup.find_guide(kb, region, service)
    guide = lookup.with_offices_resolved(kb, answer)
    source = kb.regions.get(answer.source_region)
    audience = source.steps_audience if source else StepsAudience.CITIZENS
    return RenderedBody.of(
        GuideResponse().dump(
            {
                "region": answer.region,
                "source_region": answer.source_region,
                "steps_audience": audience,
                "guide": guide,
            }
        )
    )


@lru_cache(maxsize=4096)
def _render_materials(
    kb: KnowledgeBase, region: str, service: str, case: str | None, channel: MaterialChannel | None
) -> RenderedBody:
    answer = lookup.find_materials(kb, region, service, case=case, channel=channel)
    return RenderedBody.of(MaterialsResponse().dump(answer))


@lru_cache(maxsize=4096)
def _render_offices(
    kb: KnowledgeBase, region: str, service: str | None, county: str | None
) -> RenderedBody:
    answer = lookup.find_offices(kb, region, service=service, county=county)
    return RenderedBody.of(OfficesResponse().dump(answer))


@blp.route("/regions")
class Regions(MethodView):
    @blp.response(200, RegionResponse(many=True))
    @auth.public
    def get(self) -> Response:
        """地区列表：上级地区、县（市、区）数和办理地点数。"""
        return _respond(_render_regions(current_kb()))


@blp.route("/services")
class Services(MethodView):
    @blp.arguments(ServicesQuery(), location="query", as_kwargs=True)
    @blp.response(200, ServiceListingResponse(many=True))
    @auth.public
    def get(self, region: str, who: Who | None = None, q: str | None = None) -> Response:
        """某地可办的事项（本地指南的和适用的省级通办事项）。"""
        return _respond(_render_services(current_kb(), region, who, q))


@blp.route("/regions/<string:code>/services/<string:service_id>")
class Guide(MethodView):
    @blp.response(200, GuideResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.public
    def get(self, code: str, service_id: str) -> Response:
        """某地某事项的完整办事指南，注明由哪一级指南给出及出处。"""
        return _respond(_render_guide(current_kb(), code, service_id))


@blp.route("/regions/<string:code>/services/<string:service_id>/materials")
class Materials(MethodView):
    @blp.arguments(MaterialsQuery(), location="query", as_kwargs=True)
    @blp.response(200, MaterialsResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.public
    def get(
        self,
        code: str,
        service_id: str,
        case: str | None = None,
        channel: MaterialChannel | None = None,
    ) -> Response:
        """材料清单：按情形和渠道（线上上传 / 现场提交）筛选。"""
        return _respond(_render_materials(current_kb(), code, service_id, case, channel))


@blp.route("/regions/<string:code>/offices")
class Offices(MethodView):
    @blp.arguments(OfficesQuery(), location="query", as_kwargs=True)
    @blp.response(200, OfficesResponse)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @auth.public
    def get(self, code: str, service: str | None = None, county: str | None = None) -> Response:
        """去哪里办、打什么电话：可按事项和县（市、区）筛选。"""
        return _respond(_render_offices(current_kb(), code, service, county))
