"""What the test suite needs beyond Python packages, installed when missing: Debian's Chromium
(the real-browser tests and the handout's print-to-PDF check), poppler-utils (pdfinfo), and
for the deployment tests (tests/deploy/) nginx (the shipped proxy configuration, run in front
of several app processes), openssl (a throw-away certificate for `nginx -t`) and systemd's
systemd-analyze (the shipped units verified).

The README's test command runs this before pytest, so a fresh machine needs nothing else. It
uses apt-get (through sudo when not root) and says what it did; it exits with a message, not
a traceback, when it cannot install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path(os.environ.get("BARGAIN_CHROMIUM", "/usr/bin/chromium"))
NEEDED = {
    "chromium": lambda: CHROMIUM.exists(),
    "poppler-utils": lambda: bool(shutil.which("pdfinfo")),
    "nginx": lambda: bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
    "openssl": lambda: bool(shutil.which("openssl")),
    "systemd": lambda: bool(shutil.which("systemd-analyze")),
}


def missing() -> list[str]:
    return [pkg for pkg, present in NEEDED.items() if not present()]


def main() -> int:
    todo = missing()
    if not todo:
        print(f"setup_machine: {', '.join(NEEDED)} are installed")
        return 0
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if sudo and not shutil.which("sudo"):
        print(f"setup_machine: need root (or sudo) to install {', '.join(todo)}", file=sys.stderr)
        return 1
    print(f"setup_machine: installing {', '.join(todo)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *todo]):
        done = subprocess.run([*sudo, *cmd], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"setup_machine: {' '.join(cmd)} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            return 1
    still = missing()
    if still:
        print(f"setup_machine: still missing after install: {', '.join(still)}", file=sys.stderr)
        return 1
    print("setup_machine: done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
