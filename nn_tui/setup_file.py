"""A run's setup as plain values: TOML files and share strings.

Both go through one table: `sections_of(config)` turns a RunConfig into three sections
of plain values (``data``, ``model`` — the kind and its spec — and ``train``), and
`config_from_sections` turns them back, checking every key and the type of every value
against the command-line option table (nn_tui.config), so a file, a share string and
the command line accept exactly the same settings. Ranges are checked later, by
`nn_tui.config.check`, with the command line's own messages.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import math
import os
import stat
import zlib
from urllib.parse import quote, unquote
from dataclasses import MISSING, fields
from pathlib import Path

from nn_tui.data import DataError
from nn_tui.data.csv_text import read_bytes
from nn_tui.config import RunConfig, check
from nn_tui.kinds import get_kind
from nn_tui.settings import (DEFAULT_KIND, ConfigError, DataConfig, TrainConfig, data_options, int_list, name_list,
                             train_options)

SECTIONS = ("data", "model", "train")
SHARE_VERSION = "1"  # the first characters of a share string: "1." + payload
MAX_SETUP_BYTES = 1024 * 1024  # a setup file the app writes is under 1 KB
MAX_SHARE_TEXT = 64 * 1024  # the settings a share string unpacks to (a few hundred bytes)


# ------------------------------------------------------------------ config -> values
def sections_of(config: RunConfig, changed_only: bool = False) -> dict:
    """{"data": {...}, "model": {"kind": ..., ...}, "train": {...}}: every setting that is
    not None (with `changed_only`, only those that differ from the defaults)."""

    defaults = RunConfig.of(model=config.kind)  # the kind's own starting point
    spec_default = get_kind(config.kind).spec()
    groups = (("data", config.data, defaults.data), ("model", config.model, spec_default),
              ("train", config.train, defaults.train))
    result: dict = {}
    for name, group, default in groups:
        values = {}
        for f in fields(group):
            value = getattr(group, f.name)
            if value is None or (changed_only and value == getattr(default, f.name) and f.name != "kind"):
                continue
            values[f.name] = list(value) if isinstance(value, tuple) else value
        result[name] = values
    return result


# ------------------------------------------------------------------ values -> config
def _options(kind) -> dict:
    """Setting name -> argparse keywords of its command-line option."""
    table = {o.dest: o.kwargs for o in (*data_options(), *train_options(), *kind.options)}
    table["epochs"] = {"type": int}  # an option of `nn-tui train` alone
    return table


def _describe(kwargs: dict) -> str:
    kind = kwargs.get("type")
    if kwargs.get("choices"):
        return "one of " + ", ".join(map(str, kwargs["choices"]))
    if kind in (int_list, name_list):
        return "a list of " + ("whole numbers" if kind is int_list else "names")
    return {int: "a whole number", float: "a number"}.get(kind, "text")


def _value(key: str, value, kwargs: dict | None, default):
    """`value` as the setting `key` holds it, or ConfigError."""
    kind = kwargs.get("type") if kwargs is not None else None
    if isinstance(default, bool):  # a switch: --batchnorm, the self-play's --symmetries
        if not isinstance(value, bool):
            raise ConfigError(f"{key} must be true or false, got {value!r}")
        return value
    wrong = ConfigError(f"{key} must be {_describe(kwargs or {})}, got {value!r}")
    if kind in (int_list, name_list):
        if isinstance(value, str):
            try:
                return kind(value)
            except argparse.ArgumentTypeError as error:
                raise ConfigError(f"{key}: {error}") from None
        item = int if kind is int_list else str
        if not isinstance(value, list) or not all(isinstance(v, item) and not isinstance(v, bool) for v in value):
            raise wrong
        return tuple(value)
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise wrong
        value = float(value)
    elif kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
    elif kwargs is not None:  # a text option
        if not isinstance(value, str):
            raise wrong
    elif isinstance(value, list):  # a spec field without an option: keep its shape
        value = tuple(value)
    elif default is not None and default is not MISSING and type(value) is not type(default):
        raise ConfigError(f"{key} must be like {default!r}, got {value!r}")
    choices = (kwargs or {}).get("choices")
    if choices and value not in choices:
        raise wrong
    return value


def config_from_sections(sections, where: str) -> RunConfig:
    """A RunConfig from sections of plain values; `where` starts every error message."""

    try:
        return _config_from_sections(sections, get_kind)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None


def _config_from_sections(sections, get_kind) -> RunConfig:
    if not isinstance(sections, dict):
        raise ConfigError("expected sections [data], [model] and [train]")
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise ConfigError(f"unknown section {unknown[0]!r}; the sections are {', '.join(SECTIONS)}")
    for name in SECTIONS:
        if not isinstance(sections.get(name, {}), dict):
            raise ConfigError(f"{name} must be a section of settings")
    model = {k.replace("-", "_"): v for k, v in sections.get("model", {}).items()}
    kind_name = model.pop("kind", DEFAULT_KIND)
    if not isinstance(kind_name, str):
        raise ConfigError(f"kind must be text, got {kind_name!r}")
    kind = get_kind(kind_name)
    options = _options(kind)
    groups = {}
    for name, dataclass in (("data", DataConfig), ("model", kind.spec), ("train", TrainConfig)):
        own = {f.name: f.default for f in fields(dataclass) if f.name != "kind"}
        values = model if name == "model" else {k.replace("-", "_"): v for k, v in sections.get(name, {}).items()}
        settings = {}
        for key, value in values.items():
            if key not in own:
                where = f"the {kind.name} model" if name == "model" else f"[{name}]"
                raise ConfigError(f"{key}: not a setting of {where}")
            settings[key] = _value(key, value, options.get(key), own[key])
        if name != "model":  # what the file leaves out starts from the kind's own defaults
            settings = {**{k: v for k, v in kind.defaults.items() if k in own}, **settings}
        groups[name] = dataclass(**settings)
    return RunConfig(data=groups["data"], model=groups["model"], train=groups["train"])


# ------------------------------------------------------------------ TOML files
def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def config_to_toml(config: RunConfig) -> str:
    """The whole setup as a TOML file `--config` reads back."""
    lines = ["# nn-tui setup: nn-tui --config THIS.toml (options given there override it)"]
    for name, values in sections_of(config).items():
        lines += ["", f"[{name}]"] + [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def load_toml(path: str | Path) -> RunConfig:
    """The RunConfig a TOML file describes (missing settings keep their defaults)."""
    return config_from_sections(read_toml(path), str(path))


def _toml_parser():
    """tomllib, imported on the first file read (start-up time: the app imports this module,
    and TOML costs it ~10 ms); the standard library's from Python 3.11, tomli for 3.10."""
    try:
        import tomllib  # start-up time (see above)
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # optional: Python 3.10 only
    return tomllib


def read_toml(path: str | Path) -> dict:
    """The TOML file's tables; ConfigError (one line) for anything else. Only a regular
    file is opened (a FIFO would block the open, /dev/zero never ends), and only up to
    MAX_SETUP_BYTES, with the CSV reader's budget (nn_tui/data/csv_text.py)."""
    tomllib = _toml_parser()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path):
            raise ConfigError(f"{path}: not a regular file; a setup file is a .toml file (the app's C writes one)")
        text = read_bytes(Path(path), MAX_SETUP_BYTES, kind="TOML").decode("utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    except RecursionError:  # tomllib parses nested arrays and tables by recursion
        raise ConfigError(f"{path}: not valid TOML for nn-tui (nested too deeply)") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a TOML file (TOML is UTF-8 text)") from None
    except DataError as error:
        raise ConfigError(str(error)) from None
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror or error}") from None


# ------------------------------------------------------------------ share strings
# A share string is "1." and base64url of: the changed settings as `name=value;...`
# (lists comma-separated, every part percent-encoded), raw-deflated, then the CRC-32 of
# that text (4 bytes). The checksum makes a mistyped string fail instead of opening
# some other setup; the version says how to read the rest.
def _flat_text(config: RunConfig) -> str:
    parts = []
    for values in sections_of(config, changed_only=True).values():
        for key, value in values.items():
            items = value if isinstance(value, list) else [value]
            text = ",".join(quote(v if isinstance(v, str) else repr(v), safe="") for v in items)
            parts.append(f"{key}={text}")
    return ";".join(parts)


def _sections_from_flat(text: str) -> dict:

    pairs = [part.partition("=") for part in text.split(";") if part]
    if any(not eq for _, eq, _ in pairs):
        raise ConfigError("corrupt (a setting without a value)")
    flat = {key: raw for key, _, raw in pairs}
    kind = get_kind(unquote(flat.get("kind", DEFAULT_KIND)))
    options = _options(kind)
    data_names = {f.name for f in fields(DataConfig)}
    train_names = {f.name for f in fields(TrainConfig)}
    spec_defaults = {f.name: f.default for f in fields(kind.spec)}
    defaults = {**spec_defaults, **{f.name: f.default for f in fields(TrainConfig)}}
    sections: dict = {"data": {}, "model": {}, "train": {}}
    for key, raw in flat.items():
        section = "data" if key in data_names else "train" if key in train_names else "model"
        kwargs = options.get(key, {})
        kind_of = kwargs.get("type")
        if kind_of in (int_list, name_list) or isinstance(spec_defaults.get(key), tuple):
            value: object = [unquote(item) for item in raw.split(",")] if raw else []
            if kind_of is int_list:
                value = [_number(int, key, item) for item in value]
        elif kind_of in (int, float):
            value = _number(kind_of, key, unquote(raw))
        elif isinstance(defaults.get(key), bool):  # a switch, written as repr(): True or False
            value = {"True": True, "False": False}.get(unquote(raw), unquote(raw))
        else:
            value = unquote(raw)
        sections[section][key] = value
    return sections


def _number(kind, key: str, text: str):
    try:
        return kind(text)
    except ValueError:
        raise ConfigError(f"{key} must be {_describe({'type': kind})}, got {text!r}") from None


def share_string(config: RunConfig) -> str:
    """A short, URL- and shell-safe line that `nn-tui --share` turns back into this setup."""
    text = _flat_text(config).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: the CRC below checks it
    packed = packer.compress(text) + packer.flush() + zlib.crc32(text).to_bytes(4, "big")
    return f"{SHARE_VERSION}.{base64.urlsafe_b64encode(packed).decode().rstrip('=')}"


def config_from_share(text: str) -> RunConfig:
    """The setup of a share string; ConfigError (one line) when it is not one."""
    version, dot, payload = text.strip().partition(".")
    if not dot or not version:
        raise ConfigError("share string: not a share string (it starts with a version, like 1.)")
    if version != SHARE_VERSION:
        raise ConfigError(f"share string: version {version!r} is not one this nn-tui reads ({SHARE_VERSION})")
    corrupt = ConfigError("share string: corrupt (cut short or mistyped?)")
    try:
        packed = base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=b"-_", validate=True)
        unpacker = zlib.decompressobj(-15)
        raw = unpacker.decompress(packed[:-4], MAX_SHARE_TEXT)  # a few KB can unpack to GBs
    except (binascii.Error, zlib.error, ValueError):
        raise corrupt from None
    if unpacker.unconsumed_tail:
        raise ConfigError(f"share string: unpacks to more than {MAX_SHARE_TEXT // 1024} KB; "
                          "nn-tui's share strings are a few hundred bytes")
    if len(packed) < 5 or not unpacker.eof or zlib.crc32(raw).to_bytes(4, "big") != packed[-4:]:
        raise corrupt
    try:
        flat = raw.decode()
    except UnicodeDecodeError:
        raise corrupt from None
    try:
        sections = _sections_from_flat(flat)
    except ConfigError as error:
        raise ConfigError(f"share string: {error}") from None
    return config_from_sections(sections, "share string")


# ------------------------------------------------------------------ the command line
def _dests(config: RunConfig) -> dict:
    """Parser destinations for every setting of a config (what set_defaults takes)."""
    dests = {"model": config.kind}
    for group in (config.data, config.model, config.train):
        dests.update({f.name: getattr(group, f.name) for f in fields(group) if f.name != "kind"})
    return dests


def _option_value(argv: list[str], flag: str) -> tuple[str | None, list[str]]:
    """The value of `flag` in argv (`--flag V` or `--flag=V`) and argv without it."""
    value, rest, args = None, [], iter(argv)
    for arg in args:
        if arg == flag:
            value = next(args, None)
            if value is None:
                raise ConfigError(f"{flag} needs a value")
        elif arg.startswith(flag + "="):
            value = arg[len(flag) + 1:]
        else:
            rest.append(arg)
    return value, rest


def apply_config_file(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Before `parser.parse_args(argv)`: read `--config FILE.toml` (and the app's
    `--share STRING`) into the parser's defaults, so options on the command line
    override them. Returns argv without those two. ConfigError on a bad file."""
    path, argv = _option_value(list(argv), "--config")
    share, argv = _option_value(argv, "--share")
    if path is not None and share is not None:
        raise ConfigError("give --config or --share, not both")
    for where, read, source in ((path, load_toml, path), ("share string", config_from_share, share)):
        if source is not None:
            config = read(source)
            try:
                check(config)
            except ConfigError as error:
                raise ConfigError(f"{where}: {error}") from None
            parser.set_defaults(**_dests(config))
    return argv
