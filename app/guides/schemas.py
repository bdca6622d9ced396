"""Request and response schemas of the guides API."""

from __future__ import annotations

from marshmallow import fields, validate

from app.guides.kb import (
    ChannelKind,
    ContactKind,
    MaterialChannel,
    MaterialForm,
    StepsAudience,
    Who,
    dialable,
)
from app.schemas import BaseSchema


class Phone(fields.String):
    """A phone in the form a phone dials, whatever dash the guide printed."""

    def _serialize(
        self, value: object, attr: str | None, obj: object, **kwargs: object
    ) -> str | None:
        return None if value is None else dialable(str(value))


_SHORT = validate.Length(min=1, max=64, error="长度应在 1 到 64 个字符之间。")


class ProvenanceResponse(BaseSchema):
    seed = fields.String(metadata={"description": "指南文件"})
    lines = fields.List(fields.Integer(), metadata={"description": "起止行号（含）"})


class FactResponse(BaseSchema):
    text = fields.String()
    quote = fields.String(allow_none=True)
    source = fields.Nested(ProvenanceResponse)


class MaterialResponse(BaseSchema):
    name = fields.String()
    quote = fields.String(allow_none=True)
    case = fields.String(allow_none=True, metadata={"description": "适用情形；空表示都要"})
    channel = fields.Enum(MaterialChannel, by_value=True)
    form = fields.Enum(MaterialForm, by_value=True)
    copies = fields.Integer(allow_none=True)
    required = fields.Boolean()
    note = fields.String(allow_none=True)
    source = fields.Nested(ProvenanceResponse)


class TimeLimitResponse(BaseSchema):
    text = fields.String(metadata={"description": "指南原文"})
    statutory_days = fields.Integer(allow_none=True, metadata={"description": "规定办结（工作日）"})
    promised_days = fields.Integer(
        allow_none=True, metadata={"description": "承诺办结；0 即时办结"}
    )
    instant = fields.Boolean(metadata={"description": "即时办结"})
    source = fields.Nested(ProvenanceResponse)


class ChannelResponse(BaseSchema):
    name = fields.String()
    kind = fields.Enum(ChannelKind, by_value=True)
    url = fields.String(allow_none=True)
    source = fields.Nested(ProvenanceResponse)


class OfficeResponse(BaseSchema):
    county = fields.String(allow_none=True, metadata={"description": "县（市、区）；空为本级"})
    name = fields.String()
    address = fields.String(allow_none=True)
    phones = fields.List(Phone())
    hours = fields.String(allow_none=True)
    window = fields.String(allow_none=True)
    source = fields.Nested(ProvenanceResponse)


class ContactResponse(BaseSchema):
    name = fields.String()
    kind = fields.Enum(ContactKind, by_value=True)
    county = fields.String(allow_none=True)
    phones = fields.List(Phone())
    address = fields.String(allow_none=True)
    source = fields.Nested(ProvenanceResponse)


class FormResponse(BaseSchema):
    name = fields.String()
    source = fields.Nested(ProvenanceResponse)


class ConflictResponse(BaseSchema):
    field = fields.String(metadata={"description": "受影响的字段"})
    note = fields.String()
    sources = fields.List(fields.Nested(ProvenanceResponse))


class DetailsResponse(BaseSchema):
    summary = fields.String(allow_none=True)
    conditions = fields.List(fields.Nested(FactResponse))
    materials = fields.List(fields.Nested(MaterialResponse))
    time_limit = fields.Nested(TimeLimitResponse, allow_none=True)
    acceptance_window = fields.Nested(FactResponse, allow_none=True)
    channels = fields.List(fields.Nested(ChannelResponse))
    offices = fields.List(fields.Nested(OfficeResponse))
    steps = fields.List(fields.Nested(FactResponse))
    forms = fields.List(fields.Nested(FormResponse))
    fees = fields.Nested(FactResponse, allow_none=True)
    validity = fields.List(fields.Nested(FactResponse))
    notes = fields.List(fields.Nested(FactResponse))


class VariantResponse(DetailsResponse):
    id = fields.String()
    name = fields.String()
    source = fields.Nested(ProvenanceResponse)


class ServiceGuideResponse(DetailsResponse):
    service = fields.String(metadata={"description": "事项 id（catalog）"})
    region = fields.String(metadata={"description": "这份指南所属地区"})
    name = fields.String(metadata={"description": "该地指南中的事项名称"})
    national_code = fields.String(allow_none=True)
    who = fields.Enum(Who, by_value=True)
    source = fields.Nested(ProvenanceResponse)
    variants = fields.List(fields.Nested(VariantResponse))
    conflicts = fields.List(fields.Nested(ConflictResponse))


class GuideResponse(BaseSchema):
    region = fields.String(metadata={"description": "所问的地区"})
    source_region = fields.String(metadata={"description": "给出答案的指南所属地区"})
    steps_audience = fields.Enum(
        StepsAudience,
        by_value=True,
        metadata={
            "description": "流程写给谁：citizens 办事群众；staff 窗口工作人员（综窗操作指南里的"
            "经办系统操作，不宜原样展示给群众）"
        },
    )
    guide = fields.Nested(ServiceGuideResponse)


class RegionResponse(BaseSchema):
    code = fields.String()
    name = fields.String()
    parent = fields.String(allow_none=True)
    title = fields.String(allow_none=True, metadata={"description": "该地指南标题"})
    seed = fields.String(allow_none=True, metadata={"description": "指南文件"})
    counties = fields.List(fields.String())
    counties_count = fields.Integer()
    offices_count = fields.Integer()
    services_count = fields.Integer(metadata={"description": "该地可办事项数（含省级通办）"})


class ServiceListingResponse(BaseSchema):
    id = fields.String()
    name = fields.String()
    national_code = fields.String(allow_none=True)
    who = fields.Enum(Who, by_value=True)
    source_region = fields.String()


class MaterialsResponse(BaseSchema):
    region = fields.String()
    source_region = fields.String()
    service = fields.String()
    case = fields.String(allow_none=True)
    channel = fields.Enum(MaterialChannel, by_value=True, allow_none=True)
    materials = fields.List(fields.Nested(MaterialResponse))
    cases = fields.List(fields.String(), metadata={"description": "可选的情形"})


class OfficesResponse(BaseSchema):
    region = fields.String()
    source_region = fields.String()
    service = fields.String(allow_none=True)
    county = fields.String(allow_none=True)
    offices = fields.List(fields.Nested(OfficeResponse))
    contacts = fields.List(fields.Nested(ContactResponse))
    counties = fields.List(fields.String())


class ServicesQuery(BaseSchema):
    region = fields.String(
        load_default="530000", validate=_SHORT, metadata={"description": "地区代码或名称"}
    )
    who = fields.Enum(
        Who,
        by_value=True,
        error_messages={"unknown": "只能是“个人”或“单位”。"},
        metadata={"description": "个人 或 单位"},
    )
    q = fields.String(
        validate=validate.Length(min=1, max=100, error="查询内容应在 1 到 100 个字符之间。"),
        metadata={"description": "按名称查找"},
    )


class MaterialsQuery(BaseSchema):
    case = fields.String(validate=_SHORT, metadata={"description": "情形：子项 id 或名称"})
    channel = fields.Enum(
        MaterialChannel,
        by_value=True,
        validate=validate.OneOf(
            [MaterialChannel.ONLINE, MaterialChannel.ONSITE], error="只能是 online 或 onsite。"
        ),
        error_messages={"unknown": "只能是 online 或 onsite。"},
        metadata={"description": "online（线上上传）或 onsite（现场提交）"},
    )


class OfficesQuery(BaseSchema):
    service = fields.String(validate=_SHORT, metadata={"description": "事项 id"})
    county = fields.String(validate=_SHORT, metadata={"description": "县（市、区）名称"})
