# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Unified Assurance facade against a small HTTP(S) server on 127.0.0.1 that answers the way
the UA Core REST API is documented to: envelope and error handling, paging, the exact-name lookup,
authentication, secrets, check mode and the record view."""

import base64
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.msp.accounts.plugins.module_utils import _aaa
from ansible_collections.msp.accounts.plugins.module_utils._aaa import USER_PROFILE, AaaApi, UserProfiles
from ansible_collections.msp.accounts.plugins.module_utils._http import ApiError, CheckModeRefused, InputError

try:
    from urllib.parse import parse_qs, urlsplit
except ImportError:  # pragma: no cover - Python 2
    from urlparse import parse_qs, urlsplit

API_USER = "unit-api"
API_PASSWORD = "Unit-Aaa-ApiPass-5d1f7c39b0!"
NEW_PASSWORD = "Unit-Aaa-NewPass-2c8e6a41f9!"


def user_record(user_id, name, **extra):
    record = {
        "UserID": user_id, "UserName": name, "FullName": name.title(), "EmailAddress": "%s@example.invalid" % name,
        "AccountStatus": 1, "AccountExpiration": "[Never]", "PasswordExpiration": "2147483647",
        "AuthenticationType": {"id": "1", "name": "Internal"}, "AuthenticationTypeName": "Internal",
        "UserGroup": {"id": "2", "name": "Operators"}, "UserGroupName": "Operators", "Subgroups": [],
        "FailedLoginCount": 0, "LastLoginFailed": 0, "LastLoginSuccess": 0, "SupportUsername": "",
        "Password": "", "RepeatPassword": "",
        "Preferences": [{"PreferenceID": 2, "PreferenceName": "PageSize", "PreferenceValue": "1000",
                         "Override": 0, "Description": "Rows per page"}],
        "Properties": [{"id": 7, "PropertyID": 1, "PropertyName": "ResetQuestion", "PropertyValue": "lab",
                        "Description": "Reset question"}],
    }
    record.update(extra)
    return record


class FakeUA(object):
    """A tiny UA: Basic auth, the success/failure envelopes, filter/start/limit on /api/AAA/Users.

    ``users`` is the user table; ``script`` queues raw (status, body) answers that take
    precedence; every request is recorded in ``seen``.
    """

    def __init__(self, users=(), like_filters=False, tls=None):
        self.users = list(users)
        self.like_filters = like_filters
        self.script = []
        self.seen = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                parts = urlsplit(self.path)
                query = dict((k, v[0]) for k, v in parse_qs(parts.query).items())
                outer.seen.append({"method": self.command, "path": parts.path, "query": query,
                                   "body": json.loads(raw) if raw else None,
                                   "authorization": self.headers.get("Authorization"),
                                   "content_type": self.headers.get("Content-Type")})
                status, payload = outer.route(self.command, parts.path, query, self.headers.get("Authorization"))
                data = payload.encode("utf-8") if isinstance(payload, str) else json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = "%s://127.0.0.1:%d" % (scheme, self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, method, path, query, authorization):
        if self.script:
            return self.script.pop(0)
        expected = "Basic " + base64.b64encode(("%s:%s" % (API_USER, API_PASSWORD)).encode()).decode()
        if authorization != expected:
            return 401, {"success": False, "message": "Authentication failed", "errors": []}
        if method == "GET" and path == _aaa.USERS:
            rows = list(self.users)
            for item in json.loads(query.get("filter", "[]")):
                value = str(item["value"]).lower()
                if self.like_filters or (item.get("operator") or "LIKE").lower() == "like":
                    rows = [r for r in rows if value in str(r.get(item["property"])).lower()]
                else:
                    rows = [r for r in rows if str(r.get(item["property"])).lower() == value]
            total = len(rows)
            if "limit" in query:
                start, limit = int(query.get("start", 0)), int(query["limit"])
                rows = rows[start:start + limit]
            return 200, {"success": True, "message": "Loaded %d entries" % len(rows), "data": rows, "total": total}
        return 200, {"success": True, "message": "OK", "data": []}

    def answer(self, payload, status=200):
        self.script.append((status, payload))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def params(url, **extra):
    values = dict(api_url=url, api_username=API_USER, api_password=API_PASSWORD, validate_certs=True,
                  ca_path=None, client_cert=None, client_key=None, timeout=5, retries=0)
    values.update(extra)
    return values


@pytest.fixture()
def ua():
    server = FakeUA()
    yield server
    server.close()


def api_for(server, check_mode=False, **extra):
    return AaaApi.from_params(params(server.url, **extra), check_mode=check_mode)


# -- envelopes and errors ------------------------------------------------------------------------

def test_basic_auth_accept_header_and_envelope(ua):
    ua.users = [user_record(1, "api")]
    api = api_for(ua)
    assert api.list_all(_aaa.USER_GROUPS) == []  # the fake answers an empty data list here
    request = ua.seen[-1]
    assert request["authorization"] == "Basic " + base64.b64encode(("%s:%s" % (API_USER, API_PASSWORD)).encode()).decode()
    assert request["method"] == "GET" and request["path"] == "/api/AAA/UserGroups"


def test_success_false_with_http_200_is_an_error_with_message_and_errors(ua):
    ua.answer({"success": False, "message": "Validation failed",
               "errors": [{"UserName": "User name jdoe is already taken"}, {"FullName": "FullName is required"}]})
    api = api_for(ua)
    with pytest.raises(ApiError) as caught:
        api.create_user({"UserName": "jdoe", "Password": NEW_PASSWORD, "RepeatPassword": NEW_PASSWORD})
    err = caught.value
    assert err.status == 200 and err.method == "POST" and err.path == "/api/AAA/Users"
    assert "Validation failed" in err.message
    assert "UserName: User name jdoe is already taken" in err.message
    assert "FullName: FullName is required" in err.message
    assert "POST /api/AAA/Users (HTTP 200)" in str(err)


def test_field_message_error_items_and_html_messages_are_readable(ua):
    ua.answer({"success": False, "message": "PHP Exception<ul><li>\\/opt\\/assure1\\/www\\/api\\/lib\\/Model.php on line 997</li>"
               "<ul><li>Error connecting to [Assure1] database. Please contact your administrator</li></ul></ul>", "data": []})
    ua.answer({"success": False, "message": "Bad input",
               "errors": [{"field": "EmailAddress", "message": "x is not an email address"}]})
    api = api_for(ua)
    with pytest.raises(ApiError) as first:
        api.list_users()
    assert first.value.message == ("PHP Exception /opt/assure1/www/api/lib/Model.php on line 997 Error connecting to "
                                   "[Assure1] database. Please contact your administrator")
    with pytest.raises(ApiError) as second:
        api.update_user_profile(5, {"EmailAddress": "x"})
    assert second.value.message == "Bad input (EmailAddress: x is not an email address)"
    assert second.value.path == "/api/AAA/UserProfiles/5" and second.value.method == "PUT"


def test_http_error_status_is_raised_with_server_message_and_hint(ua):
    api = AaaApi.from_params(params(ua.url, api_password="Wrong-Password-For-Unit-0000"))
    with pytest.raises(ApiError) as caught:
        api.list_users()
    err = caught.value
    assert err.status == 401 and err.message == "Authentication failed"
    assert "api_username/api_password" in str(err)
    assert "Wrong-Password-For-Unit-0000" not in str(err)


def certificate_files(tmp_path):
    """Stand-in certificate files: requests only checks that they exist on a plain-HTTP connection."""
    cert, key = tmp_path / "User-api.crt", tmp_path / "User-api.key"
    cert.write_text(u"not used over http\n")
    key.write_text(u"not used over http\n")
    return dict(client_cert=str(cert), client_key=str(key))


def test_certificate_mode_gets_the_certificate_hint(ua, tmp_path):
    ua.answer({"success": False, "message": "Authentication failed", "errors": []}, status=401)
    api = AaaApi.from_params(params(ua.url, api_username=None, api_password=None, **certificate_files(tmp_path)))
    assert api.auth_mode == "certificate"
    with pytest.raises(ApiError) as caught:
        api.list_users()
    assert "client_cert" in str(caught.value)
    assert ua.seen[-1]["authorization"] is None


def test_answer_that_is_not_an_envelope_is_an_error(ua):
    ua.answer("<html>Service temporarily down</html>")
    with pytest.raises(ApiError) as caught:
        api_for(ua).list_users()
    assert "not a JSON envelope" in caught.value.message and "Service temporarily down" in caught.value.message


def test_passwords_never_appear_in_errors(ua):
    ua.answer({"success": False, "message": "Password %s is too weak" % NEW_PASSWORD,
               "errors": [{"Password": "rejected %s" % NEW_PASSWORD}], "data": [{"Password": NEW_PASSWORD}]})
    # The module hands its no_log values (the password option) to the facade as secrets.
    api = AaaApi.from_params(params(ua.url), secrets=[NEW_PASSWORD])
    with pytest.raises(ApiError) as caught:
        api.update_user_profile(7, {"Password": NEW_PASSWORD, "RepeatPassword": NEW_PASSWORD})
    err = caught.value
    assert NEW_PASSWORD not in str(err) and NEW_PASSWORD not in repr(err)
    assert NEW_PASSWORD not in json.dumps(err.body)
    assert "too weak" in err.message


# -- requests sent ---------------------------------------------------------------------------------

def test_error_items_the_message_already_says_are_not_repeated(ua):
    ua.answer({"success": False, "message": "Password needs at least 8 characters",
               "errors": [{"Password": "Password needs at least 8 characters"}]})
    with pytest.raises(ApiError) as caught:
        api_for(ua).create_user({"UserName": "x"})
    assert caught.value.message == "Password needs at least 8 characters"


def test_endpoint_methods_and_bodies(ua):
    created = user_record(1001, "jdoe")
    ua.answer({"success": True, "message": "Added record", "data": [created], "total": 1})
    ua.answer({"success": True, "message": "Updated record", "data": [created], "total": 1})
    ua.answer({"success": True, "message": "Updated record", "data": [created], "total": 1})
    ua.answer({"success": True, "message": "Deleted record"})
    api = api_for(ua)
    assert api.create_user({"UserName": "jdoe"})["UserID"] == 1001
    assert api.update_user(1001, {"FullName": "J"})["UserName"] == "jdoe"
    assert api.update_user_profile(1001, {"EmailAddress": "j@example.invalid", "Preferences": []})["UserID"] == 1001
    assert api.delete_user(1001)["message"] == "Deleted record"
    assert [(r["method"], r["path"]) for r in ua.seen] == [
        ("POST", "/api/AAA/Users"), ("PUT", "/api/AAA/Users/1001"), ("PUT", "/api/AAA/UserProfiles/1001"),
        ("DELETE", "/api/AAA/Users/1001")]
    assert ua.seen[0]["body"] == {"UserName": "jdoe"}
    assert ua.seen[0]["content_type"] == "application/json"
    assert ua.seen[2]["body"] == {"EmailAddress": "j@example.invalid", "Preferences": []}


def test_find_user_uses_one_eq_filtered_read_and_matches_exactly(ua):
    ua.users = [user_record(1, "api"), user_record(2, "jdoe2"), user_record(3, "jdoe")]
    api = api_for(ua)
    assert api.find_user("jdoe")["UserID"] == 3
    assert len(ua.seen) == 1
    assert json.loads(ua.seen[0]["query"]["filter"]) == [{"property": "UserName", "value": "jdoe", "operator": "eq"}]


def test_find_user_ignores_like_matches_and_case_variants():
    server = FakeUA([user_record(2, "jdoe2"), user_record(4, "JDOE")], like_filters=True)
    try:
        api = api_for(server)
        assert api.find_user("JDOE")["UserID"] == 4
        assert api.find_user("jdoe2")["UserID"] == 2
        with pytest.raises(InputError) as caught:
            api.find_user("jdoe")  # only jdoe2 (LIKE) and JDOE (case) match: neither is jdoe
        assert "'JDOE' does" in str(caught.value) and "use name: JDOE" in str(caught.value)
        assert api.find_user("doe") is None
    finally:
        server.close()


def test_paging_reads_every_page_with_start_and_limit(ua):
    ua.users = [user_record(i, "user%04d" % i) for i in range(1, 1204)]
    api = api_for(ua)
    api.page_size = 500
    users = api.list_users()
    assert [u["UserID"] for u in users] == list(range(1, 1204))
    assert [(r["query"]["start"], r["query"]["limit"]) for r in ua.seen] == [("0", "500"), ("500", "500"), ("1000", "500")]


def test_paging_stops_at_total_without_an_empty_extra_read(ua):
    ua.users = [user_record(i, "user%d" % i) for i in range(1, 11)]
    api = api_for(ua)
    api.page_size = 5
    assert len(api.list_users()) == 10
    assert len(ua.seen) == 2


def test_paging_passes_filters_on_every_page(ua):
    ua.users = [user_record(i, "ops%d" % i, UserGroupName="Operators") for i in range(1, 8)]
    api = api_for(ua)
    api.page_size = 3
    rows = api.list_users([{"property": "UserGroupName", "value": "Operators", "operator": "eq"}])
    assert len(rows) == 7 and len(ua.seen) == 3
    assert all(json.loads(r["query"]["filter"])[0]["property"] == "UserGroupName" for r in ua.seen)


def test_paging_has_a_safety_cap(ua, monkeypatch):
    # A server that ignores start returns the same full page forever.
    monkeypatch.setattr(_aaa, "MAX_RECORDS", 6)
    ua.users = [user_record(i, "u%d" % i) for i in range(1, 4)]
    for dummy in range(5):
        ua.answer({"success": True, "message": "Loaded 3 entries", "data": ua.users, "total": 100})
    api = api_for(ua)
    api.page_size = 3
    assert len(api.list_users()) == 6
    assert api.warnings and "stopped reading" in api.warnings[0]


def test_check_mode_refuses_writes_without_sending_them(ua):
    api = api_for(ua, check_mode=True)
    for call in (lambda: api.create_user({"UserName": "x"}), lambda: api.update_user(3, {}),
                 lambda: api.update_user_profile(3, {}), lambda: api.delete_user(3)):
        with pytest.raises(CheckModeRefused):
            call()
    assert ua.seen == []
    ua.users = [user_record(3, "x")]
    assert api.find_user("x")["UserID"] == 3  # reads still work


def test_lookups_by_name_or_id_and_known_names(ua):
    groups = [{"UserGroupID": 1, "UserGroupName": "Administrators"}, {"UserGroupID": 2, "UserGroupName": "Operators"}]
    ua.answer({"success": True, "data": groups, "total": 2})
    ua.answer({"success": True, "data": [{"PreferenceID": 2, "PreferenceName": "PageSize"},
                                         {"PreferenceID": 3, "PreferenceName": "DefaultDisplayID"}], "total": 2})
    ua.answer({"success": True, "data": [{"AuthenticationTypeID": 2, "AuthenticationTypeName": "LDAP"}], "total": 1})
    api = api_for(ua)
    assert api.lookup("user_group", "operators")["UserGroupID"] == 2
    assert api.lookup("user_group", "1")["UserGroupName"] == "Administrators"
    with pytest.raises(InputError) as caught:
        api.lookup("user_group", "Auditors")
    assert "Auditors" in str(caught.value) and "Administrators (1), Operators (2)" in str(caught.value)
    assert api.known_names("preferences") == {"PageSize": 2, "DefaultDisplayID": 3}
    assert api.lookup("authentication_type", "ldap")["AuthenticationTypeID"] == 2
    # Definitions are read once per run, however many names are resolved (a bulk module resolves thousands).
    assert [r["path"] for r in ua.seen] == ["/api/AAA/UserGroups", "/api/AAA/Preferences", "/api/AAA/AuthTypes"]


def test_ca_path_wins_over_requests_ca_bundle(monkeypatch, tmp_path):
    trustme = pytest.importorskip("trustme")
    ca, other_ca = trustme.CA(), trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file, other_file = tmp_path / "ca.pem", tmp_path / "other.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    other_ca.cert_pem.write_to_path(str(other_file))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other_file))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(other_file))
    server = FakeUA([user_record(1, "api")], tls=context)
    try:
        api = AaaApi.from_params(params(server.url, ca_path=str(ca_file)))
        assert api.find_user("api")["UserID"] == 1
        with pytest.raises(ApiError) as caught:
            AaaApi.from_params(params(server.url)).find_user("api")
        assert "TLS error" in caught.value.message
        assert AaaApi.from_params(params(server.url, validate_certs=False)).find_user("api")["UserID"] == 1
    finally:
        server.close()


# -- record views ------------------------------------------------------------------------------------

def test_user_view_normalises_ids_status_and_entries():
    view = _aaa.user_view(user_record(
        "1065", "operator", AccountStatus="0", Subgroups=["3", 1001],
        UserGroup={"id": "1", "name": "Administrators"},
        Preferences=[{"PreferenceID": 3, "PreferenceName": "DefaultDisplayID", "PreferenceValue": 5, "Override": 0}]))
    assert view["id"] == 1065 and view["enabled"] is False
    assert view["user_group"] == "Administrators" and view["user_group_id"] == 1
    assert view["subgroups"] == [3, 1001]
    assert view["authentication_type"] == "Internal" and view["authentication_type_id"] == 1
    assert view["preferences"] == {"DefaultDisplayID": "5"}
    assert view["properties"] == {"ResetQuestion": "lab"}
    assert view["password_change"] == "never"
    assert not set(view) & {"password", "Password", "RepeatPassword"}


@pytest.mark.parametrize("change", ["never", "immediate", "2027-03-15", "2030-12-31"])
def test_password_change_round_trip(change):
    assert _aaa.password_change_view(_aaa.password_expiration_for(change)) == change


@pytest.mark.parametrize("offset_hours", [-11, -5, 0, 2, 9, 12])
def test_password_change_date_read_back_from_local_midnight(offset_hours):
    utc_midnight = int(_aaa.password_expiration_for("2027-03-15"))
    assert _aaa.password_change_view(utc_midnight - offset_hours * 3600) == "2027-03-15"


@pytest.mark.parametrize("value, expected", [
    (None, "never"), ("", "never"), ("0", "never"), ("[Never]", "never"), ("never", "never"),
    ("2027-01-31", "2027-01-31"), ("2027-01-31 00:00:00", "2027-01-31"), ("2027-01-31T10:30", "2027-01-31 10:30:00"),
    ("2027-1-5", "2027-01-05"), ("2027-1-5 7:05", "2027-01-05 07:05:00"), ("2027-1-5 0:00", "2027-01-05"),
    ("Jan 5 2027", "Jan 5 2027"),
])
def test_account_expiration_text(value, expected):
    assert _aaa.account_expiration_text(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("never", "0"), ("[Never]", "0"), ("2027-1-5", "2027-01-05"), ("2027-1-5T7:05", "2027-01-05 07:05:00"),
    ("2027-01-05 00:00:00", "2027-01-05 00:00:00"),
])
def test_account_expiration_body_is_canonical(value, expected):
    assert _aaa.account_expiration_body(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("Never", "never"), (" IMMEDIATE ", "immediate"), ("2027-2-3", "2027-02-03"), ("2027-02-03", "2027-02-03"),
])
def test_password_change_value_is_canonical(value, expected):
    assert _aaa.USER_PROFILE["password_change"].clean(value) == expected


def test_password_change_value_refuses_other_text():
    problems = _aaa.USER_PROFILE["password_change"].problems("password_change", "garbage")
    assert problems == ["password_change must be never, immediate or a date YYYY-MM-DD from 1970-01-02 to 2038-01-19: "
                        "not 'garbage'."]


@pytest.mark.parametrize("value, ok", [
    ("1970-01-01", False), ("1970-01-02", True), ("2038-01-19", True), ("2038-01-20", False), ("2027-2-3", True),
    ("2027-02-30", False), ("2027-02-03 10:00", False),
])
def test_password_change_days_the_timestamp_can_say(value, ok):
    assert (_aaa.USER_PROFILE["password_change"].problems("password_change", value) == []) is ok


def test_value_helpers():
    assert _aaa.value_text(5) == "5" and _aaa.value_text(5.0) == "5" and _aaa.value_text(True) == "1"
    assert _aaa.value_like("50", 1000) == 50 and _aaa.value_like("50", "1000") == "50" and _aaa.value_like("x", 1) == "x"
    assert _aaa.is_internal_ref("internal") and _aaa.is_internal_ref(" 1 ") and not _aaa.is_internal_ref("LDAP")
    assert _aaa.account_expiration_body("never") == "0" and _aaa.account_expiration_body("2027-01-31") == "2027-01-31"


# -- issue 10: a wrong path in api_url gets a hint; the Basic credential is a secret -------------

def test_wrong_path_in_api_url_gets_a_hint(ua):
    ua.answer({"success": False, "message": "Not Found", "errors": []}, status=404)  # the router's answer
    api = AaaApi.from_params(params(ua.url + "/api"), check_mode=False)
    with pytest.raises(ApiError) as info:
        api.find_user("ann")
    assert str(info.value).startswith("GET /api/api/AAA/Users (HTTP 404): ")
    assert "Hint: check api_url: every Unified Assurance server has this endpoint" in str(info.value)
    assert "for example https://ua.example.com (the module adds /api/AAA/... itself)." in str(info.value)


def test_known_user_404_keeps_its_own_message(ua):
    ua.answer({"success": False, "message": "User 7 not found"}, status=404)
    with pytest.raises(ApiError) as info:
        api_for(ua).delete_user(7)
    assert info.value.hint is None and "User 7 not found" in str(info.value)


def test_basic_credential_echoed_by_the_server_is_hidden(ua):
    basic = base64.b64encode(("%s:%s" % (API_USER, API_PASSWORD)).encode()).decode()
    ua.answer({"success": False, "message": "Rejected header Basic %s" % basic}, status=400)
    with pytest.raises(ApiError) as info:
        api_for(ua).find_user("ann")
    assert basic not in str(info.value) and basic not in json.dumps(info.value.body)


def test_bulk_plans_keep_each_accounts_record_and_ids():
    # A bulk module plans every account before it writes any: each write must carry its own account's
    # group, authentication type and profile arrays, and an unlisted suspension the arrays as read.
    from ansible_collections.msp.accounts.plugins.module_utils._base import Plan

    def stored(user_id, name, group_id, group, auth_id, auth, preference):
        return {"UserID": user_id, "UserName": name, "FullName": name.title(), "AccountStatus": "1",
                "UserGroup": {"id": str(group_id), "name": group}, "UserGroupName": group,
                "AuthenticationType": {"id": str(auth_id), "name": auth}, "AuthenticationTypeName": auth,
                "EmailAddress": "%s@example.com" % name, "Subgroups": [],
                "Preferences": [{"PreferenceID": 2, "PreferenceName": "PageSize", "PreferenceValue": preference}],
                "Properties": []}

    server = FakeUA(users=[stored(1001, "jdoe", 1, "Administrators", 1, "Internal", "50"),
                           stored(1002, "ann", 2, "Operators", 2, "LDAP", "20"),
                           stored(1003, "old", 2, "Operators", 1, "Internal", "30")])
    try:
        users = UserProfiles(api_for(server))
        listed = dict((user["name"], user) for user in users.list())
        base = dict((key, None) for key in USER_PROFILE.options)
        base.update(state="present", update_password="on_create")
        plans = [Plan.make(users, dict(base, name="jdoe", full_name="Jane X"), listed["jdoe"], None),
                 Plan.make(users, dict(base, name="ann", email="ann@x.example"), listed["ann"], None),
                 Plan({"name": "old", "state": "present"}, listed["old"], "suspended", {"enabled": False}, {"enabled": False})]
        for plan in plans:
            plan.apply(users)
        puts = [seen for seen in server.seen if seen["method"] == "PUT"]
        assert [put["path"] for put in puts] == ["/api/AAA/Users/1001", "/api/AAA/UserProfiles/1002", "/api/AAA/UserProfiles/1003"]
        assert puts[0]["body"]["UserGroup"] == 1 and puts[0]["body"]["AuthenticationType"] == 1
        assert puts[1]["body"]["AuthenticationType"] == 2 and puts[1]["body"]["EmailAddress"] == "ann@x.example"
        assert puts[2]["body"]["AccountStatus"] == 0 and puts[2]["body"]["AuthenticationType"] == 1
        assert [put["body"]["Preferences"][0]["PreferenceValue"] for put in puts] == ["50", "20", "30"]
    finally:
        server.close()


def test_every_managed_option_travels_by_its_wire_spelling():
    assert set(USER_PROFILE.wires) == set(USER_PROFILE.managed)
    assert USER_PROFILE.wires["email"].wire == "EmailAddress" and USER_PROFILE.wires["user_group"].wire == "UserGroup"


def test_an_option_without_api_spelling_is_refused_when_the_spec_is_built():
    with pytest.raises(ValueError, match="option department has no API spelling"):
        _aaa.Spec("user", "Unified Assurance", **dict(USER_PROFILE.options, department=_aaa.Option()))
    _aaa.Spec("user", "Unified Assurance", **dict(USER_PROFILE.options, department=_aaa.Option(wire="Department")))
