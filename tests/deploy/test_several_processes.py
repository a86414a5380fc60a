"""Several app processes share one user-data file and one warehouse safely.

Six people, two on each of the three processes (placed there by their route cookie, through
the shipped nginx), work at the same time over Streamlit's own websocket protocol: each saves
scenarios on the Costing page and rejects class matches on the Market gap page, with a client-
sent X-Forwarded-User that the proxy must replace by the signed-in name. Meanwhile an agreement
is imported with the CLI (`bargain import-schedule`: stored, then `etl.build.build`) and a
second `etl.build.build` runs in another process, so two builders meet at the file lock while
the processes serve. Then nothing saved is lost, every save has its change-log entry with the
right actor, the new agency is on every process's open sessions and new ones without a
restart, and no process logged a traceback."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests import live_app, nginx_proxy, st_ws
from tests.live_app import ROOT

from .conftest import PROCESSES

USERS_BY_PROCESS = [("alice", "bob"), ("carol", "dave"), ("erin", "frank")]
SCENARIOS_EACH = 4
DECISIONS_EACH = 2
NEW_AGENCY = "Neighbor County"
SCHEDULE = ROOT / "tests" / "data" / "schedules" / "neighbor_county.csv"
SPOOFED = "mallory"


def _code(label: str) -> str:
    """'REAL PROPERTY APPRAISER AIDE (0001)' -> '0001'."""
    return re.search(r"\(([^()]+)\)$", label).group(1)


async def person(stack, user: str, cookie: str, slot: int, events: dict, out: dict):
    """One person's session through the proxy; records what it saved (and when) and what it
    saw in `out[user]`."""
    headers = {
        "Authorization": stack.auth(user),
        "Cookie": f"bargain_route={cookie}",
        "X-Forwarded-User": SPOOFED,  # a client's claim: the proxy must replace it
    }
    got = out[user] = {"failures": [], "scenarios": [], "decisions": [], "saved_at": []}

    def check(run: st_ws.Run, what: str) -> None:
        if not run.ok:
            got["failures"].append(f"{user} {what}: {run.exceptions or run.status}")

    async with await st_ws.connect(stack.url, headers) as ws:
        s = st_ws.Session(ws)
        check(await s.rerun(), "open")
        check(await s.rerun("Costing"), "costing")
        for i in range(SCENARIOS_EACH):
            name = f"{user} offer {i + 1}"
            run = await s.rerun(set={"cost_save_name": name}, click="cost_save")
            check(run, f"save {name}")
            if not any(f"Saved “{name}”" in a for a in run.text_of("alert")):
                got["failures"].append(f"{user}: no confirmation for {name}")
            got["scenarios"].append(name)
            got["saved_at"].append(time.perf_counter())
            events["saving"].set()  # the builders start once saves are under way
        check(await s.rerun("Market gap"), "market gap")
        check(await s.rerun(set={"shared_agency": "Mendocino"}), "Mendocino")
        labels = s.widget("gap_edit_class").options
        for j in range(DECISIONS_EACH):
            label = labels[slot * DECISIONS_EACH + j]
            reason = f"{user} decision {j + 1}"
            run = await s.rerun(
                set={"gap_edit_class": label, "gap_edit_reason": reason}, click="gap_edit_reject"
            )
            check(run, f"reject {label}")
            got["decisions"].append((_code(label), reason))
            got["saved_at"].append(time.perf_counter())
        await events["rebuilt"].wait()  # the other processes rebuilt meanwhile: this one reruns
        run = await s.rerun()
        check(run, "after the rebuild")
        got["agencies_after"] = s.widget("shared_agency").options


async def builders(stack, saving: asyncio.Event, spans: list) -> list[subprocess.CompletedProcess]:
    """The CLI import (store + build) and a plain build, at once, in two other processes, as
    soon as the sessions save; `spans` gets (start, end) of the two."""
    await saving.wait()
    start = time.perf_counter()
    env = {**os.environ, "BARGAIN_DB": str(stack.db), "BARGAIN_USER_DB": str(stack.user_db)}
    cli = [sys.executable, "-c", "import sys, bargain_cli; sys.exit(bargain_cli.main())"]
    commands = [
        [*cli, "import-schedule", str(SCHEDULE), "--agency", NEW_AGENCY,
         "--effective", "2016-07-01", "--period", "hourly"],
        [sys.executable, "-c", "from userdata.warehouse import build; build()"],
    ]  # fmt: skip
    procs = [
        await asyncio.create_subprocess_exec(
            *cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for cmd in commands
    ]
    done = []
    for cmd, proc in zip(commands, procs, strict=True):
        out, err = await proc.communicate()
        done.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    spans.append((start, time.perf_counter()))
    return done


async def workday(stack, routes: dict[str, list[str]]) -> dict:
    ino_before = stack.db.stat().st_ino
    events = {"saving": asyncio.Event(), "rebuilt": asyncio.Event()}
    spans: list = []
    out: dict = {}
    sessions = []
    for p, upstream in enumerate(stack.proxy.upstreams):
        for k, user in enumerate(USERS_BY_PROCESS[p]):
            slot = p * 2 + k
            sessions.append(person(stack, user, routes[upstream][k], slot, events, out))

    async def build_then_release():
        try:
            return await builders(stack, events["saving"], spans)
        finally:
            events["rebuilt"].set()

    *_, built = await asyncio.gather(*sessions, build_then_release())
    inodes = (ino_before, stack.db.stat().st_ino)
    return {"out": out, "built": built, "span": spans[0], "inodes": inodes}


@pytest.fixture(scope="module")
def day(stack):
    routes = nginx_proxy.route_cookies(stack.proxy, 2, stack.auth("alice"))
    return {**asyncio.run(workday(stack, routes)), "routes": routes}


def _rows(stack, sql: str) -> list[tuple]:
    conn = sqlite3.connect(stack.user_db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_every_session_ran_without_an_error(stack, day):
    failures = [f for got in day["out"].values() for f in got["failures"]]
    assert failures == []
    assert len(day["out"]) == 2 * PROCESSES
    assert stack.tracebacks() == []


def test_each_session_stayed_on_its_own_process(stack, day):
    """Every websocket reached the process its route cookie names, and all three served."""
    cookies = {c for cs in day["routes"].values() for c in cs}

    def streams(rows):
        return [r for r in rows if r["request"].startswith("GET /_stcore/stream")]

    lines = stack.proxy.wait_for(lambda rows: cookies <= {r["cookie"] for r in streams(rows)})
    by_cookie = {r["cookie"]: r["upstream"] for r in streams(lines)}
    used = set()
    for upstream, cookies in day["routes"].items():
        for cookie in cookies:
            assert by_cookie.get(cookie) == upstream, (cookie, upstream, streams)
            used.add(upstream)
    assert used == set(stack.proxy.upstreams) and len(used) == PROCESSES


def test_no_scenario_or_decision_is_lost(stack, day):
    saved = dict(_rows(stack, "SELECT name, saved_by FROM scenarios"))
    decisions = {
        (code, reason): who
        for code, reason, who in _rows(
            stack,
            "SELECT subject_class_code, reason, saved_by FROM class_matches "
            "WHERE decision = 'rejected' AND subject_agency = 'Mendocino'",
        )
    }
    for user, got in day["out"].items():
        assert len(got["scenarios"]) == SCENARIOS_EACH
        for name in got["scenarios"]:
            assert saved.get(name) == user, (name, saved.get(name))
        assert len(got["decisions"]) == DECISIONS_EACH
        for code, reason in got["decisions"]:
            assert decisions.get((code, reason)) == user, (code, reason)


def test_the_change_log_has_every_entry_with_its_actor(stack, day):
    log = _rows(stack, "SELECT change_id, actor, kind, action, target, detail FROM changelog")
    assert SPOOFED not in {r[1] for r in log}, "a client-sent X-Forwarded-User reached the app"
    for user, got in day["out"].items():
        mine = [r for r in log if r[1] == user]
        saved = sorted(r[4] for r in mine if r[2] == "scenario" and r[3] == "saved")
        assert saved == sorted(got["scenarios"])
        rejected = Counter(r[5] for r in mine if r[2] == "class_match" and r[3] == "rejected")
        assert rejected == Counter(reason for _, reason in got["decisions"])
    imported = [r for r in log if r[2] == "agreement" and NEW_AGENCY in r[4]]
    assert len(imported) == 1 and imported[0][1] == "local"  # the CLI: no proxy, no user name
    ids = [r[0] for r in log]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_both_builders_finished_and_replaced_the_warehouse(day):
    for done in day["built"]:
        assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    before, after = day["inodes"]
    assert before != after
    # and they ran while people saved: saves completed during the builds, on every process
    start, end = day["span"]
    during = {u for u, got in day["out"].items() if any(start < t < end for t in got["saved_at"])}
    assert all(set(pair) & during for pair in USERS_BY_PROCESS), (during, day["span"])


def test_open_sessions_on_every_process_see_the_rebuilt_warehouse(day):
    for user, got in day["out"].items():
        assert NEW_AGENCY in got["agencies_after"], (user, got["agencies_after"])


def test_new_sessions_on_every_process_see_it_too(stack, day):
    """Straight to each process (no proxy): a new session there lists the new agency."""

    async def fresh(url: str) -> list[str]:
        async with await st_ws.connect(url, {"X-Forwarded-User": "ops"}) as ws:
            s = st_ws.Session(ws)
            run = await s.rerun()
            assert run.ok, run.exceptions
            return s.widget("shared_agency").options

    async def every():
        return await asyncio.gather(*(fresh(url) for _, url, _ in stack.apps))

    for options in asyncio.run(every()):
        assert NEW_AGENCY in options


def test_a_stopped_process_sends_its_browsers_to_another(stack, day):
    """A process stops (a crash, a restart): a browser whose route cookie names it reconnects
    through the proxy and gets a new session on another process (nginx tries the next one);
    the process then comes back on its port and gets its browsers back."""
    victim = 0
    upstream = stack.proxy.upstreams[victim]
    cookie = day["routes"][upstream][0]
    proc, url, log = stack.apps[victim]
    headers = {"Authorization": stack.auth("alice"), "Cookie": f"bargain_route={cookie}"}

    async def session() -> bool:
        async with await st_ws.connect(stack.url, headers) as ws:
            return (await st_ws.Session(ws).rerun()).ok

    def served(n_before: int) -> dict:
        lines = stack.proxy.wait_for(
            lambda rows: any(
                r["cookie"] == cookie and r["request"].startswith("GET /_stcore/stream")
                for r in rows[n_before:]
            )
        )
        return next(
            r
            for r in lines[n_before:]
            if r["cookie"] == cookie and r["request"].startswith("GET /_stcore/stream")
        )

    live_app.stop(proc)
    before = len(stack.proxy.log_lines())
    try:
        assert asyncio.run(session())
        failed_at = time.monotonic()
        row = served(before)
        assert row["tried"][0] == upstream and row["upstream"] != upstream, row
    finally:
        port = int(url.rsplit(":", 1)[1])
        new_log = log.with_name(log.stem + "-restarted.log")
        proc, url = live_app.spawn_streamlit(stack.db, stack.user_db, new_log, port, env=stack.env)
        stack.apps[victim] = (proc, url, new_log)
        live_app.wait_healthy(proc, url, new_log)
    # nginx tries a failed server again after its fail_timeout (10 s by default)
    time.sleep(max(0.0, 11 - (time.monotonic() - failed_at)))
    before = len(stack.proxy.log_lines())
    assert asyncio.run(session())
    assert served(before)["upstream"] == upstream
