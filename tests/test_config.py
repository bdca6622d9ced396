"""Configuration from the environment, and refusals to run unsafely."""

from __future__ import annotations

import pytest

from app.config import DEVELOPMENT_SECRET, Config, ConfigError


def test_embedded_defaults() -> None:
    config = Config.from_env({})
    assert config.APP_ENV == "development"
    assert config.REDIS_URL is None
    assert config.DATABASE_URL.startswith("sqlite:///")
    assert config.KNOWLEDGE_DIR.endswith("knowledge")


def test_environment_values_are_typed() -> None:
    config = Config.from_env({"GUIDE_CACHE_SECONDS": "60", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert config.GUIDE_CACHE_SECONDS == 60
    assert config.REDIS_URL == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    "environ",
    [
        {"APP_ENV": "production"},
        {"APP_ENV": "production", "SECRET_KEY": DEVELOPMENT_SECRET},
        {"APP_ENV": "staging"},
        {
            "APP_ENV": "production",
            "SECRET_KEY": "a-real-secret-from-a-vault",
            "AUTH_DEV_LOGIN": "1",
        },
    ],
)
def test_refuses_unsafe_settings(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        Config.from_env(environ)


def test_production_with_its_own_secret_starts() -> None:
    config = Config.from_env({"APP_ENV": "production", "SECRET_KEY": "a-real-secret-from-a-vault"})
    assert config.APP_ENV == "production"
