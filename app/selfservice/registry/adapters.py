"""Which registry answers: the provincial platform when REGISTRY_URL is set, else our tables."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from app.selfservice.registry.platform import PlatformRegistry
from app.selfservice.registry.service import InsuredRegistry, LocalRegistry


def registry_for(session: Session) -> InsuredRegistry:
    url = current_app.config["REGISTRY_URL"]
    if not url:
        return LocalRegistry(session)
    return PlatformRegistry(url, relation_infno=current_app.config["REGISTRY_RELATION_INFNO"])
