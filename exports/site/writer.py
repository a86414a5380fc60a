"""Writing the site's folder safely: the files go into a temporary folder beside DIR, which
replaces DIR only when every file is written (a full disk or any other error mid-way leaves
DIR as it was and removes only the temporary folder). DIR may be new, empty, or an earlier
site: one whose manifest.json says `bargain publish` wrote it and which holds no file that
manifest does not list. Any other folder is refused, never emptied or deleted."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path

from etl.errors import BargainError
from exports.site.paths import MANIFEST

GENERATOR = "bargain publish"


class SiteError(BargainError):
    """The site cannot be written where asked (one line, naming the folder)."""


def earlier_manifest(target: Path) -> dict | None:
    """The manifest of an earlier site in `target`, or None when it has none of ours."""
    try:
        data = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR:
        return None
    return data if isinstance(data.get("files"), dict) else None


def _present(target: Path) -> list[str]:
    return sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if not p.is_dir())


def check_target(target: Path) -> None:
    """SiteError unless `target` may be (re)written: missing, an empty folder, or an earlier
    site holding only the files its manifest lists."""
    if not target.exists() and not target.is_symlink():
        return
    if not target.is_dir():
        raise SiteError(f"{target}: exists and is not a folder; give a new folder for the site")
    present = _present(target)
    if not present:
        return
    manifest = earlier_manifest(target)
    if manifest is None:
        raise SiteError(
            f"{target}: the folder exists and is not a site `bargain publish` wrote (no "
            f"{MANIFEST} of one); nothing was written. Give a new or empty folder."
        )
    listed = set(manifest["files"]) | {MANIFEST}
    extra = [p for p in present if p not in listed]
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        raise SiteError(
            f"{target}: holds files the earlier publish did not write ({shown}); move them "
            "out or publish to another folder. Nothing was written."
        )


COMPRESSED = (".html", ".json", ".css", ".js")
GZIP_MIN_BYTES = 1024  # as the shipped nginx configuration's gzip_min_length


def gzip_copies(files: dict[str, bytes]) -> dict[str, bytes]:
    """NAME.gz beside every page, index, stylesheet and script, for nginx's gzip_static: the
    server sends the stored copy instead of compressing each response again (a member crowd
    then costs the server file reads only). mtime 0 and no file name inside, so publishing
    twice still gives byte-identical files."""
    return {
        f"{name}.gz": gzip.compress(data, compresslevel=9, mtime=0)
        for name, data in files.items()
        if name.endswith(COMPRESSED) and len(data) >= GZIP_MIN_BYTES
    }


def write_file(path: Path, data: bytes) -> None:
    """One file (tests make this fail to stand for a full disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def _readable(root: Path) -> None:
    # mkdtemp makes a 0700 folder; the web server's user must read the site.
    for p in [root, *root.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)


def write_site(target: Path, files: dict[str, bytes]) -> None:
    """Write `files` (site path -> bytes) as the folder `target`, replacing an earlier site
    only once all are written. SiteError (one line) when that cannot be done."""
    target = target.resolve() if target.is_symlink() else target.absolute()
    check_target(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.publishing-", dir=parent))
    except OSError as exc:
        raise SiteError(f"{parent}: cannot create a folder there ({exc.strerror or exc})") from None
    try:
        for name in sorted(files):
            write_file(tmp / name, files[name])
        _readable(tmp)
        _swap(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SiteError(
            f"{target}: the site could not be written ({exc.strerror or exc}); the folder is "
            "as it was before"
        ) from None


def _swap(tmp: Path, target: Path) -> None:
    """tmp becomes target; an earlier target is moved aside first and removed after, or put
    back if the rename fails."""
    if not target.exists():
        os.rename(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.previous-", dir=target.parent))
    old.rmdir()
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
