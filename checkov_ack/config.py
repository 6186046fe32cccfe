"""`.checkov-ack.yaml` (or `--config FILE`): scan settings plus report options, with line numbers.

Keys: profile, exposures, overrides (as in model/settings.py), and fail_on, waivers (a path,
relative to the config file), soft_fail, format, checkov_unknown (hide | fail: what the Checkov
checks do with an unknown result). Command-line options win over the file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checkov_ack.adapters.common import check_yaml_bounds, read_text
from checkov_ack.errors import InputError, UsageError
from checkov_ack.model.settings import Settings, settings_from_mapping

if TYPE_CHECKING:
    import yaml

CONFIG_NAME = ".checkov-ack.yaml"
SEVERITIES = ("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL")
FORMATS = ("text", "json", "sarif", "junit")
CHECKOV_UNKNOWN = ("hide", "fail")


@dataclass
class Config:
    settings: Settings = field(default_factory=Settings)
    fail_on: str | None = None
    waivers: Path | None = None
    soft_fail: bool | None = None
    format: str | None = None
    checkov_unknown: str | None = None  # Checkov drops UNKNOWN results; "fail" makes them visible
    path: Path | None = None


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    """Safe loading with dates left as text: a bad date then gets our message with its line,
    not a bare ValueError from the YAML library. (Built on first use: importing yaml costs
    ~20 ms, which a scan without settings, waivers or YAML inputs does not need.)"""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    return Loader


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def load_yaml_nodes(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parsed data and its node tree (for line numbers); UsageError naming file:line when bad."""
    import yaml

    name = str(path)
    try:
        text = read_text(path)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    try:
        node = yaml.compose(text, Loader=_loader())
        if node is None:
            return None, None
        check_yaml_bounds(node, name)
        data = _loader()(text).get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        where = f"{name}:{line}" if line else name
        raise UsageError(f"{where}: invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{name}: invalid YAML: {exc}") from None
    except InputError as exc:
        raise UsageError(str(exc)) from None
    return data, node


def check_severity(value: Any, what: str) -> str:
    text = str(value).upper()
    if text not in SEVERITIES:
        raise UsageError(f"{what} must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return text


def _apply_key(config: Config, key: str, value: Any, path: Path) -> None:
    if key == "fail_on":
        config.fail_on = check_severity(value, "fail_on")
    elif key == "soft_fail":
        if not isinstance(value, bool):
            raise UsageError(f"soft_fail must be true or false, not {value!r}")
        config.soft_fail = value
    elif key == "format":
        if value not in FORMATS:
            raise UsageError(f"format must be one of {', '.join(FORMATS)}, not {value!r}")
        config.format = str(value)
    elif key == "checkov_unknown":
        if value not in CHECKOV_UNKNOWN:
            raise UsageError(f"checkov_unknown must be one of {', '.join(CHECKOV_UNKNOWN)}, not {value!r}")
        config.checkov_unknown = str(value)
    elif key == "waivers":
        if not isinstance(value, str) or not value.strip():
            raise UsageError("waivers must be a file path")
        config.waivers = (path.parent / value).resolve() if not Path(value).is_absolute() else Path(value)
    else:
        settings_from_mapping({key: value}, config.settings)


def load_config(path: Path) -> Config:
    """The config file's settings; every error names the file and the line of the bad entry."""
    import yaml

    data, node = load_yaml_nodes(path)
    config = Config(path=path)
    if data is None:
        return config
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise UsageError(f"{path}:{_line(node) if node else 1}: expected a mapping of settings")
    for key_node, value_node in node.value:
        key = key_node.value
        try:
            if key == "exposures" and isinstance(value_node, yaml.SequenceNode):
                # One item at a time so the message points at the bad exposure's own line.
                for item_node, item in zip(value_node.value, data[key] or [], strict=False):
                    try:
                        settings_from_mapping({"exposures": [item]}, config.settings)
                    except UsageError as exc:
                        raise UsageError(f"{path}:{_line(item_node)}: {exc}") from None
            else:
                _apply_key(config, key, data[key], path)
        except UsageError as exc:
            if str(exc).startswith(f"{path}:"):
                raise
            raise UsageError(f"{path}:{_line(key_node)}: {exc}") from None
    return config


def find_config(paths: list[Path]) -> Path | None:
    """`.checkov-ack.yaml` in the first scanned root (a directory, or a file's folder)."""
    if not paths:
        return None
    root = paths[0] if paths[0].is_dir() else paths[0].parent
    candidate = root / CONFIG_NAME
    return candidate if candidate.is_file() else None


def config_for(paths: list[Path], explicit: Path | None = None) -> Config:
    """What the CLI uses: `explicit` (must exist), else `.checkov-ack.yaml` in the first root, else
    defaults. Checkov checks and pre-commit hooks call this to scan with the same settings."""
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(f"{explicit}: config file not found")
        return load_config(explicit)
    found = find_config(paths)
    return load_config(found) if found else Config()
