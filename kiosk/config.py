"""The kiosk's configuration file: load, validate, save atomically.

The file is TOML (read with the stdlib `tomllib`); `config/kiosk.example.toml` documents every key.
Saving writes a temporary file beside the target and renames it over, so a power cut in the middle
never leaves a half-written config behind.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from drivers.printer import PROFILES, PrinterError, parse_printer_url
from kiosk.devaddr import validate_baud, validate_port, validate_printer_url

PRINTER_PROFILES = tuple(PROFILES)
LANGUAGES = ("zh", "en")
ORIENTATIONS = ("auto", "portrait", "landscape")
TERMINATORS = ("CR", "LF", "CRLF")


class ConfigError(ValueError):
    """A configuration value is invalid; `errors` maps 'section.key' to a bilingual reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ServerConfig:
    url: str = "http://127.0.0.1:8000"
    hall: str = "xiqu"
    token: str = ""
    timeout_s: float = 5.0


@dataclass(frozen=True)
class PrinterConfig:
    url: str = "dummy:"
    profile: str = "80mm"


@dataclass(frozen=True)
class ReaderConfig:
    port: str = ""
    baud: int = 115200


@dataclass(frozen=True)
class ScannerConfig:
    port: str = ""
    baud: int = 9600
    terminator: str = "CR"


@dataclass(frozen=True)
class UiConfig:
    language: str = "zh"
    idle_timeout_s: int = 30
    orientation: str = "auto"
    large_text: bool = False
    high_contrast: bool = False
    # "常办事项" when the hall file has no `common` list (the hall file is the source of truth).
    common_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class MaintenanceConfig:
    pin_hash: str = ""
    max_tries: int = 5
    lockout_minutes: int = 10


@dataclass(frozen=True)
class PathsConfig:
    data_dir: str = ""
    log_dir: str = ""


@dataclass(frozen=True)
class KioskConfig:
    server: ServerConfig = field(default_factory=ServerConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    reader: ReaderConfig = field(default_factory=ReaderConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    maintenance: MaintenanceConfig = field(default_factory=MaintenanceConfig)
    paths: PathsConfig = field(default_factory=PathsConfig)

    def data_dir(self) -> Path:
        if self.paths.data_dir:
            return Path(self.paths.data_dir)
        base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
        return Path(base) / "hall-kiosk"

    def log_dir(self) -> Path:
        return Path(self.paths.log_dir) if self.paths.log_dir else self.data_dir() / "log"

    def with_values(self, values: dict[str, Any]) -> KioskConfig:
        """A copy with 'section.key' values replaced (types coerced, not yet validated)."""
        sections = {f.name: getattr(self, f.name) for f in fields(self)}
        for dotted, raw in values.items():
            section, _, key = dotted.partition(".")
            if section not in sections or key not in {f.name for f in fields(sections[section])}:
                raise ConfigError({dotted: "未知的设置项 / unknown setting"})
            current = getattr(sections[section], key)
            sections[section] = replace(sections[section], **{key: _coerce(dotted, raw, current)})
        return KioskConfig(**sections)


def _coerce(dotted: str, raw: Any, current: Any) -> Any:
    try:
        if isinstance(current, bool):
            if isinstance(raw, str):
                return raw.strip().lower() in ("1", "true", "yes", "on")
            return bool(raw)
        if isinstance(current, int):
            return int(str(raw).strip())
        if isinstance(current, float):
            return float(str(raw).strip())
        if isinstance(current, tuple):
            if isinstance(raw, str):
                return tuple(s.strip() for s in raw.split(",") if s.strip())
            return tuple(str(s) for s in raw)
        return str(raw).strip()
    except (TypeError, ValueError):
        raise ConfigError({dotted: "应为数字 / must be a number"}) from None


def _validate_server_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "应为 http://主机:端口 / must look like http://host:port"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "端口无效 / invalid port"
    if parts.query or parts.fragment:
        return "不能带查询参数 / must not carry a query"
    return None


def _driver_accepts(url: str) -> str | None:
    # The drivers' own parser has the last word, so the kiosk never saves what they would refuse.
    try:
        parse_printer_url(url)
    except PrinterError as exc:
        return str(exc)
    return None


def validate(cfg: KioskConfig) -> None:
    """Raise ConfigError listing every invalid value; return None when all are fine."""
    errors: dict[str, str] = {}

    def check(key: str, problem: str | None) -> None:
        if problem:
            errors[key] = problem

    check("server.url", _validate_server_url(cfg.server.url))
    if not cfg.server.hall or not cfg.server.hall.replace("-", "").replace("_", "").isalnum():
        errors["server.hall"] = "大厅代码只能是字母数字 / hall code must be letters and digits"
    if any(c.isspace() for c in cfg.server.token):
        errors["server.token"] = "令牌不能含空格 / token must not contain spaces"
    if not 0.5 <= cfg.server.timeout_s <= 60:
        errors["server.timeout_s"] = "应在 0.5–60 秒之间 / must be 0.5–60 s"
    check("printer.url", validate_printer_url(cfg.printer.url) or _driver_accepts(cfg.printer.url))
    if cfg.printer.profile not in PRINTER_PROFILES:
        errors["printer.profile"] = f"应为 {', '.join(PRINTER_PROFILES)} 之一 / must be one of these"
    check("reader.port", validate_port(cfg.reader.port))
    check("reader.baud", validate_baud(cfg.reader.baud))
    check("scanner.port", validate_port(cfg.scanner.port))
    check("scanner.baud", validate_baud(cfg.scanner.baud))
    if cfg.scanner.terminator not in TERMINATORS:
        errors["scanner.terminator"] = "应为 CR、LF 或 CRLF / must be CR, LF or CRLF"
    if cfg.ui.language not in LANGUAGES:
        errors["ui.language"] = "应为 zh 或 en / must be zh or en"
    if not 10 <= cfg.ui.idle_timeout_s <= 600:
        errors["ui.idle_timeout_s"] = "应在 10–600 秒之间 / must be 10–600 s"
    if cfg.ui.orientation not in ORIENTATIONS:
        errors["ui.orientation"] = "应为 auto、portrait 或 landscape / must be auto, portrait or landscape"
    if not 1 <= cfg.maintenance.max_tries <= 20:
        errors["maintenance.max_tries"] = "应在 1–20 之间 / must be 1–20"
    if not 1 <= cfg.maintenance.lockout_minutes <= 1440:
        errors["maintenance.lockout_minutes"] = "应在 1–1440 分钟之间 / must be 1–1440 min"
    if errors:
        raise ConfigError(errors)


def _from_dict(data: dict[str, Any]) -> KioskConfig:
    base = KioskConfig()
    values: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError({section: "应为一个 [表] / must be a [table]"})
        for key, value in table.items():
            values[f"{section}.{key}"] = value
    return base.with_values(values)


def load(path: Path) -> KioskConfig:
    """Read and validate a config file; a missing file gives the defaults."""
    if not path.exists():
        cfg = KioskConfig()
    else:
        try:
            with path.open("rb") as fh:
                cfg = _from_dict(tomllib.load(fh))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError({str(path): f"TOML 格式错误 / TOML syntax error: {exc}"}) from None
    validate(cfg)
    return cfg


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text) + '"'


def dumps(cfg: KioskConfig) -> str:
    lines = ["# Kiosk configuration, written by the kiosk's maintenance mode.",
             "# See config/kiosk.example.toml for what every key means.", ""]
    for section, table in asdict(cfg).items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in table.items())
        lines.append("")
    return "\n".join(lines)


def save(cfg: KioskConfig, path: Path) -> None:
    """Validate, then write atomically (temp file + fsync + rename)."""
    validate(cfg)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dumps(cfg))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)  # holds the device token and the PIN hash
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
