"""The shipped deployment files (docs/deploy/) as files: nginx accepts the site configuration as
it is, its choices are the documented ones, the systemd units verify and their commands run,
and the environment file's settings are the ones Streamlit applies."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

import pytest
import streamlit

from etl import defaults
from tests import live_app, nginx_proxy

from .conftest import require_nginx

DEPLOY = live_app.ROOT / "docs" / "deploy"
UNITS = DEPLOY / "systemd"
CONF = nginx_proxy.SHIPPED.read_text()
SERVER = CONF[CONF.index("    listen 443 ssl;") :]  # the TLS server block, to the end


def _directives(text: str, name: str) -> list[str]:
    """The arguments of every `name ...;` directive (quoted strings may hold semicolons)."""
    pattern = rf'^\s*{name}\s+((?:"[^"]*"|[^;"])*);'
    return [m.group(1).strip() for m in re.finditer(pattern, text, re.M)]


def _locations(text: str) -> dict[str, str]:
    return {
        m.group(1).strip(): m.group(2)
        for m in re.finditer(r"^    location ([^{]+)\{\n(.*?)^    \}", text, re.M | re.S)
    }


def test_nginx_accepts_the_shipped_file_as_it_is(tmp_path):
    """`nginx -t` on docs/deploy/nginx/bargain.conf with only the certificate and password
    file paths pointed at real files (a throw-away self-signed certificate)."""
    binary = require_nginx()
    if not shutil.which("openssl"):
        pytest.fail("openssl not found (tests/setup_machine.py installs it)")
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=bargain.example.org", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    htpasswd = tmp_path / "htpasswd"
    nginx_proxy.write_htpasswd(htpasswd, {"alice": "x"})
    site = (
        CONF.replace("/etc/ssl/bargain/fullchain.pem", str(cert))
        .replace("/etc/ssl/bargain/privkey.pem", str(key))
        .replace("/etc/nginx/bargain.htpasswd", str(htpasswd))
    )
    for shipped in ("/etc/ssl/bargain/", "/etc/nginx/bargain.htpasswd"):
        assert shipped not in site
    (tmp_path / "bargain.conf").write_text(site)
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_proxy.main_config(tmp_path, tmp_path / "bargain.conf"))
    (tmp_path / "tmp").mkdir()
    done = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr


def test_sessions_are_sticky_by_a_route_cookie_the_proxy_sets():
    upstream = re.search(r"^upstream bargain \{(.*?)^\}", CONF, re.M | re.S).group(1)
    assert _directives(upstream, "hash") == ["$bargain_route consistent"]
    assert len(_directives(upstream, "server")) >= 2
    assert "ip_hash" not in upstream and "least_conn" not in upstream
    assert '""      $request_id;' in CONF  # a browser without the cookie gets a fresh key
    cookie = _directives(SERVER, "add_header")
    assert "Set-Cookie $bargain_route_cookie always" in cookie
    assert re.search(r'"bargain_route=\$request_id; Path=/; Secure; HttpOnly; SameSite=Lax"', CONF)


def test_websockets_are_upgraded_with_long_timeouts():
    assert _directives(SERVER, "proxy_http_version") == ["1.1"]
    headers = _directives(SERVER, "proxy_set_header")
    assert "Upgrade $http_upgrade" in headers
    assert "Connection $bargain_connection" in headers
    stream = _locations(SERVER)["= /_stcore/stream"]
    assert _directives(stream, "proxy_read_timeout") == ["1d"]
    assert _directives(stream, "proxy_pass") == ["http://bargain"]


def _size(text: str) -> int:
    n, unit = re.fullmatch(r"(\d+)([kKmM]?)", text).groups()
    return int(n) * {"": 1, "k": 1024, "m": 1024**2}[unit.lower()]


def test_the_body_limit_is_above_the_upload_limit():
    config = tomllib.loads((live_app.ROOT / ".streamlit" / "config.toml").read_text())
    upload = config["server"]["maxUploadSize"] * 1024**2
    assert upload == defaults.MAX_UPLOAD_BYTES
    (limit,) = _directives(SERVER, "client_max_body_size")
    assert upload + 512 * 1024 <= _size(limit) <= 2 * upload  # room for multipart, no more


def test_the_user_header_comes_from_the_proxy_only():
    """Set once, at the server level, from the signed-in user (which replaces whatever the
    client sent under that name); no location sets headers of its own, which in nginx would
    silently drop every server-level proxy_set_header (and add_header) there."""
    common = (live_app.ROOT / "app_pages" / "common.py").read_text()
    default = re.search(r'os\.environ\.get\("BARGAIN_USER_HEADER", "([^"]+)"\)', common).group(1)
    env = (DEPLOY / "bargain.env").read_text()
    assert f"BARGAIN_USER_HEADER={default}\n" in env
    headers = _directives(CONF, "proxy_set_header")
    sets = [h for h in headers if h.lower().startswith(default.lower())]
    assert sets == [f"{default} $remote_user"]
    for name, body in _locations(SERVER).items():
        assert "proxy_set_header" not in body and "add_header" not in body, name
    assert "underscores_in_headers" not in CONF  # X_Forwarded_User stays dropped by nginx


def _header(name: str) -> str:
    (value,) = [h for h in _directives(SERVER, "add_header") if h.startswith(name + " ")]
    return value[len(name) + 1 :].removesuffix(" always").strip('"')


def test_security_headers():
    assert _header("Strict-Transport-Security").startswith("max-age=31536000")
    assert _header("X-Content-Type-Options") == "nosniff"
    assert _header("X-Frame-Options") == "DENY"
    assert _header("Referrer-Policy") == "no-referrer"
    csp = dict(
        (d.split()[0], d.split()[1:])
        for d in _header("Content-Security-Policy").split(";")
        if d.strip()
    )
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]
    assert csp["connect-src"] == ["'self'"]


def test_the_csp_allows_exactly_streamlits_inline_script():
    """Streamlit's index.html has inline script(s); the CSP allows each by its hash. After a
    Streamlit upgrade that changes them this fails, naming the hash to put in bargain.conf."""
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in re.findall(r"<script>(.*?)</script>", index, re.S)
    }
    csp = _header("Content-Security-Policy").replace(";", " ")
    allowed = {s for s in csp.split() if s.startswith("'sha256-")}
    assert allowed == hashes


def test_the_base_path_probes_are_answered_without_the_app():
    probe = _locations(SERVER)["~ ^/.+/_stcore/(health|host-config)$"]
    assert _directives(probe, "return") == ["404"]
    assert _directives(probe, "access_log") == ["off"]
    assert "rewrite" not in probe and "proxy_pass" not in probe


# systemd --------------------------------------------------------------------------------------


def _local(unit: Path, port: int | None = None) -> str:
    """A unit's text with the install paths pointed at this checkout."""
    text = unit.read_text()
    text = text.replace("/srv/bargain/.venv/bin/", str(Path(sys.executable).parent) + "/")
    text = text.replace("/srv/bargain", str(live_app.ROOT))
    text = text.replace("/etc/bargain/bargain.env", str(DEPLOY / "bargain.env"))
    return text.replace("%i", str(port)) if port else text


def test_the_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.fail("systemd-analyze not found (package systemd; tests/setup_machine.py)")
    names = []
    for unit in sorted(UNITS.iterdir()):
        name = unit.name.replace("@.", "@8501.")
        (tmp_path / name).write_text(_local(unit))
        names.append(str(tmp_path / name))
    done = subprocess.run([analyze, "verify", "--man=no", *names], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_one_build_before_every_process():
    app = (UNITS / "bargain@.service").read_text()
    build = (UNITS / "bargain-build.service").read_text()
    assert re.search(r"^ExecStart=\S*/streamlit run app\.py --server\.port %i$", app, re.M)
    assert "ExecStartPre" not in app  # the build runs once, not once per process
    assert re.search(r"^Requires=bargain-build\.service$", app, re.M)
    assert re.search(r"^After=.*\bbargain-build\.service\b", app, re.M)
    assert re.search(r"^ExecStart=\S*/bargain build$", build, re.M)
    assert re.search(r"^Type=oneshot$", build, re.M)
    for text in (app, build):
        assert "EnvironmentFile=/etc/bargain/bargain.env" in text
        assert "PartOf=bargain.target" in text


def _exec_start(unit: Path, port: int | None = None) -> list[str]:
    (line,) = re.findall(r"^ExecStart=(.*)$", _local(unit, port), re.M)
    return line.split()


def _env(tmp_path: Path) -> dict[str, str]:
    """The environment file's variables, pointed at this test's files and localhost."""
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "bargain.env").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    env.update(nginx_proxy.deployment_env("http://localhost"))
    env.update(BARGAIN_DB=str(tmp_path / "w.duckdb"), BARGAIN_USER_DB=str(tmp_path / "u.sqlite"))
    return env


def test_the_units_commands_build_and_serve(tmp_path):
    """The build unit's command builds; the app unit's command, with %i a free port, serves
    on localhost at that port with the environment file's settings."""
    env = {**os.environ, **_env(tmp_path)}
    build = subprocess.run(
        _exec_start(UNITS / "bargain-build.service"),
        cwd=live_app.ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "w.duckdb").exists()
    port = live_app.free_port()
    log = tmp_path / "app.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            _exec_start(UNITS / "bargain@.service", port),
            cwd=live_app.ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        live_app.wait_healthy(proc, f"http://localhost:{port}", log)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as r:
            assert r.status == 200
    finally:
        live_app.stop(proc)
    assert "Traceback" not in log.read_text(errors="replace")


def test_the_environment_file_sets_what_streamlit_reads(tmp_path):
    """With the file's variables, `streamlit config show` reports the public origin, host and
    server address as set from the environment (they override config.toml), and the shipped
    config.toml still listens on localhost only."""
    text = (DEPLOY / "bargain.env").read_text()
    for key in (
        "STREAMLIT_SERVER_CORS_ALLOWED_ORIGINS=https://bargain.example.org",
        "STREAMLIT_SERVER_ALLOWED_HOSTS=bargain.example.org",
        "STREAMLIT_BROWSER_SERVER_ADDRESS=bargain.example.org",
    ):
        assert key + "\n" in text
    env = dict(
        line.split("=", 1)
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )
    done = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=live_app.ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    shown = done.stdout
    for option, value in (
        ("corsAllowedOrigins", '[\n    "https://bargain.example.org",\n]'),
        ("allowedHosts", '[\n    "bargain.example.org",\n]'),
        ("serverAddress", '"bargain.example.org"'),
    ):
        block = (
            "# The value below was set in command-line argument or environment variable\n"
            f"{option} = {value}"
        )
        assert block in shown, option
    assert re.search(r'^address = "localhost"$', shown, re.M)
