"""A scenario's JSON text: the bytes of an uploaded file to text (UTF-8, size limit), the text
to the dict that analysis/scenario/parser.py checks (valid JSON, no key given twice, not
nested or numbered beyond reason), and the checks of what a scenario is saved under
(`scenario_name`, `storable`), shared by the app, the CLI and userdata.scenarios."""

from __future__ import annotations

import json
from typing import Any

from analysis.scenario.model import ScenarioError
from etl import cells
from etl.cells import CellError
from etl.defaults import MAX_NAME, MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from etl.uploads.kinds import looks_utf16


def _one(message: str) -> ScenarioError:
    return ScenarioError([("", message)])


def decode(data: bytes) -> str:
    """An uploaded .json file as text: UTF-8, a byte-order mark allowed."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _one(
            f"the file is over the {MAX_UPLOAD_MB} MB upload limit ({len(data):,} bytes); a "
            "scenario is a few kilobytes"
        )
    if looks_utf16(data):  # with its byte-order mark or without
        raise _one("the file is UTF-16; save the scenario as UTF-8 text")
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _one(
            f"the file is not UTF-8 text ({exc.reason} at byte {exc.start}); a scenario is "
            "JSON text saved as UTF-8"
        ) from None


def loads(text: str) -> Any:
    """The JSON value of a scenario's text (ScenarioError: too long, empty, not JSON, nested
    too deeply, a number of thousands of digits, a key given twice in one object)."""
    if len(text) > MAX_UPLOAD_BYTES:
        raise _one(
            f"the text is over the {MAX_UPLOAD_MB} MB upload limit ({len(text):,} characters); "
            "a scenario is a few kilobytes"
        )
    if not text.strip():
        raise _one("the scenario is empty: expected a JSON object {...}")
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        out: dict = {}
        for k, v in items:
            if k in out:
                repeated.append(k)
            out[k] = v
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise _one(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise _one("not valid JSON: nested too deeply") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise _one("not valid JSON: a number is too long to read (thousands of digits)") from None
    if repeated:
        raise ScenarioError(
            [
                ("", f"key {shown_key(k)} is given twice in one object; keep one of them")
                for k in dict.fromkeys(repeated)
            ]
        )
    return data


def shown_key(key: Any) -> str:
    """A key or value a user typed, quoted for a message or a field path: its repr (which
    escapes lone surrogates, controls and direction marks), cut to 60 characters."""
    s = repr(key)
    return s if len(s) <= 60 else s[:58] + "…" + s[-1]


def path_key(key: Any) -> str:
    """A JSON key as part of a field path: as typed when it is plain text, else escaped
    (a path is shown in messages and tables, and must not carry what would break them)."""
    if isinstance(key, str) and len(key) <= 60 and cells.refused_character(key) is None:
        return key
    return shown_key(key)


def scenario_name(name: Any) -> str:
    """The name a scenario is saved under, checked as a typed text field (etl.cells.text:
    stripped, spaces collapsed, NFC; no lone surrogate, control or direction character; at
    most MAX_NAME characters). ScenarioError saying what to fix otherwise."""
    if not isinstance(name, str):
        raise ScenarioError([("name", f"must be text, got {shown_key(name)}")])
    try:
        text = cells.text(name, MAX_NAME, subject="the name")
    except CellError as exc:
        raise ScenarioError([("name", str(exc))]) from None
    if not text:
        raise ScenarioError([("name", "is empty: give the scenario a name")])
    return text


def storable(value: Any, path: str = "") -> None:
    """Refuse a scenario body holding text that cannot be stored or shown (a lone surrogate,
    in a key or a value, at any depth): ScenarioError naming where."""
    if isinstance(value, dict):
        for k, v in value.items():
            where = f"{path}.{path_key(k)}" if path else path_key(k)
            if isinstance(k, str) and _has_surrogate(k):
                raise ScenarioError([(where, "the key has an undecodable character; retype it")])
            storable(v, where)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            storable(v, f"{path}[{i}]")
    elif isinstance(value, str) and _has_surrogate(value):
        raise ScenarioError([(path, "the text has an undecodable character; retype it")])


def _has_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
