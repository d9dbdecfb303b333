"""A minimal OpenAI-compatible chat server for tests, run as its own process:
``python tests/qa/fake_llm.py`` binds a free loopback port and prints it. The requested ``model``
picks the behaviour: ``ok`` (a deterministic answer citing [1]), ``slow`` (answers after 5 s),
``error`` (HTTP 500), ``garbage`` (200 with a body that is not JSON), ``shape`` (JSON without
choices), ``nocite`` (an answer without citations), ``badcite`` (cites a passage that does not
exist), ``auth`` (401 unless the bearer token is ``s3cret``)."""

from __future__ import annotations

import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        if self.path != "/v1/chat/completions":
            self._send(404, b'{"error": "not found"}')
            return
        req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        mode = req.get("model", "ok")
        last = req["messages"][-1]["content"]
        n = len(re.findall(r"^\[\d+\]", last, flags=re.MULTILINE))
        if mode == "slow":
            time.sleep(5)
        if mode == "error":
            self._send(500, b'{"error": "model crashed"}')
            return
        if mode == "garbage":
            self._send(200, b"<html>proxy error</html>", "text/html")
            return
        if mode == "shape":
            self._send(200, b'{"result": "no choices here"}')
            return
        if mode == "auth" and self.headers.get("Authorization") != "Bearer s3cret":
            self._send(401, b'{"error": "bad key"}')
            return
        text = {"nocite": "It depends.", "badcite": "See passage [9]."}.get(
            mode, f"According to the first passage, this is answered there [1]. ({n} passages seen)"
        )
        body = {
            "id": "x",
            "object": "chat.completion",
            "model": f"fake-{mode}",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": len(last) // 4, "completion_tokens": 12},
        }
        self._send(200, json.dumps(body).encode())


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)
