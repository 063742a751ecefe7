"""Shared machinery of the three API simulators.

Each simulator is a Flask app built by :func:`create_app`. The core adds what every
simulator offers beside its API (``/_sim/``): the request log, reset to seed data,
the stored state, seeding, configurable behaviours and queued faults. Platform
modules only register their API routes and keep their data in ``sim.state``.
"""

import copy
import json
import os
import re
import socket
import urllib.parse
import threading
import time

from flask import Flask, Response, jsonify, request

REDACTED = "********"

# Keys whose values never reach the request log (compared case-insensitively).
SECRET_KEYS = {
    "password", "repeatpassword", "syspwd", "newpassword", "hashedpwd", "supportpassword",
    "access_token", "refresh_token", "accesstoken", "refreshtoken", "token",
    "client_secret", "authorization", "apikey", "api_key", "mfa_code", "mfa_token", "code", "public_key",
}

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")


def _is_secret_patch(value):
    """An RFC 6902 operation that writes a secret (e.g. ``/credentials/password``)."""
    path = str(value.get("path", "")).rstrip("/").rsplit("/", 1)[-1].lower()
    return "op" in value and path in SECRET_KEYS and value.get("value") not in (None, "")


def redact(value):
    """Return a deep copy of a JSON value with every secret value replaced."""
    if isinstance(value, dict) and _is_secret_patch(value):
        return dict(value, value=REDACTED)
    if isinstance(value, dict):
        return {
            k: (REDACTED if str(k).lower() in SECRET_KEYS and v not in (None, "") else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def load_schema(name):
    """Load a JSON Schema kept as a file under ``tests/simulator/schemas``."""
    with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as handle:
        return json.load(handle)


# Methods that change nothing on the server (every other one may change the state).
SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
MEMO_SIZE = 16


class Simulator:
    """State, configuration, request log and fault queue of one simulator.

    ``generation`` counts changes: every request whose method is not GET/HEAD/OPTIONS (the
    ``/_sim/`` ones too) advances it before and after it runs, and so does :meth:`touch`.
    :meth:`memo` keeps derived data (a rendered and filtered list) for as long as the
    generation stays the same, so that paging through 10,000 accounts renders and filters
    them once instead of once per page.
    """

    def __init__(self, name, seed, config=None):
        self.name = name
        self._seed = seed
        self.default_config = dict(config or {})
        self.lock = threading.RLock()
        self.log = []
        self.faults = []
        self.state = None
        self.config = None
        self.generation = 0
        self._memo = {}
        self.reset()

    def reset(self):
        with self.lock:
            self.state = self._seed()
            self.config = copy.deepcopy(self.default_config)
            self.faults = []
            self.log = []
            self.touch()

    def touch(self):
        """Note a change of the state (one a GET made, e.g. a last-login time): memos are stale."""
        with self.lock:
            self.generation += 1
            self._memo = {}

    def memo(self, key, build):
        """``build()``, or what it returned for ``key`` since the last change of the state.

        The value is shared between requests: callers must not change it."""
        with self.lock:
            entry = self._memo.get(key)
            if entry is not None and entry[0] == self.generation:
                return entry[1]
            generation = self.generation
            value = build()
            if generation == self.generation:  # build() itself may have changed the state
                if len(self._memo) >= MEMO_SIZE:
                    self._memo.pop(next(iter(self._memo)))
                self._memo[key] = (generation, value)
            return value

    def take_fault(self, method, path):
        """Pop one use of the first queued fault that matches this request."""
        with self.lock:
            for fault in self.faults:
                if fault.get("method") and fault["method"].upper() != method:
                    continue
                if fault.get("path") and not re.search(fault["path"], path):
                    continue
                fault["count"] -= 1
                if fault["count"] <= 0:
                    self.faults.remove(fault)
                return fault
        return None


def _request_body():
    """The body as the log shows it: parsed JSON or form fields, never raw text (it could hold secrets)."""
    if request.is_json or request.mimetype in ("text/plain", ""):
        data = request.get_json(silent=True, force=True)
        if data is not None:
            return data
    if request.form:
        return request.form.to_dict()
    raw = request.get_data()
    if not raw:
        return None
    # A JSON-ish or form-like text that did not parse may still carry keys such as SysPwd.
    try:
        fields = dict(urllib.parse.parse_qsl(raw.decode("utf-8"), strict_parsing=True))
    except (ValueError, UnicodeDecodeError):
        fields = None
    return fields if fields else "<%d bytes that are not JSON or form data>" % len(raw)


def _drop_connection():
    """Close the client's socket without an answer (a dropped connection)."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


def create_app(name, seed, config=None, presets=None, seed_handler=None, state_view=None):
    """Build a simulator app.

    ``seed`` returns a fresh state (called at start and on reset); ``config`` holds the
    defaults of the configurable (inferred) behaviours, changed with ``POST /_sim/config``;
    ``presets`` names ready fault bodies (e.g. ``expired_password``);
    ``seed_handler(sim, payload)`` adds data for ``POST /_sim/seed``;
    ``state_view(sim)`` is what ``GET /_sim/state`` returns (default: the whole state).
    """
    app = Flask(name)
    app.json.sort_keys = False
    sim = Simulator(name, seed, config)
    app.config["SIM"] = sim
    presets = presets or {}

    @app.before_request
    def _note_change():
        if request.method not in SAFE_METHODS:
            sim.touch()

    @app.before_request
    def _apply_fault():
        if request.path.startswith("/_sim/"):
            return None
        fault = sim.take_fault(request.method, request.path)
        if fault is None:
            return None
        if fault.get("delay"):
            time.sleep(float(fault["delay"]))
        if fault.get("drop"):
            request.environ["msp.sim.body"] = redact(_request_body())  # read it while the socket is open
            _drop_connection()
            request.environ["msp.sim.dropped"] = True
            return Response(status=500)
        if fault.get("status") is None and fault.get("body") is None:
            return None  # a pure delay: let the request through
        body = fault.get("body")
        payload = body if isinstance(body, str) else json.dumps(body if body is not None else {})
        response = Response(payload, status=int(fault.get("status") or 200), mimetype="application/json")
        for key, value in (fault.get("headers") or {}).items():
            response.headers[key] = str(value)
        return response

    @app.teardown_request
    def _note_change_done(_exc=None):
        if request.method not in SAFE_METHODS:
            sim.touch()  # after the change too: a memo built while it ran is stale

    @app.after_request
    def _log(response):
        if not request.path.startswith("/_sim/"):
            entry = {
                "method": request.method,
                "path": request.path,
                "query": redact(request.args.to_dict(flat=True)),
                "body": request.environ["msp.sim.body"] if "msp.sim.body" in request.environ else redact(_request_body()),
                # A dropped connection got no answer at all.
                "status": None if request.environ.get("msp.sim.dropped") else response.status_code,
                "time": time.time(),
            }
            with sim.lock:
                sim.log.append(entry)
        return response

    @app.get("/_sim/requests")
    def _sim_requests():
        with sim.lock:
            return jsonify(list(sim.log))

    @app.delete("/_sim/requests")
    def _sim_clear_requests():
        with sim.lock:
            sim.log = []
        return jsonify({"cleared": True})

    @app.post("/_sim/reset")
    def _sim_reset():
        sim.reset()
        return jsonify({"reset": True})

    @app.get("/_sim/state")
    def _sim_state():
        with sim.lock:
            return jsonify(redact_state(state_view(sim) if state_view else sim.state))

    @app.post("/_sim/seed")
    def _sim_seed():
        if seed_handler is None:
            return jsonify({"error": "this simulator takes no seed data"}), 400
        with sim.lock:
            result = seed_handler(sim, request.get_json(force=True))
        return jsonify(result if result is not None else {"seeded": True})

    @app.get("/_sim/config")
    def _sim_get_config():
        return jsonify(sim.config)

    @app.post("/_sim/config")
    def _sim_set_config():
        changes = request.get_json(force=True) or {}
        unknown = sorted(set(changes) - set(sim.default_config))
        if unknown:
            return jsonify({"error": "unknown settings %s; known: %s" % (unknown, sorted(sim.default_config))}), 400
        with sim.lock:
            sim.config.update(changes)
        return jsonify(sim.config)

    @app.get("/_sim/faults")
    def _sim_list_faults():
        with sim.lock:
            return jsonify(list(sim.faults))

    @app.post("/_sim/faults")
    def _sim_add_faults():
        payload = request.get_json(force=True)
        queued = []
        for fault in payload if isinstance(payload, list) else [payload]:
            fault = dict(fault)
            preset = fault.pop("preset", None)
            if preset is not None:
                if preset not in presets:
                    return jsonify({"error": "unknown preset %r; known: %s" % (preset, sorted(presets))}), 400
                fault = dict(presets[preset], **fault)
            fault["count"] = int(fault.get("count", 1))
            queued.append(fault)
        with sim.lock:
            sim.faults.extend(queued)
        return jsonify({"queued": len(queued)})

    @app.delete("/_sim/faults")
    def _sim_clear_faults():
        with sim.lock:
            sim.faults = []
        return jsonify({"cleared": True})

    return app, sim


def redact_state(state):
    """The stored state as shown by ``GET /_sim/state``: secrets are kept out except hashes
    the vendor API itself returns (so tests can check that a password really changed)."""
    if isinstance(state, dict):
        return {
            k: (v if str(k).lower() == "hashedpwd" else REDACTED if str(k).lower() in SECRET_KEYS and v else redact_state(v))
            for k, v in state.items()
        }
    if isinstance(state, list):
        return [redact_state(v) for v in state]
    return state
