"""The member site published once from the session's warehouse, for every test of this
package (publishing every agreement takes some seconds). The folder lives in a temporary
directory nginx's workers can read (tests/site_server.py serves it)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from exports.site.build import Published, publish


@dataclass
class Site:
    dir: Path
    result: Published

    def read(self, path: str) -> str:
        return (self.dir / path).read_text(encoding="utf-8")

    def page_of(self, agency: str, class_code: str) -> str:
        hit = [
            p["path"]
            for p in self.result.manifest["pages"]
            if p["agency"] == agency and p["class_code"] == class_code
        ]
        assert len(hit) == 1, hit
        return hit[0]


@pytest.fixture(scope="session")
def site(warehouse) -> Site:
    base = Path(tempfile.mkdtemp(prefix="bargain-site-"))
    base.chmod(0o755)
    target = base / "site"
    done = publish(warehouse, target)
    yield Site(target, done)
    shutil.rmtree(base, ignore_errors=True)
