"""A source document as lines, with quote lookup so every value can name its line."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from etl.errors import SourceParseError

_WS = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Collapse runs of whitespace (tabs from PDF tables, double spaces) to one space."""
    return _WS.sub(" ", text).strip()


def read_source(path: Path, name: str | None = None, folder: str = "data/raw/") -> bytes:
    """The bytes of a source file, or a SourceParseError naming it and saying why it cannot be
    read: missing, a broken symbolic link, a directory where the file should be, permission
    denied, or another error of the file system (one line, no traceback)."""
    name = name or path.name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            target = os.readlink(path)
            message = f"is a broken symbolic link (to {target}, which does not exist)"
        else:
            message = f"file is missing from {folder}"
    except IsADirectoryError:
        message = f"is a directory, not a file; put the file back in {folder}"
    except PermissionError:
        message = "cannot be read: permission denied (check the file's permissions)"
    except OSError as exc:
        message = f"cannot be read ({exc.strerror or exc})"
    raise SourceParseError(name, None, message)


def read_source_text(path: Path, name: str | None = None, folder: str = "data/raw/") -> str:
    """A source file as UTF-8 text (`read_source`'s checks; invalid UTF-8 names its line)."""
    name = name or path.name
    data = read_source(path, name, folder)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceParseError(name, line, "is not valid UTF-8 text") from None


@dataclass
class RawDocument:
    """The text of one file in data/raw/, split into 1-based lines."""

    name: str
    text: str

    @classmethod
    def load(cls, path: Path) -> RawDocument:
        return cls(path.name, read_source_text(path))

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line(self, n: int) -> str:
        return self.lines[n - 1]

    @cached_property
    def _normalized(self) -> list[tuple[str, list[int]]]:
        # For each line: whitespace-collapsed text and, per character, its offset in the original.
        out = []
        for raw in self.lines:
            chars: list[str] = []
            offsets: list[int] = []
            prev_space = True
            for i, ch in enumerate(raw):
                if ch.isspace():
                    if not prev_space:
                        chars.append(" ")
                        offsets.append(i)
                    prev_space = True
                else:
                    chars.append(ch)
                    offsets.append(i)
                    prev_space = False
            out.append(("".join(chars), offsets))
        return out

    def find(self, quote: str, start_line: int = 1) -> tuple[int, int] | None:
        """First (line, col) at or after `start_line` where `quote` occurs, ignoring whitespace
        differences; both 1-based. None when the quote is not in the document."""
        needle = normalize_ws(quote)
        if not needle:
            return None
        for idx in range(max(start_line, 1) - 1, len(self.lines)):
            norm, offsets = self._normalized[idx]
            pos = norm.find(needle)
            if pos >= 0:
                return idx + 1, offsets[pos] + 1
        return None

    def require(self, quote: str, *, start_line: int = 1, context: str = "") -> tuple[int, int]:
        """Like find(), but a missing quote is a SourceParseError naming this document."""
        found = self.find(quote, start_line)
        if found is None:
            what = f" ({context})" if context else ""
            raise SourceParseError(self.name, None, f"expected text not found{what}: {quote!r}")
        return found

    def window(self, line: int, col: int | None = None, radius: int = 3, chars: int = 600) -> str:
        """The text around a cited position, for showing the source beside a number."""
        if len(self.lines) == 1 or (col and len(self.line(line)) > 4 * chars):
            text = self.line(line)
            c = (col or 1) - 1
            return text[max(0, c - chars // 2) : c + chars // 2]
        lo, hi = max(1, line - radius), min(len(self.lines), line + radius)
        return "\n".join(self.lines[lo - 1 : hi])
