# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The AhsayCBS facade against a real HTTP server on 127.0.0.1 that answers from a script:
envelope handling, request shapes, hints, secrets, check mode and the password hash."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.msp.accounts.plugins.module_utils._ahsay import (
    SYSTEM_USER, AhsayApi, SystemUsers, hash_password, is_password_hash,
)
from ansible_collections.msp.accounts.plugins.module_utils._http import ApiError, CheckModeRefused, HttpClient

API_USER = "unit-api"
API_PASSWORD = "Unit-Ahsay-ApiPass-3f9a1c77e2!"
NEW_PASSWORD = "Unit-Ahsay-NewPass-8b2e4d10c6!"
EXPIRED = "Your password has expired and must be changed. Please update in web console or by UpdateSysUser API"


class ScriptedAhsay(object):
    """Answers each request with the next scripted (status, body); records what it received."""

    def __init__(self):
        self.script = []
        self.seen = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                outer.seen.append({"path": self.path, "raw": raw, "body": json.loads(raw) if raw else None,
                                   "content_type": self.headers.get("Content-Type")})
                status, payload = outer.script.pop(0) if outer.script else (200, {"Status": "OK"})
                data = payload.encode("utf-8") if isinstance(payload, str) else json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, payload, status=200):
        self.script.append((status, payload))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def server():
    srv = ScriptedAhsay()
    yield srv
    srv.close()


def make_api(server, check_mode=False):
    client = HttpClient(server.url, retries=2, timeout=5, sleep=lambda seconds: None, check_mode=check_mode,
                        secrets=[API_PASSWORD])
    return AhsayApi(client, API_USER, API_PASSWORD)


# -- hash_password ------------------------------------------------------------------------

@pytest.mark.parametrize("plaintext, expected", [
    # The two official pairs (reference/apis/ahsay.md section 5).
    ("system1", "ggeRi1mrAu37jPPCb6q6sRyBRlz/VxUgHbso6jqZu0I="),
    ("system", "u8XmYeEGxtzY3G3RhkVML8ujxxD7TY5xpgyT6vB38HM="),
    # Non-ASCII: the UTF-8 bytes are hashed (values computed with openssl dgst -sha256 -binary | base64).
    (u"Pässwörd-€-密码-Ünïcode", "7JZNt81SKWugSMfZ8l7+gJ348yypNo3ONjEzGXzdw5E="),
    (u"Clé-\U0001F511-Itg-Ahsay-Pass", "qU5nOO/DVXjPXtzjD9JCAiZD5m5hFG7KpITe1KCmIk4="),
])
def test_hash_password_known_values(plaintext, expected):
    assert hash_password(plaintext) == expected


def test_hash_password_is_not_normalised():
    # AhsayCBS hashes the bytes it gets; a decomposed accent is another password.
    composed, decomposed = u"Cl\u00e9-\U0001F511-Itg-Ahsay-Pass", u"Cle\u0301-\U0001F511-Itg-Ahsay-Pass"
    assert hash_password(composed) == "qU5nOO/DVXjPXtzjD9JCAiZD5m5hFG7KpITe1KCmIk4="
    assert hash_password(decomposed) == "aVmTl0RDIsYYNf+ecSgL1WYC5VCnnzNi/V1k9Ch1q0Q="


def test_hash_password_shape():
    value = hash_password("x" * 200)
    assert len(value) == 44 and value.endswith("=")
    assert isinstance(value, str)


# -- envelope and request shape ---------------------------------------------------------------

def test_call_posts_json_with_credentials_at_top_level(server):
    server.answer({"Status": "OK", "Data": []})
    answer = make_api(server).call("ListSystemUsers", {"RoleOnly": True}, read=True)
    assert answer == {"Status": "OK", "Data": []}
    seen = server.seen[0]
    assert seen["path"] == "/obs/api/json/ListSystemUsers.do"
    assert seen["content_type"].startswith("application/json")
    assert seen["body"] == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "RoleOnly": True}


def test_call_version_2_path(server):
    server.answer({"Status": "OK", "User": []})
    assert make_api(server).list_users(searchStr="obm", reseller=None) == []
    assert server.seen[0]["path"] == "/obs/api/json/2/ListUsers.do"
    assert server.seen[0]["body"] == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "searchStr": "obm"}


def test_status_is_case_insensitive(server):
    server.answer({"Status": "ok"})
    assert make_api(server).call("AuthSystemUser", read=True) == {"Status": "ok"}


def test_error_envelope_with_http_200_raises_server_message(server):
    server.answer({"Status": "Error", "Message": "System user 'nosuchuser' does not exist", "ExptType": "org.json.JSONException"})
    with pytest.raises(ApiError) as caught:
        make_api(server).remove_system_user("nosuchuser")
    err = caught.value
    assert err.status == 200
    assert err.method == "POST"
    assert err.path == "/obs/api/json/RemoveSysUser.do"
    assert err.message == "System user 'nosuchuser' does not exist [org.json.JSONException]"
    assert "POST /obs/api/json/RemoveSysUser.do (HTTP 200): System user 'nosuchuser' does not exist" in str(err)
    assert err.hint is None


def test_error_without_message_names_the_status(server):
    server.answer({"Status": "Weird"})
    with pytest.raises(ApiError) as caught:
        make_api(server).list_system_users()
    assert "Status 'Weird'" in caught.value.message


def test_answer_that_is_not_json_object(server):
    server.answer("<html>Service Unavailable page</html>")
    with pytest.raises(ApiError) as caught:
        make_api(server).list_system_users()
    assert "not a JSON object" in caught.value.message


def test_answer_that_is_not_json_is_scrubbed_before_it_is_shortened(server):
    # The password straddles the 200th character: cut first, its first half would survive the scrub.
    server.answer("<html>" + "x" * 184 + API_PASSWORD + "</html>")
    with pytest.raises(ApiError) as caught:
        make_api(server).list_system_users()
    assert "not a JSON object" in caught.value.message and API_PASSWORD[:10] not in caught.value.message
    assert "<html>" in caught.value.message


def test_http_error_status_uses_message_of_body(server):
    server.answer({"Status": "Error", "Message": "Internal failure"}, status=500)
    with pytest.raises(ApiError) as caught:
        make_api(server).add_system_user({"LoginName": "x"})
    assert caught.value.status == 500
    assert caught.value.message == "Internal failure"


def test_expired_password_hint(server):
    server.answer({"Status": "Error", "Message": EXPIRED})
    with pytest.raises(ApiError) as caught:
        make_api(server).list_system_users()
    err = caught.value
    assert err.message == EXPIRED  # verbatim
    assert "UpdateSysUser" in err.hint and "ahsay_sysuser" in err.hint
    assert "Hint:" in str(err)


def test_incorrect_credentials_hint(server):
    server.answer({"Status": "Error", "Message": "Incorrect system username/password", "ExptType": "com.ahsay.obs.core.dbs.c"})
    with pytest.raises(ApiError) as caught:
        make_api(server).list_system_users()
    assert "api_username" in caught.value.hint
    assert caught.value.message.startswith("Incorrect system username/password")


def test_api_password_never_in_error(server):
    server.answer({"Status": "Error", "Message": "Bad login %s for %s" % (API_PASSWORD, API_USER), "SysPwd": API_PASSWORD})
    with pytest.raises(ApiError) as caught:
        make_api(server).list_system_users()
    err = caught.value
    assert API_PASSWORD not in str(err)
    assert API_PASSWORD not in repr(err)
    assert API_PASSWORD not in json.dumps(err.body)
    assert API_USER in err.message


def test_sent_password_hash_is_a_secret_in_errors(server):
    hashed = hash_password(NEW_PASSWORD)
    server.answer({"Status": "Error", "Message": "Password %s does not meet the complexity rules" % hashed})
    with pytest.raises(ApiError) as caught:
        make_api(server).update_system_user("ops", {"Password": hashed, "PasswordHashed": True})
    assert hashed not in str(caught.value)
    assert "does not meet the complexity rules" in caught.value.message


# -- system-user calls -------------------------------------------------------------------------

LISTED = [
    {"Name": "system", "Role": "ADMIN", "Status": "ENABLED", "HashedPwd": hash_password("system1"), "IsShowRebrandingPages": False},
    {"Name": "Ops", "Role": "API_ONLY", "Status": "SUSPENDED", "HashedPwd": hash_password("other")},
]


def test_list_and_get_system_user(server):
    server.answer({"Status": "OK", "Data": LISTED})
    server.answer({"Status": "OK", "Data": LISTED})
    server.answer({"Status": "OK", "Data": LISTED})
    api = make_api(server)
    assert api.list_system_users() == LISTED
    assert api.get_system_user("Ops")["Role"] == "API_ONLY"
    assert api.get_system_user("ops") is None  # login names compare exactly
    assert len(server.seen) == 3
    assert all(seen["path"] == "/obs/api/json/ListSystemUsers.do" for seen in server.seen)
    assert "RoleOnly" not in server.seen[0]["body"]


def test_system_users_adapter_find_and_list(server):
    for dummy in range(3):
        server.answer({"Status": "OK", "Data": LISTED})
    users = SystemUsers(make_api(server))
    # find and list keep the hash (compared, never shown: public() drops it); list is filtered by role here.
    assert users.find({"name": "Ops"}) == {"name": "Ops", "role": "api_only", "status": "suspended",
                                           "password": hash_password("other")}
    listed = users.list()
    assert [users.public({}, user) for user in listed] == [
        {"name": "system", "role": "admin", "status": "enabled", "show_rebranding_pages": False},
        {"name": "Ops", "role": "api_only", "status": "suspended"}]
    assert listed[1]["password"] == hash_password("other")
    assert [user["name"] for user in users.list(role="api_only")] == ["Ops"]
    assert len(server.seen) == 3 and "RoleOnly" not in server.seen[1]["body"]


def test_system_user_spec_shows_the_name_but_never_compares_it():
    params = {"name": "ops", "password": "x", "update_password": "on_create", "role": "admin", "hostname": None}
    desired = SYSTEM_USER.desired(params, {"name": "ops"})
    assert desired == {"name": "ops", "role": "admin"}  # the password only on creation with on_create
    assert SYSTEM_USER.changes({"name": "ops", "role": "ADMIN"}, desired, params, None) == {}
    assert SYSTEM_USER.diff({"name": "ops", "role": "admin"}, None, {}, None) == {
        "before": {"name": "ops", "role": "admin"}, "after": {}}


@pytest.mark.parametrize("value, expected", [
    (hash_password("x"), True), (hash_password("x")[:-1], False), ("!" * 44, False), (None, False),
    ("A" * 43 + "=", True), (u"\u00e9" * 44, False),
])
def test_is_password_hash(value, expected):
    assert is_password_hash(value) is expected


def test_list_system_users_role_only_and_missing_data(server):
    server.answer({"Status": "OK"})
    assert make_api(server).list_system_users(role_only=True) == []
    assert server.seen[0]["body"]["RoleOnly"] is True


def test_add_update_remove_bodies(server):
    api = make_api(server)
    hashed = hash_password(NEW_PASSWORD)
    api.add_system_user({"LoginName": "ops", "Password": hashed, "PasswordHashed": True, "Role": "ADMIN"})
    api.update_system_user("ops", {"Status": "SUSPENDED"})
    api.remove_system_user("ops")
    add, update, remove = (seen["body"] for seen in server.seen)
    assert [seen["path"] for seen in server.seen] == [
        "/obs/api/json/AddSysUser.do", "/obs/api/json/UpdateSysUser.do", "/obs/api/json/RemoveSysUser.do"]
    assert add == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "LoginName": "ops", "Password": hashed,
                   "PasswordHashed": True, "Role": "ADMIN"}
    assert update == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "LoginName": "ops", "Status": "SUSPENDED"}
    # RemoveSysUser names the user RemoveLoginName, not LoginName.
    assert remove == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "RemoveLoginName": "ops"}
    assert NEW_PASSWORD not in "".join(seen["raw"] for seen in server.seen)


def test_get_user_missing_is_none_other_errors_raise(server):
    server.answer({"Status": "Error", "Message": "[UserCacheManager.NoSuchUserExpt] User 'obm9' not found.",
                   "ExptType": "com.ahsay.obs.core.dbs.ad"})
    server.answer({"Status": "Error", "Message": EXPIRED})
    api = make_api(server)
    assert api.get_user("obm9") is None
    assert server.seen[0]["path"] == "/obs/api/json/2/GetUser.do"
    with pytest.raises(ApiError):
        api.get_user("obm9")


# -- retries and check mode -----------------------------------------------------------------------

def test_reads_are_retried_writes_are_not(server):
    server.answer({"Status": "Error", "Message": "busy"}, status=503)
    server.answer({"Status": "OK", "Data": LISTED})
    api = make_api(server)
    assert len(api.list_system_users()) == 2
    assert len(server.seen) == 2

    server.answer({"Status": "Error", "Message": "busy"}, status=503)
    with pytest.raises(ApiError) as caught:
        api.update_system_user("ops", {"Status": "ENABLED"})
    assert caught.value.status == 503
    assert len(server.seen) == 3  # one UpdateSysUser, not repeated


def test_check_mode_reads_but_refuses_writes(server):
    server.answer({"Status": "OK", "Data": LISTED})
    api = make_api(server, check_mode=True)
    assert api.get_system_user("system")["Name"] == "system"
    for write in (lambda: api.add_system_user({"LoginName": "x"}),
                  lambda: api.update_system_user("system", {"Status": "SUSPENDED"}),
                  lambda: api.remove_system_user("system")):
        with pytest.raises(CheckModeRefused):
            write()
    assert [seen["path"] for seen in server.seen] == ["/obs/api/json/ListSystemUsers.do"]


def test_from_params(server):
    params = {"api_url": server.url + "/", "api_username": API_USER, "api_password": API_PASSWORD,
              "validate_certs": True, "ca_path": None, "timeout": 5, "retries": 0}
    api = AhsayApi.from_params(params)
    server.answer({"Status": "OK"})
    api.list_system_users()
    assert server.seen[0]["path"] == "/obs/api/json/ListSystemUsers.do"
    assert server.seen[0]["body"] == {"SysUser": API_USER, "SysPwd": API_PASSWORD}
    assert API_PASSWORD in api.client.secrets


# -- issue 10: a wrong path in api_url gets a hint ----------------------------------------------

@pytest.mark.parametrize("payload", ["<html><h1>Not Found</h1></html>", {"error": "not found"}])
def test_wrong_path_in_api_url_gets_a_hint(server, payload):
    server.answer(payload, status=404)
    with pytest.raises(ApiError) as info:
        make_api(server).list_users()
    text = str(info.value)
    assert text.startswith("POST /obs/api/json/2/ListUsers.do (HTTP 404): ")
    assert text.endswith(". Hint: check api_url: every AhsayCBS server has this endpoint, so api_url does not lead to its API. "
                         "Give the server's base URL, for example https://backup.example.com (the module adds "
                         "/obs/api/json/... itself).")
