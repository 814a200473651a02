"""A minimal Language Server Protocol client for yaml-language-server: open files, collect the
diagnostics it publishes. Enough to see what an editor would mark, without an editor."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any


def diagnostics(root: Path, files: list[Path], settings: dict[str, Any], timeout: float = 60) -> dict[Path, list[str]]:
    """``path → ["line:message", ...]`` (1-based lines) for each of ``files`` opened in a
    workspace at ``root``, with ``settings`` as the ``yaml`` section of the editor's settings."""
    server = subprocess.Popen(
        ["yaml-language-server", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert server.stdin is not None and server.stdout is not None
    messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
    threading.Thread(target=_read, args=(server.stdout, messages), daemon=True).start()
    send = _sender(server.stdin)
    try:
        folder = {"uri": root.as_uri(), "name": root.name}
        capabilities = {"workspace": {"configuration": True}}
        send(
            "initialize",
            {"processId": None, "rootUri": root.as_uri(), "workspaceFolders": [folder], "capabilities": capabilities},
            1,
        )
        send("initialized", {})
        send("workspace/didChangeConfiguration", {"settings": {"yaml": settings}})
        for path in files:
            document = {"uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": path.read_text("utf-8")}
            send("textDocument/didOpen", {"textDocument": document})
        return _collect(messages, send, settings, {path.as_uri(): path for path in files}, timeout)
    finally:
        server.kill()
        server.wait()


def _collect(messages: queue.Queue, send: Any, settings: dict, wanted: dict[str, Path], timeout: float) -> dict:
    """Answer the server's requests and gather its diagnostics until every file has some."""
    found: dict[Path, list[str]] = {}
    deadline = time.monotonic() + timeout
    while len(found) < len(wanted) and time.monotonic() < deadline:
        try:
            message = messages.get(timeout=1)
        except queue.Empty:
            continue
        if message is None:
            break
        method, params = message.get("method"), message.get("params", {})
        if method == "workspace/configuration":
            send(None, [settings for _ in params["items"]], message["id"])
        elif method and "id" in message:
            send(None, None, message["id"])
        elif method == "textDocument/publishDiagnostics" and params["uri"] in wanted:
            found[wanted[params["uri"]]] = [
                f"{d['range']['start']['line'] + 1}:{d['message']}" for d in params["diagnostics"]
            ]
    return found


def _sender(stream: IO[bytes]) -> Any:
    def send(method: str | None, params: Any, ident: int | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0"}
        if method is None:
            message.update(id=ident, result=params)
        else:
            message.update(method=method, params=params, **({"id": ident} if ident is not None else {}))
        body = json.dumps(message).encode("utf-8")
        stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stream.flush()

    return send


def _read(stream: IO[bytes], messages: queue.Queue) -> None:
    """Put each framed message from the server on ``messages``; None when it closes."""
    while True:
        headers = {}
        while line := stream.readline():
            if not line.strip():
                break
            name, _, value = line.decode("ascii").partition(":")
            headers[name.strip().lower()] = value.strip()
        else:
            messages.put(None)
            return
        messages.put(json.loads(stream.read(int(headers["content-length"]))))
