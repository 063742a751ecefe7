# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HttpClient against a real HTTP server on 127.0.0.1 that answers from a script."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.msp.accounts.plugins.module_utils import _http
from ansible_collections.msp.accounts.plugins.module_utils._http import ApiError, CheckModeRefused, HttpClient

SECRET = "Unit-Http-Secret-5d1f0a9e7b!"


class ScriptedServer(object):
    """Answers each request with the next scripted (status, body, headers) or closes the socket."""

    def __init__(self, tls_context=None):
        self.script = []
        self.seen = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                outer.seen.append({"method": self.command, "path": self.path, "body": body, "headers": dict(self.headers)})
                status, payload, headers = outer.script.pop(0) if outer.script else (200, {"ok": True}, {})
                if status == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                data = payload.encode("utf-8") if isinstance(payload, str) else json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls_context is not None:
            self.server.socket = tls_context.wrap_socket(self.server.socket, server_side=True)
        self.url = "%s://127.0.0.1:%d" % ("https" if tls_context else "http", self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def server():
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture()
def sleeps():
    return []


@pytest.fixture()
def client(server, sleeps):
    return HttpClient(server.url + "/base/", retries=3, timeout=5, sleep=sleeps.append, secrets=[SECRET])


def test_joins_url_and_parses_json(server, client):
    server.script.append((200, {"data": [1, 2]}, {}))
    response = client.request("GET", "/users", params={"limit": 5})
    assert response.status == 200
    assert response.body == {"data": [1, 2]}
    assert server.seen[0]["path"] == "/base/users?limit=5"


def test_sends_json_and_form_bodies(server, client):
    client.request("POST", "items", json_body={"a": 1})
    client.request("POST", "token", form={"grant_type": "password"}, login=True)
    assert json.loads(server.seen[0]["body"]) == {"a": 1}
    assert server.seen[1]["body"] == "grant_type=password"
    assert server.seen[1]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_read_retried_then_succeeds(server, client, sleeps):
    server.script.extend([(503, {"message": "busy"}, {}), (520, "", {}), (200, {"ok": 1}, {})])
    assert client.request("GET", "x").body == {"ok": 1}
    assert len(server.seen) == 3
    assert len(sleeps) == 2
    # Full jitter: never longer than the exponential cap for that attempt.
    assert 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0


def test_retry_exhausted_gives_clear_error(server, client, sleeps):
    server.script.extend([(502, {"message": "bad gateway"}, {})] * 4)
    with pytest.raises(ApiError) as info:
        client.request("GET", "x")
    assert info.value.status == 502
    assert "bad gateway" in str(info.value)
    assert "after 3 retries" in str(info.value)
    assert "GET /base/x" in str(info.value)  # the endpoint as the server sees it
    assert len(server.seen) == 4


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
def test_writes_not_retried_after_5xx(server, client, sleeps, method):
    server.script.append((503, {"message": "busy"}, {}))
    with pytest.raises(ApiError) as info:
        client.request(method, "x", json_body={"a": 1})
    assert info.value.status == 503
    assert len(server.seen) == 1
    assert sleeps == []


def test_post_marked_read_is_retried(server, client):
    server.script.extend([(503, {}, {}), (200, {"Status": "OK"}, {})])
    assert client.request("POST", "GetUser.do", json_body={}, read=True).body == {"Status": "OK"}
    assert len(server.seen) == 2


def test_429_honours_retry_after_header(server, client, sleeps):
    server.script.extend([(429, {}, {"Retry-After": "7"}), (200, {}, {})])
    client.request("GET", "x")
    assert sleeps == [7.0]


def test_a_retry_hint_pauses_the_other_threads_too(server, client, sleeps):
    # Bulk modules share one client between threads: one thread's 429 holds back every other request.
    server.script.extend([(429, {}, {"Retry-After": "7"}), (200, {}, {}), (200, {}, {})])
    client.request("GET", "x")
    assert sleeps == [7.0]  # the thread that met the 429 waits once, not twice
    worker = threading.Thread(target=client.request, args=("GET", "y"))
    worker.start()
    worker.join()
    assert len(sleeps) == 2 and 6.0 < sleeps[1] <= 7.0  # the fake sleep did not pass the time: the pause still holds


def test_429_honours_retry_after_in_json_errors(server, client, sleeps):
    server.script.extend([(429, {"errors": [{"type": "transport", "code": 429, "retryAfter": 25}]}, {}), (200, {}, {})])
    client.request("POST", "x", json_body={})  # a 429 was not processed: a write may be repeated
    assert sleeps == [25.0]
    assert len(server.seen) == 2


def test_server_wait_is_bounded(server, client, sleeps):
    server.script.extend([(429, {"retryAfter": 100000}, {}), (200, {}, {})])
    client.request("GET", "x")
    assert sleeps == [_http.MAX_RETRY_WAIT]


def test_retry_after_http_date(server, client, sleeps):
    server.script.extend([(429, {}, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), (200, {}, {})])
    client.request("GET", "x")
    assert sleeps == [0.0]  # a date in the past: retry at once


def test_connection_drop_retried_for_reads(server, client):
    server.script.extend([("drop", None, None), (200, {"ok": True}, {})])
    assert client.request("GET", "x").body == {"ok": True}


def test_connection_error_not_retried_for_writes(server, client, sleeps):
    server.script.append(("drop", None, None))
    with pytest.raises(ApiError) as info:
        client.request("POST", "x", json_body={})
    assert "connection failed" in str(info.value)
    assert info.value.status is None
    assert "no HTTP answer" in str(info.value)
    assert sleeps == []


def test_unreachable_server_after_retries(sleeps):
    client = HttpClient("http://127.0.0.1:9", retries=2, timeout=2, sleep=sleeps.append)
    with pytest.raises(ApiError) as info:
        client.request("GET", "x")
    assert "after 2 retries" in str(info.value)
    assert len(sleeps) == 2


def test_timeout_message(server, sleeps):
    import time as _time

    client = HttpClient(server.url, retries=0, timeout=0.2, sleep=sleeps.append)
    original = server.server.RequestHandlerClass._answer

    def slow(handler):
        _time.sleep(0.6)
        return original(handler)

    server.server.RequestHandlerClass.do_GET = slow
    with pytest.raises(ApiError) as info:
        client.request("GET", "x")
    assert "no answer within 0.2 seconds" in str(info.value)


def test_check_mode_refuses_writes(server):
    client = HttpClient(server.url, check_mode=True)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        with pytest.raises(CheckModeRefused):
            client.request(method, "x", json_body={})
    assert server.seen == []
    client.request("GET", "x")
    client.request("POST", "GetUser.do", json_body={}, read=True)
    client.request("POST", "token", form={}, login=True)
    assert len(server.seen) == 3


def test_ok_statuses_do_not_raise(server, client):
    server.script.append((404, {"message": "gone"}, {}))
    assert client.request("GET", "x", ok_statuses=(404,)).status == 404


def test_error_uses_parser_and_hides_secrets(server):
    def parser(body, text):
        return "server says: %s" % body["errors"][0]["message"]

    client = HttpClient(server.url, error_message=parser, secrets=[SECRET], retries=0)
    server.script.append((400, {"errors": [{"message": "bad password %s" % SECRET}], "password": SECRET}, {}))
    with pytest.raises(ApiError) as info:
        client.request("POST", "users", json_body={"password": SECRET})
    err = info.value
    assert "server says: bad password" in str(err)
    assert SECRET not in str(err) and SECRET not in repr(err)
    assert SECRET not in json.dumps(err.body)
    assert err.body["password"] == _http.REDACTED
    assert err.method == "POST" and err.path == "/users" and err.status == 400


def test_default_error_message_variants():
    assert _http.default_error_message({"Message": "m1"}, "") == "m1"
    assert _http.default_error_message({"error_description": "m2"}, "") == "m2"
    assert _http.default_error_message(None, "  plain text  ") == "plain text"
    assert _http.default_error_message(None, "") == "no message in the answer"


def test_non_json_answer_is_kept_as_text(server, client):
    server.script.append((200, "<html>hello</html>", {}))
    response = client.request("GET", "x")
    assert response.body is None
    assert response.text == "<html>hello</html>"
    assert repr(response) == "Response(status=200)"


def test_redact_and_scrub():
    data = {"SysPwd": "a", "nested": [{"Password": "b", "name": "n"}], "note": "token %s here" % SECRET, "empty": ""}
    clean = _http.redact(data, [SECRET])
    assert clean["SysPwd"] == _http.REDACTED
    assert clean["nested"][0] == {"Password": _http.REDACTED, "name": "n"}
    assert SECRET not in clean["note"]
    assert _http.scrub("Authorization: Bearer abc.def") == "Authorization: Bearer " + _http.REDACTED


def test_hint_and_add_secret(server):
    client = HttpClient(server.url, retries=0)
    client.add_secret("Added-Later-Secret-77c1d2!")
    client.add_secret(None)
    server.script.append((401, {"message": "no: Added-Later-Secret-77c1d2!"}, {}))
    with pytest.raises(ApiError) as info:
        client.request("GET", "x")
    assert "Added-Later-Secret" not in str(info.value)
    err = ApiError("boom", hint="do this")
    assert str(err) == "boom. Hint: do this"  # joined as sentences (issue 10)


def test_from_params_reads_connection_options(server):
    params = {"api_url": server.url, "validate_certs": False, "ca_path": None, "timeout": 7, "retries": 1,
              "api_password": SECRET, "client_cert": None, "client_key": None}
    client = HttpClient.from_params(params, check_mode=True)
    assert client.timeout == 7 and client.retries == 1 and client.check_mode is True
    assert client.verify is False
    assert SECRET in client.secrets
    params.update(validate_certs=True, ca_path="/tmp/ca.pem", client_cert="/tmp/c.pem", client_key="/tmp/k.pem")
    client = HttpClient.from_params(params)
    assert client.verify == "/tmp/ca.pem"
    assert client.session.cert == ("/tmp/c.pem", "/tmp/k.pem")


def test_tls_failure_is_not_retried(server, sleeps):
    # HTTPS to a plain-HTTP port: the handshake fails, and would fail the same way again.
    client = HttpClient(server.url.replace("http://", "https://"), retries=3, timeout=5, sleep=sleeps.append)
    with pytest.raises(ApiError) as info:
        client.request("GET", "x")
    assert "TLS error" in str(info.value) and "ca_path" in str(info.value)
    assert sleeps == []


def test_secret_hidden_even_when_the_parser_reshapes_it(server):
    # A parser that JSON-encodes a detail would escape quotes and non-ASCII characters,
    # so the literal secret would no longer be found in its output.
    tricky = 'Unit-N\u00fce-"Quoted"-Pass-8d2c!'

    def parser(body, text):
        return "failed patch %s" % json.dumps(body["errors"][0]["failedJsonPatch"])

    client = HttpClient(server.url, error_message=parser, secrets=[tricky], retries=0)
    patch = {"op": "replace", "path": "/credentials/password", "value": tricky}
    server.script.append((400, {"errors": [{"message": "bad", "failedJsonPatch": patch}]}, {}))
    with pytest.raises(ApiError) as info:
        client.request("PATCH", "users/1", json_body=[patch])
    text = str(info.value)
    assert "failed patch" in text and _http.REDACTED in text
    assert tricky not in text and json.dumps(tricky)[1:-1] not in text and "Quoted" not in text


def test_hints_point_at_api_url(server, sleeps):
    server.script.append((404, "<html>Not Found</html>", {}))
    client = HttpClient(server.url, retries=0)
    with pytest.raises(ApiError) as info:
        client.request("GET", "obs/api/json/2/GetUser.do")
    assert info.value.status == 404 and "check api_url" in str(info.value)
    refused = HttpClient("http://127.0.0.1:9", retries=0, sleep=sleeps.append)
    with pytest.raises(ApiError) as info:
        refused.request("GET", "x")
    assert "check api_url" in str(info.value) and "https://" in str(info.value)


# -- issue 10: errors a user can act on ------------------------------------------------------

def test_hint_and_note_joined_as_sentences():
    assert str(ApiError("Authentication failed", hint="check it.")) == "Authentication failed. Hint: check it."
    assert str(ApiError("Done already.", hint="none")) == "Done already. Hint: none"  # no double period
    err = ApiError("connection failed", "POST", "/x", note="It may have been applied.", hint="look")
    assert str(err) == "POST /x (no HTTP answer): connection failed. It may have been applied. Hint: look"
    copy = err.replace(hint="other")
    assert (copy.method, copy.path, copy.status, copy.note, copy.hint) == ("POST", "/x", None, err.note, "other")


def test_secret_echoed_in_any_encoding_is_hidden(server):
    from urllib.parse import quote, quote_plus
    import html

    secret = 'Unit P@ss/"q"&<t>+\u00fc!'
    client = HttpClient(server.url, retries=0, secrets=[secret], auth=("api", secret))
    basic = _http.basic_credential("api", secret)
    echoed = " | ".join((secret, quote(secret, safe=""), quote(secret), quote_plus(secret), json.dumps(secret)[1:-1],
                         json.dumps(secret, ensure_ascii=False)[1:-1], html.escape(secret), html.escape(secret, quote=False),
                         basic))
    server.script.append((400, "<p>rejected: %s</p>" % echoed, {}))
    with pytest.raises(ApiError) as info:
        client.request("GET", "x")
    text = str(info.value)
    assert text.count(_http.REDACTED) == 9
    for form in ("P@ss", "P%40ss", "P%40ss%2F", "P&quot;", "q\\\"", basic):
        assert form not in text


def test_read_retried_after_500(server, client, sleeps):
    server.script.extend([(500, {"message": "deadlock"}, {}), (200, {"ok": 1}, {})])
    assert client.request("GET", "x").body == {"ok": 1}
    assert len(server.seen) == 2 and len(sleeps) == 1


@pytest.mark.parametrize("status", [500, 502, 504, 520])
def test_write_failing_with_5xx_may_have_been_applied(server, client, sleeps, status):
    server.script.append((status, {"message": "boom"}, {}))
    with pytest.raises(ApiError) as info:
        client.request("POST", "x", json_body={})
    assert len(server.seen) == 1 and sleeps == []
    assert info.value.note == _http.MAYBE_APPLIED
    assert str(info.value).endswith("boom. " + _http.MAYBE_APPLIED)


def test_write_refused_by_the_server_has_no_note(server, client):
    server.script.append((400, {"message": "bad input"}, {}))
    with pytest.raises(ApiError) as info:
        client.request("PATCH", "x", json_body=[])
    assert info.value.note is None and "applied" not in str(info.value)


def test_dropped_write_may_have_been_applied(server, client):
    server.script.append(("drop", None, None))
    with pytest.raises(ApiError) as info:
        client.request("POST", "x", json_body={})
    assert "may have been applied: read the account before retrying" in str(info.value)
    assert "check api_url (host and port)" not in str(info.value)  # the server was reached


def test_write_timing_out_may_have_been_applied(server, sleeps):
    import time as _time

    client = HttpClient(server.url, retries=3, timeout=0.2, sleep=sleeps.append)
    original = server.server.RequestHandlerClass._answer

    def slow(handler):
        _time.sleep(0.6)
        return original(handler)

    server.server.RequestHandlerClass.do_POST = slow
    with pytest.raises(ApiError) as info:
        client.request("POST", "x", json_body={})
    assert "no answer within 0.2 seconds" in str(info.value)
    assert info.value.note == _http.MAYBE_APPLIED and sleeps == []


def test_refused_write_was_not_applied(sleeps):
    client = HttpClient("https://127.0.0.1:9", retries=3, timeout=2, sleep=sleeps.append)
    with pytest.raises(ApiError) as info:
        client.request("DELETE", "x")
    assert info.value.note == _http.NOT_APPLIED and "nothing was changed" in str(info.value)
    assert "check api_url (host and port)" in str(info.value) and sleeps == []


def test_reads_carry_no_applied_note(sleeps):
    client = HttpClient("https://127.0.0.1:9", retries=0, sleep=sleeps.append)
    with pytest.raises(ApiError) as info:
        client.request("GET", "x")
    assert info.value.note is None


def test_ca_path_without_pem_certificate_says_so(server, tmp_path):
    garbage = tmp_path / "ca.pem"
    garbage.write_text("this is not a certificate\n")
    assert "holds no PEM certificate" in _http.ca_file_problem(str(garbage))
    assert "cannot be read" in _http.ca_file_problem(str(tmp_path / "missing.pem"))
    client = HttpClient(server.url.replace("http://", "https://"), ca_path=str(garbage), retries=0)
    with pytest.raises(ApiError) as info:
        client.request("GET", "x")
    assert "holds no PEM certificate" in str(info.value) and "Set ca_path" not in str(info.value)


def test_ca_path_that_does_not_verify_the_server_says_so(tmp_path):
    import ssl

    import trustme

    issuer, other = trustme.CA(), trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    issuer.issue_cert("127.0.0.1").configure_cert(context)
    other.cert_pem.write_to_path(str(tmp_path / "other.pem"))
    issuer.cert_pem.write_to_path(str(tmp_path / "issuer.pem"))
    tls = ScriptedServer(tls_context=context)
    try:
        wrong = HttpClient(tls.url, ca_path=str(tmp_path / "other.pem"), retries=0)
        with pytest.raises(ApiError) as info:
            wrong.request("GET", "x")
        assert "do not verify the server's certificate" in str(info.value) and "other.pem" in str(info.value)
        assert _http.ca_file_problem(str(tmp_path / "issuer.pem")) is None
        assert HttpClient(tls.url, ca_path=str(tmp_path / "issuer.pem"), retries=0).request("GET", "x").status == 200
    finally:
        tls.close()
