"""Configuration: ``[tool.cleanmt]`` in pyproject.toml or a ``.cleanmt.toml``, found by walking up
from the working folder (or given with --config). A .cleanmt.toml takes the keys at its top level
or under ``[tool.cleanmt]`` (people copy the table from pyproject.toml), not both. Keys are
kebab-case; unknown keys are refused with the list of valid ones."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .glossary import GlossaryError

KEYS = {
    "glossaries": "extra glossary files, relative to the configuration file",
    "no-bundled": "true: do not load the bundled glossaries",
    "disable": "glossary entry or rule ids to switch off",
    "stages": "the stages to run (default: all)",
    "include": "glob patterns of files to clean when a folder is given (default: text formats)",
    "exclude": "glob patterns of files and folders to leave alone (also for files named explicitly "
               "with --force-exclude)",
    "jsonl-field": "the field of JSON Lines records, or the Parquet column, that holds the text (default: text)",
    "level": '"sure" (default): only edits the evidence supports; "suggest": make the suggestions too',
    "assume-mt": "true: the files are machine translation (typography rules need no other evidence)",
}
DEFAULT_INCLUDE = ["*.md", "*.markdown", "*.txt", "*.text", "*.rst", "*.po", "*.pot", "*.srt", "*.jsonl",
                   "*.parquet"]


@dataclass
class Config:
    path: Path | None = None
    glossaries: list[str] = field(default_factory=list)
    no_bundled: bool = False
    disable: list[str] = field(default_factory=list)
    stages: list[str] | None = None
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = field(default_factory=list)
    jsonl_field: str = "text"
    level: str = "sure"
    assume_mt: bool = False


class ConfigError(GlossaryError):
    pass


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        dotfile = folder / ".cleanmt.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                continue
            if "cleanmt" in data.get("tool", {}):
                return pyproject
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "no such configuration file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be parsed: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("cleanmt", {})
        where = "[tool.cleanmt]"
    elif isinstance(data.get("tool"), dict) and "cleanmt" in data["tool"]:
        # a .cleanmt.toml may hold the table as copied from pyproject.toml; other [tool.*]
        # tables beside it are someone else's, as in pyproject.toml
        others = sorted(set(data) - {"tool"})
        if others:
            raise ConfigError(path, f"has both top-level keys ({', '.join(others)}) and a [tool.cleanmt] table; "
                                    "use one of the two shapes", None, others[0])
        data = data["tool"]["cleanmt"]
        where = "[tool.cleanmt]"
    else:
        where = None
    if not isinstance(data, dict):
        raise ConfigError(path, "must be a table", where)
    bad = sorted(set(data) - set(KEYS))
    if bad:
        raise ConfigError(path, f"unknown key(s) {', '.join(bad)}; valid keys are: {', '.join(sorted(KEYS))}",
                          where, bad[0])
    cfg = Config(path=path)
    for key in ("glossaries", "disable", "stages", "include", "exclude"):
        if key in data:
            v = data[key]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ConfigError(path, "must be a list of strings", where, key)
            setattr(cfg, key, list(v))
    cfg.glossaries = [str((path.parent / g).resolve()) for g in cfg.glossaries]
    if "level" in data:
        if data["level"] not in ("sure", "suggest"):
            raise ConfigError(path, f"must be \"sure\" or \"suggest\", not {data['level']!r}", where, "level")
        cfg.level = data["level"]
    if "assume-mt" in data:
        if not isinstance(data["assume-mt"], bool):
            raise ConfigError(path, "must be true or false", where, "assume-mt")
        cfg.assume_mt = data["assume-mt"]
    if "no-bundled" in data:
        if not isinstance(data["no-bundled"], bool):
            raise ConfigError(path, "must be true or false", where, "no-bundled")
        cfg.no_bundled = data["no-bundled"]
    if "jsonl-field" in data:
        if not isinstance(data["jsonl-field"], str) or not data["jsonl-field"]:
            raise ConfigError(path, "must be a non-empty string", where, "jsonl-field")
        cfg.jsonl_field = data["jsonl-field"]
    return cfg
