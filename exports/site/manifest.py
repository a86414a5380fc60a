"""The site's manifest.json: what `bargain publish` wrote (every file with its SHA-256), from
which warehouse (its source fingerprint and build time), for which dates and CPI month, and
which page holds which class. It is how a later publish recognises its own folder, how a
server or a diff tells what changed, and how the app finds a class's published page."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from exports.site.paths import MANIFEST
from exports.site.writer import GENERATOR, earlier_manifest

FORMAT = 1


def make(files: dict[str, bytes], about: dict, pages: list[dict]) -> bytes:
    """The manifest of `files` (site path -> bytes): `about` (data_fingerprint,
    warehouse_built_at, as_of, cpi, agencies) and `pages` (agency, unit, class_code, path)."""
    digests = {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}
    site = hashlib.sha256("".join(f"{k} {v}\n" for k, v in digests.items()).encode())
    body = {
        "generator": GENERATOR,
        "format": FORMAT,
        **about,
        "site_sha256": site.hexdigest(),
        "pages": pages,
        "files": digests,
    }
    return (json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def page_for(site_dir: Path, agency: str, class_code: str, unit: str | None = None) -> str | None:
    """The site path of a class's page in the site published to `site_dir` (None when there
    is no such site or page). With no unit given, the class's only page."""
    manifest = earlier_manifest(Path(site_dir))
    if manifest is None:
        return None
    hits = [
        p
        for p in manifest.get("pages", [])
        if p.get("agency") == agency
        and p.get("class_code") == class_code
        and (unit is None or p.get("unit") == unit)
    ]
    return hits[0]["path"] if len(hits) == 1 else None


def page_url(base_url: str, site_path: str) -> str:
    """A page's address under the URL the site is served at ('/pay/' + 'sonoma/...')."""
    return base_url.rstrip("/") + "/" + site_path


__all__ = ["MANIFEST", "make", "page_for", "page_url"]
