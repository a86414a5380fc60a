"""A Streamlit session over its websocket, driven the way the browser's frontend drives it: the
BackMsg/ForwardMsg protobufs of `/_stcore/stream`. For tests that need many concurrent sessions
on live servers without a browser each (tests/deploy/): open the app, switch pages, set widgets
(text, selectbox, radio) and click buttons; each call returns what the script run showed.

Widgets are found by their `key=` (Streamlit's widget id ends with "-<key>").
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

WIDGET_TYPES = ("selectbox", "radio", "text_input", "button", "checkbox")
TEXT_TYPES = {"heading", "markdown", "alert", "toast", "text", "code"}


@dataclass
class Widget:
    id: str
    type: str
    label: str
    options: list[str]
    value: str | None


@dataclass
class Run:
    """What one script run sent: its status, exceptions, texts and widgets."""

    status: int | None = None
    not_found: bool = False  # the server answered page_not_found
    exceptions: list[str] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (element type, body)
    widgets: dict[str, Widget] = field(default_factory=dict)  # by id

    @property
    def ok(self) -> bool:
        return not self.exceptions and self.status == ForwardMsg.FINISHED_SUCCESSFULLY

    def text_of(self, kind: str) -> list[str]:
        return [body for t, body in self.texts if t == kind]


class Session:
    """One browser-like session on an open websocket (`websockets` client connection)."""

    def __init__(self, ws):
        self.ws = ws
        self.pages: dict[str, tuple[str, str]] = {}  # page_script_hash -> (url path, title)
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}  # the last run's widgets, by id
        self.values: dict[str, tuple[str, object]] = {}  # id -> (WidgetState field, value)

    def page(self, title: str) -> str:
        """The page_script_hash of the navigation entry with this title."""
        return next(h for h, (_, t) in self.pages.items() if t == title)

    @property
    def page_title(self) -> str:
        return self.pages.get(self.page_hash, ("", "?"))[1]

    def widget(self, key: str) -> Widget:
        found = [w for w in self.widgets.values() if w.id.endswith("-" + key)]
        if not found:
            raise KeyError(f"no widget with key {key!r} on {self.page_title!r}")
        return found[0]

    async def rerun(
        self,
        page: str | None = None,
        *,
        page_hash: str | None = None,
        set: dict[str, str] | None = None,
        click: str | None = None,
        timeout: float = 120,
    ) -> Run:
        """Rerun the script (on another page when `page` is a title, or `page_hash` its
        page_script_hash), with widgets (by key) set to string values and one button (by key)
        clicked; returns the run once the server reports it finished (runs cut short by a
        rerun are followed to the next one)."""
        for key, value in (set or {}).items():
            self.values[self.widget(key).id] = ("string_value", value)
        msg = BackMsg()
        state = msg.rerun_script
        state.page_script_hash = page_hash or (self.page(page) if page else self.page_hash)
        for wid, (kind, value) in self.values.items():
            ws = WidgetState(id=wid)
            setattr(ws, kind, value)
            state.widget_states.widgets.append(ws)
        if click:
            state.widget_states.widgets.append(
                WidgetState(id=self.widget(click).id, trigger_value=True)
            )
        await self.ws.send(msg.SerializeToString())
        return await self._read_run(timeout)

    async def _read_run(self, timeout: float) -> Run:
        """The server's messages until the script run finishes."""
        run = Run()
        async with asyncio.timeout(timeout):
            while True:
                fm = ForwardMsg()
                fm.ParseFromString(await self.ws.recv())
                kind = fm.WhichOneof("type")
                if kind == "navigation":
                    if fm.navigation.page_script_hash != self.page_hash:
                        self.values.clear()  # another page: its widgets start fresh
                    self.page_hash = fm.navigation.page_script_hash
                    self.pages = {
                        p.page_script_hash: (p.url_pathname, p.page_name)
                        for p in fm.navigation.app_pages
                    }
                elif kind == "page_not_found":
                    run.not_found = True
                elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    _element(fm.delta.new_element, run)
                elif kind == "script_finished":
                    if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        run = Run()  # st.rerun(): the next run is the one shown
                        continue
                    run.status = fm.script_finished
                    break
        self.widgets = run.widgets
        return run


def _element(el, run: Run) -> None:
    t = el.WhichOneof("type")
    if t == "exception":
        run.exceptions.append(f"{el.exception.type}: {el.exception.message}")
    elif t in TEXT_TYPES:
        body = getattr(el, t).body if t != "code" else el.code.code_text
        run.texts.append((t, body))
    elif t in WIDGET_TYPES:
        w = getattr(el, t)
        options = list(getattr(w, "options", []))
        value = getattr(w, "raw_value", None) if t in ("selectbox", "radio") else None
        if t == "text_input":
            value = w.value if w.HasField("value") else w.default
        run.widgets[w.id] = Widget(w.id, t, w.label, options, value)


async def connect(base_url: str, headers: dict[str, str] | None = None):
    """An open websocket to the app at `base_url` (use as `async with`): the same handshake as
    the browser's (subprotocol, Origin), plus `headers` (Authorization, Cookie, ...)."""
    from websockets.asyncio.client import connect as ws_connect

    url = base_url.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
    return ws_connect(
        url,
        subprotocols=["streamlit"],
        max_size=None,
        origin=base_url,
        additional_headers=headers or {},
        open_timeout=30,
    )
