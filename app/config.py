"""Configuration: the environment read once into one typed object; its defaults are `make run`'s."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"  # noqa: S105 (a marker, not a secret)


class ConfigError(RuntimeError):
    """The environment asks for something unsafe or impossible; the app refuses to start."""


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting the app reads, with the embedded defaults of `make run`."""

    APP_ENV: str = "development"
    SECRET_KEY: str = DEVELOPMENT_SECRET
    DATABASE_URL: str = f"sqlite:///{PROJECT_ROOT / 'instance' / 'yn-medinsure.sqlite3'}"
    REDIS_URL: str | None = None
    KNOWLEDGE_DIR: str = str(PROJECT_ROOT / "knowledge")
    SEEDS_DIR: str = str(PROJECT_ROOT.parent / "shared" / "seeds")
    GUIDE_CACHE_SECONDS: int = 300
    AUTH_DEV_LOGIN: bool = False
    RATE_LIMITS_ENABLED: bool = True
    RATE_LIMIT_PER_CALLER: str = "120 per minute"
    RATE_LIMIT_PER_ADDRESS: str = "600 per minute"  # one address can be a whole office's NAT
    RATE_LIMIT_SIGN_IN: str = "20 per minute"
    RATE_LIMIT_VERIFY: str = "30 per minute"  # public certificate checks, per address
    TRUSTED_PROXY_HOPS: int = 0
    UPLOAD_DIR: str = str(PROJECT_ROOT / "instance" / "uploads")
    MAX_CONTENT_LENGTH: int = 11 * 1024 * 1024  # Werkzeug refuses bigger bodies with a 413
    REGISTRY_URL: str | None = None  # the provincial platform; unset: the local registry tables
    # The province's 家庭共济 kinship transaction (the national interface has none): given at
    # integration; unset, 共济 with the platform says to bring the 户口簿 to a counter.
    REGISTRY_RELATION_INFNO: str | None = None
    # Debian's fonts-wqy-microhei (TrueType outlines, embeddable); `make install` installs it.
    CJK_FONT: str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    PUBLIC_BASE_URL: str = "http://127.0.0.1:5000"  # printed in certificates' QR codes
    # Unconfigured outside services fail loudly instead of reaching a guessable live host.
    WECHAT_API_BASE: str = "wechat-not-configured://"
    WECHAT_APPID: str = ""
    WECHAT_SECRET: str = ""
    ALIPAY_GATEWAY: str = "alipay-not-configured://"
    ALIPAY_APP_ID: str = ""
    ALIPAY_PRIVATE_KEY: str = ""  # PEM, our app's
    ALIPAY_PUBLIC_KEY: str = ""  # PEM, Alipay's

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        """Build the config from environment variables named like the fields."""
        env = os.environ if environ is None else environ
        defaults = cls()
        values: dict[str, object] = {}
        for name, default in asdict(defaults).items():
            if name not in env:
                continue
            raw = env[name]
            if isinstance(default, bool):
                values[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            elif isinstance(default, int):
                values[name] = int(raw)
            else:
                values[name] = raw if isinstance(default, str) else (raw or None)
        config = cls(**values)  # type: ignore[arg-type]
        config.refuse_unsafe()
        return config

    def refuse_unsafe(self) -> None:
        """Raise ConfigError when production would run with development settings."""
        if self.APP_ENV not in {"development", "production"}:
            raise ConfigError(f"APP_ENV must be development or production, not {self.APP_ENV!r}")
        if self.APP_ENV == "production" and self.SECRET_KEY in {DEVELOPMENT_SECRET, ""}:
            raise ConfigError("APP_ENV=production needs its own SECRET_KEY")
        if self.APP_ENV == "production" and self.AUTH_DEV_LOGIN:
            raise ConfigError("APP_ENV=production refuses AUTH_DEV_LOGIN: anyone could log in")

    def as_flask_config(self) -> dict[str, object]:
        """The mapping handed to `app.config.update`."""
        return asdict(self)
