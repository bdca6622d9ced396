"""Cross-cutting rules: domain code knows no Flask; every error code is unique and in Chinese."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

from flask import Flask

import app
from app.config import PROJECT_ROOT
from app.errors import DomainError

WEB_MODULES = ("flask", "flask_smorest", "werkzeug", "webargs")
ALLOWED = ("werkzeug.security",)  # password hashing, not the HTTP layer
DOMAIN_MODULES = [
    "app/guides/kb.py",
    "app/guides/loader.py",
    "app/guides/lookup.py",
    "app/guides/check.py",
    "app/chinese_text.py",
    "app/id_numbers.py",
    "app/store.py",
    "app/audit.py",
    "app/bot/assistant.py",
    "app/bot/matcher.py",
    "app/bot/render.py",
    "app/bot/slots.py",
    "app/bot/dialog.py",
    "app/bot/feedback.py",
    "app/bot/evaluate.py",
    "app/selfservice/maternity/checklist.py",
    "app/selfservice/maternity/progress.py",
    "app/selfservice/maternity/rules.py",
    "app/selfservice/maternity/review.py",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _is_web(module: str) -> bool:
    top = module.split(".")[0]
    return top in WEB_MODULES and not module.startswith(ALLOWED)


def test_domain_modules_do_not_import_the_web_layer() -> None:
    domain = [PROJECT_ROOT / m for m in DOMAIN_MODULES]
    domain += list((PROJECT_ROOT / "app").rglob("service.py"))
    for path in domain:
        assert not [m for m in _imports(path) if _is_web(m)], path


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


def test_every_domain_error_has_a_unique_code_and_a_chinese_message() -> None:
    for module in pkgutil.walk_packages(app.__path__, "app."):
        importlib.import_module(module.name)
    errors = _all_subclasses(DomainError)
    codes = [error.code for error in errors]
    assert len(codes) == len(set(codes)), codes
    for error in errors:
        assert any("\u4e00" <= char <= "\u9fff" for char in error.message), error


def test_every_route_declares_an_auth_policy(app: Flask) -> None:
    undeclared = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            handler = getattr(view_class, method.lower(), view)
            if getattr(handler, "_auth_policy", None) not in {"public", "citizen", "staff"}:
                undeclared.append(f"{method} {rule.rule}")
    assert undeclared == []


def test_openapi_spec_builds_and_every_operation_documents_errors(app: Flask) -> None:
    spec = app.test_client().get("/api/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert "default" in operation["responses"], f"{method} {path}"
