# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test support for the VSPC unit tests: a scripted HTTP server on 127.0.0.1 and the vendor schemas.

The server answers each request from routes ``(method, path regex) -> answers``; an answer is
``(status, body, headers)`` or a callable taking the recorded request. The last answer of a route
repeats; the answer ``"drop"`` closes the connection unanswered. Every request is recorded (method, path,
query, headers, parsed body).
"""

import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
SIM_SCHEMAS = os.path.join(COLLECTION_ROOT, "tests", "simulator", "schemas", "veeam")
SPEC_NAME = "vspc_rest_3_6_1.yaml"


class FakeVspc(object):
    """A scripted HTTP server; ``url`` is its base URL (without ``/api/v3``)."""

    def __init__(self):
        self.routes = []
        self.seen = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                parts = urlsplit(self.path)
                ctype = self.headers.get("Content-Type") or ""
                if "json" in ctype and raw:
                    body = json.loads(raw)
                elif "x-www-form-urlencoded" in ctype:
                    body = dict((k, v[0]) for k, v in parse_qs(raw, keep_blank_values=True).items())
                else:
                    body = raw or None
                seen = {"method": self.command, "path": parts.path,
                        "query": dict((k, v[0]) for k, v in parse_qs(parts.query).items()),
                        "headers": dict((k.lower(), v) for k, v in self.headers.items()),
                        "content_type": ctype, "body": body}
                outer.seen.append(seen)
                answer = outer.answer(seen)
                if answer == "drop":  # close the connection without an answer
                    self.close_connection = True
                    self.connection.close()
                    return
                status, payload, headers = answer
                data = b"" if payload is None else json.dumps(payload).encode("utf-8")
                self.send_response(status)
                if payload is not None:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def on(self, method, path, *answers):
        """Answer ``method`` on paths matching ``path`` (a regex under /api/v3) with ``answers`` in turn."""
        self.routes.insert(0, (method.upper(), re.compile("/api/v3" + path + "$"), list(answers)))
        return self

    def answer(self, seen):
        for method, pattern, answers in self.routes:
            if method == seen["method"] and pattern.match(seen["path"]):
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                return answer(seen) if callable(answer) else answer
        return 404, {"errors": [{"message": "no route for %s %s" % (seen["method"], seen["path"]), "type": "logical",
                                 "code": 404}]}, {}

    def requests(self, method=None, path=None):
        return [s for s in self.seen if (method is None or s["method"] == method)
                and (path is None or re.search(path, s["path"]))]

    def writes(self):
        return [s for s in self.seen if s["method"] not in ("GET", "HEAD") and not s["path"].endswith("/token")]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def token_answer(access="Unit-Access-Token-7f3a9c21e5", refresh="Unit-Refresh-Token-2b8d4e6f10"):
    return 200, {"access_token": access, "token_type": "bearer", "refresh_token": refresh, "mfa_token": None,
                 "encrypted_code": None, "expires_in": 3600}, {}


def collection(items, offset=0, total=None):
    return 200, {"meta": {"pagingInfo": {"total": len(items) if total is None else total, "count": len(items),
                                         "offset": offset}}, "data": items}, {}


# -- schemas ---------------------------------------------------------------------------

def find_spec():
    """Path of the vendor OpenAPI document (``<ancestor>/shared/reference/specs/vspc``), or ``None``."""
    explicit = os.environ.get("MSP_VSPC_SPECS")
    candidates = [explicit] if explicit else []
    folder = HERE
    while True:
        candidates.append(os.path.join(folder, "shared", "reference", "specs", "vspc"))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for candidate in candidates:
        if candidate and os.path.isfile(os.path.join(candidate, SPEC_NAME)):
            return os.path.join(candidate, SPEC_NAME)
    return None


def _to_json_schema(node, schemas):
    """An OpenAPI 3.0 schema as JSON Schema: ``$ref`` inlined, ``nullable`` as a null alternative."""
    if isinstance(node, list):
        return [_to_json_schema(item, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _to_json_schema(schemas[node["$ref"].rsplit("/", 1)[-1]], schemas)
    result = {}
    for key, value in node.items():
        if key.startswith("x-") or key in ("example", "description", "externalDocs", "nullable", "readOnly"):
            continue
        result[key] = _to_json_schema(value, schemas)
    if node.get("nullable"):
        result = {"anyOf": [result, {"type": "null"}]}
    return result


# The vendor writes the e-mail pattern for an ECMAScript engine, where a back-reference to the
# unused optional quote group matches the empty string; Python's re (used by jsonschema) fails
# it, so every ordinary address would be rejected. ("?) states the same rule for both engines.
VENDOR_EMAIL_GROUP, PORTABLE_EMAIL_GROUP = '^(")?', '^("?)'


def vendor_schemas():
    """``(components.schemas, paths)`` of the vendor document as JSON Schema, or ``None`` when absent."""
    path = find_spec()
    if path is None:
        return None
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    raw = document["components"]["schemas"]
    text = json.dumps(raw).replace(json.dumps(VENDOR_EMAIL_GROUP)[1:-1], json.dumps(PORTABLE_EMAIL_GROUP)[1:-1])
    raw = json.loads(text)
    converted = dict((name, _to_json_schema(schema, raw)) for name, schema in raw.items()
                     if name in ("UserInput", "JsonPatch", "JsonPatches", "User", "UserBackupResourceInput"))
    token_form = document["paths"]["/token"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    converted["TokenForm"] = _to_json_schema(token_form, raw)
    return converted


def simulator_schema(name):
    """One of the simulator's schema files, or ``None`` when the simulator does not ship it."""
    path = os.path.join(SIM_SCHEMAS, name + ".json")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def form_as_typed(form):
    """An urlencoded form with its boolean fields as booleans (what the server's binder does)."""
    return dict((k, (v.lower() == "true") if k == "readOnly" else v) for k, v in form.items())
