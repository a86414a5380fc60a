"""The deployment of docs/deploy/ run for real: three `streamlit run app.py` processes with the
settings of docs/deploy/bargain.env, one warehouse and one user-data file between them, behind
nginx with the shipped site configuration (tests/nginx_proxy.py). Shared by the tests of this
package; stopped at the end whatever happens. nginx is Debian's (tests/setup_machine.py
installs it); without it these tests fail, saying so."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import live_app, nginx_proxy
from userdata.warehouse import build

PROCESSES = 3
USERS = {"alice": "alice-pw", "bob": "bob-pw", "carol": "carol-pw", "dave": "dave-pw",
         "erin": "erin-pw", "frank": "frank-pw"}  # fmt: skip


@dataclass
class Stack:
    proxy: nginx_proxy.Proxy
    apps: list[tuple]  # (process, direct URL, log) per app process, in upstream order
    db: Path
    user_db: Path
    tmp: Path
    env: dict  # the app processes' deployment settings (docs/deploy/bargain.env)

    @property
    def url(self) -> str:
        return self.proxy.url

    def auth(self, user: str) -> str:
        return nginx_proxy.basic_auth(user, USERS[user])

    def tracebacks(self) -> list[str]:
        """Server logs of the app processes that contain a traceback."""
        return [
            log.read_text(errors="replace")[-3000:]
            for _, _, log in self.apps
            if "Traceback" in log.read_text(errors="replace")
        ]


def require_nginx() -> str:
    binary = nginx_proxy.nginx_binary()
    if binary is None:
        pytest.fail(
            "nginx not found: the deployment tests run the shipped nginx configuration. The "
            "README's test command installs it (tests/setup_machine.py runs apt-get); or: "
            "sudo apt-get install nginx."
        )
    return binary


@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    require_nginx()
    tmp = tmp_path_factory.mktemp("deploy")
    db = tmp / "bargaining.duckdb"
    build(db, user_db=None)  # this warehouse is rebuilt by the tests: not the shared one
    user_db = tmp / "userdata.sqlite"
    proxy_port = live_app.free_port()
    env = nginx_proxy.deployment_env(f"http://localhost:{proxy_port}")
    try:
        apps = live_app.start_many(PROCESSES, db, user_db, tmp, env=env)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        ports = [int(url.rsplit(":", 1)[1]) for _, url, _ in apps]
        proxy = nginx_proxy.start_nginx(ports, USERS, listen_port=proxy_port)
    except RuntimeError as exc:
        for proc, _, _ in apps:
            live_app.stop(proc)
        pytest.fail(str(exc))
    try:
        yield Stack(proxy, apps, db, user_db, tmp, env)
    finally:
        nginx_proxy.stop_nginx(proxy)
        for proc, _, _ in apps:
            live_app.stop(proc)
        shutil.rmtree(proxy.prefix, ignore_errors=True)
