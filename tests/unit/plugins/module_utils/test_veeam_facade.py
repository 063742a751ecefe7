# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""VeeamApi against a scripted HTTP server on 127.0.0.1 (no mocks of our own client)."""

import json

import pytest

from ansible_collections.msp.accounts.plugins.module_utils import _veeam
from ansible_collections.msp.accounts.plugins.module_utils._http import ApiError, CheckModeRefused, InputError
from ansible_collections.msp.accounts.plugins.module_utils._veeam import VeeamApi
from ansible_collections.msp.accounts.tests.unit.plugins.modules.veeam_support import (
    FakeVspc, collection, form_as_typed, token_answer, vendor_schemas,
)

PASSWORD = "Unit-Vspc-Pass-4e7b19c2d8!"
API_KEY = "Unit-Vspc-ApiKey-9a1f5c3e7b2d"
ACCESS = "Unit-Access-Token-7f3a9c21e5"
ORG = "3f9d2c1a-6b84-4e7f-a2d5-c81e90b4f6a2"
USER = {"instanceUid": "2927487f-079e-4d1e-826a-220dc7a7fa6b", "organizationUid": ORG, "userName": "j.smith",
        "status": "Enabled", "mfaPolicyStatus": "Disabled", "mfaPolicyConfigurationStatus": "NotConfigured",
        "role": "CompanyAdministrator",
        "profile": {"firstName": "John", "lastName": None, "title": "Mr", "email": None, "address": None, "phone": None},
        "credentials": {"userName": "j.smith", "password": None}}
UNAUTHORIZED = (401, {"errors": [{"message": "The access token has expired.", "type": "security", "code": 401}]}, {})


@pytest.fixture()
def vspc():
    server = FakeVspc()
    yield server
    server.close()


@pytest.fixture()
def sleeps():
    return []


def make_api(vspc, sleeps, check_mode=False, **params):
    options = dict(api_url=vspc.url, validate_certs=False, timeout=5, retries=3)
    options.update(params)
    return VeeamApi.from_params(options, check_mode=check_mode, sleep=sleeps.append)


def test_base_url_gets_api_v3_once(vspc, sleeps):
    for url in (vspc.url, vspc.url + "/", vspc.url + "/api/v3", vspc.url + "/api/v3/"):
        api = make_api(vspc, sleeps, api_url=url, api_token=API_KEY)
        assert api.client.base_url == vspc.url + "/api/v3"


def test_login_posts_the_password_grant_as_a_form_and_uses_the_token(vspc, sleeps):
    vspc.on("POST", "/token", token_answer())
    vspc.on("GET", "/users/me", (200, {"data": USER}, {}))
    api = make_api(vspc, sleeps, api_username="vspcadmin", api_password=PASSWORD)
    assert api.current_user()["userName"] == "j.smith"
    login, me = vspc.seen
    assert login["content_type"].startswith("application/x-www-form-urlencoded")
    assert login["body"] == {"grant_type": "password", "username": "vspcadmin", "password": PASSWORD}
    assert "authorization" not in login["headers"]
    assert me["headers"]["authorization"] == "Bearer " + ACCESS
    assert ACCESS in api.client.secrets


def test_token_form_validates_against_the_vendor_schema(vspc, sleeps):
    schemas = vendor_schemas()
    if schemas is None:
        pytest.skip("the VSPC OpenAPI document is not present")
    jsonschema = pytest.importorskip("jsonschema")
    vspc.on("POST", "/token", token_answer())
    api = make_api(vspc, sleeps, api_username="vspcadmin", api_password=PASSWORD)
    api.login(read_only=True)
    api.refresh("Unit-Refresh-Token-2b8d4e6f10")
    for seen in vspc.seen:
        jsonschema.validate(form_as_typed(seen["body"]), schemas["TokenForm"])
    assert vspc.seen[0]["body"]["readOnly"] == "true"
    assert vspc.seen[1]["body"] == {"grant_type": "refresh_token", "refresh_token": "Unit-Refresh-Token-2b8d4e6f10"}


def test_api_token_is_sent_as_bearer_without_login(vspc, sleeps):
    vspc.on("GET", "/users/me", (200, {"data": USER}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    api.current_user()
    assert [s["path"] for s in vspc.seen] == ["/api/v3/users/me"]
    assert vspc.seen[0]["headers"]["authorization"] == "Bearer " + API_KEY


def test_oauth_error_surfaces_error_description_without_the_password(vspc, sleeps):
    vspc.on("POST", "/token", (400, {"error": "invalid_request", "error_uri": None, "error_description":
                                     "Cannot complete login due to incorrect username or password, or no sufficient rights."}, {}))
    api = make_api(vspc, sleeps, api_username="vspcadmin", api_password=PASSWORD)
    with pytest.raises(ApiError) as caught:
        api.login()
    err = caught.value
    assert err.status == 400 and err.method == "POST" and err.path == "/api/v3/token"
    assert "Cannot complete login due to incorrect username or password" in str(err)
    assert "[invalid_request]" in str(err)
    assert "api_username/api_password" in str(err)  # the hint
    assert PASSWORD not in str(err) and PASSWORD not in repr(err.body)
    assert len(vspc.seen) == 1  # a failed login is not repeated


def test_mfa_challenge_is_a_clear_error(vspc, sleeps):
    vspc.on("POST", "/token", (200, {"access_token": None, "mfa_token": "Unit-Mfa-Token-55aa", "expires_in": 0}, {}))
    api = make_api(vspc, sleeps, api_username="vspcadmin", api_password=PASSWORD)
    with pytest.raises(ApiError, match="multi-factor"):
        api.login()


def test_401_with_a_password_logs_in_again_and_repeats_once(vspc, sleeps):
    vspc.on("POST", "/token", token_answer(access="Unit-Fresh-Token-0c1d2e3f"))
    vspc.on("PATCH", "/users/[^/]+", UNAUTHORIZED, (200, {"data": USER}, {}))
    api = make_api(vspc, sleeps, api_token="Unit-Expired-Token-1a2b3c", api_username="vspcadmin", api_password=PASSWORD)
    api.patch_user(USER["instanceUid"], [{"op": "replace", "path": "/status", "value": "Disabled"}])
    first, login, second = vspc.seen
    assert (first["method"], login["path"], second["method"]) == ("PATCH", "/api/v3/token", "PATCH")
    assert first["headers"]["authorization"] == "Bearer Unit-Expired-Token-1a2b3c"
    assert second["headers"]["authorization"] == "Bearer Unit-Fresh-Token-0c1d2e3f"
    # A new request id: the server may keep the answer of the refused one for its idempotence window.
    assert first["headers"]["x-request-id"] != second["headers"]["x-request-id"]
    assert second["body"] == first["body"]


def test_401_is_retried_only_once(vspc, sleeps):
    vspc.on("POST", "/token", token_answer())
    vspc.on("GET", "/users/me", UNAUTHORIZED)
    api = make_api(vspc, sleeps, api_token="Unit-Expired-Token-1a2b3c", api_username="vspcadmin", api_password=PASSWORD)
    with pytest.raises(ApiError) as caught:
        api.current_user()
    assert caught.value.status == 401
    assert [s["method"] for s in vspc.seen] == ["GET", "POST", "GET"]


def test_401_with_a_token_only_fails_with_a_hint(vspc, sleeps):
    vspc.on("GET", "/users/me", UNAUTHORIZED)
    api = make_api(vspc, sleeps, api_token="Unit-Expired-Token-1a2b3c")
    with pytest.raises(ApiError) as caught:
        api.current_user()
    text = str(caught.value)
    assert "GET /api/v3/users/me (HTTP 401): The access token has expired. [code 401]" in text
    assert "veeam_login" in text
    assert "Unit-Expired-Token-1a2b3c" not in text
    assert len(vspc.seen) == 1


def test_error_envelope_message_and_details(vspc, sleeps):
    vspc.on("PATCH", "/users/[^/]+", (400, {"errors": [{
        "message": "The property at path '/userName' could not be updated.", "type": "logical", "code": 1001,
        "failedJsonPatch": {"op": "replace", "path": "/userName", "value": "x"}}]}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    with pytest.raises(ApiError) as caught:
        api.patch_user(USER["instanceUid"], [{"op": "replace", "path": "/userName", "value": "x"}])
    assert caught.value.status == 400
    assert caught.value.message == "The property at path '/userName' could not be updated. [code 1001, failed patch replace /userName]"


def test_failed_patch_shows_its_op_and_path_never_its_value(vspc, sleeps):
    # A value the client never registered as a secret (the server may echo any operation back).
    secret = "Unit-Echoed-Pass-5d1f7e3a9c!"
    vspc.on("PATCH", "/users/[^/]+", (400, {"errors": [{
        "message": "The property at path '/credentials/password' could not be updated.", "type": "logical", "code": 1001,
        "failedJsonPatch": {"op": "replace", "path": "/credentials/password", "value": secret, "from": None}}]}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    with pytest.raises(ApiError) as caught:
        api.patch_user(USER["instanceUid"], [{"op": "replace", "path": "/profile/email", "value": "a@b.co"}])
    text = str(caught.value)
    assert "[code 1001, failed patch replace /credentials/password]" in text
    assert secret not in text and secret not in caught.value.message


@pytest.mark.parametrize("failed, shown", [
    ({"op": "add", "path": "/credentials/password", "value": "Unit-Plain-Pass-61c0e2!"}, "failed patch add /credentials/password"),
    ([{"op": "replace", "path": "/status", "value": "Frozen"}, {"op": "move", "path": "/a", "from": "/b"}],
     "failed patch replace /status, move /a from /b"),
    ({"value": "Unit-Plain-Pass-61c0e2!"}, "failed patch (no op or path)"),
    ("Unit-Plain-Pass-61c0e2!", "failed patch (not an operation object)"),
])
def test_error_message_never_shows_a_patch_value(failed, shown):
    message = _veeam.error_message({"errors": [{"message": "Patch failed.", "code": 1001, "failedJsonPatch": failed}]}, "")
    assert message == "Patch failed. [code 1001, %s]" % shown
    assert "Unit-Plain-Pass-61c0e2!" not in message and "Frozen" not in message


def test_password_in_a_patch_is_scrubbed_from_errors(vspc, sleeps):
    secret = "Unit-New-Pass-8e2c41f07a!"
    weak = {"errors": [{"message": "Password %s is too weak." % secret, "type": "logical", "code": 400}]}
    vspc.on("PATCH", "/users/[^/]+", (400, weak, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    with pytest.raises(ApiError) as caught:
        api.patch_user(USER["instanceUid"], [{"op": "add", "path": "/credentials/password", "value": secret}])
    assert secret not in str(caught.value) and secret not in json.dumps(caught.value.body)


def test_throttled_request_waits_for_retry_after(vspc, sleeps):
    vspc.on("POST", "/users", (429, {"errors": [{"type": "transport", "code": 429, "retryAfter": 7}]}, {}),
            (200, {"data": USER}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    assert api.create_user({"organizationUid": ORG, "role": "CompanyAdministrator", "profile": {},
                            "credentials": {"userName": "j.smith", "password": PASSWORD}})["userName"] == "j.smith"
    assert sleeps == [7.0]
    assert len(vspc.requests("POST", "/users$")) == 2


def test_accepted_write_is_followed_to_its_result(vspc, sleeps):
    action = "97431954-0dd7-472a-8cb7-d0cb0fbccaf7"
    vspc.on("DELETE", "/users/[^/]+", (202, None, {"Location": vspc.url + "/api/v3/asyncActions/" + action}))
    running = (200, {"data": {"id": action, "status": "running"}}, {})
    vspc.on("GET", "/asyncActions/" + action, running, running, (200, {"data": {"id": action, "status": "succeed"}}, {}))
    vspc.on("GET", "/asyncActions/%s/result" % action, (200, {"errors": [], "data": {}, "meta": {}}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    assert api.delete_user(USER["instanceUid"]) == 200
    assert [s["path"].rsplit("/", 1)[-1] for s in vspc.seen] == [USER["instanceUid"], action, action, action, "result"]
    assert sleeps == [0.5, 1.0]
    assert all(s["headers"]["authorization"] == "Bearer " + API_KEY for s in vspc.seen)


def test_accepted_write_without_location_uses_the_request_id(vspc, sleeps):
    vspc.on("POST", "/users", (202, None, {}))
    vspc.on("GET", "/asyncActions/[^/]+", (200, {"data": {"status": "succeed"}}, {}))
    vspc.on("GET", "/asyncActions/[^/]+/result", (200, {"data": USER}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    api.create_user({"organizationUid": ORG, "role": "CompanyAdministrator", "profile": {},
                     "credentials": {"userName": "j.smith", "password": PASSWORD}})
    request_id = vspc.seen[0]["headers"]["x-request-id"]
    assert vspc.seen[1]["path"] == "/api/v3/asyncActions/" + request_id


def test_failed_async_action_raises_its_error(vspc, sleeps):
    action = "5e0c1d2a-3b4c-4d5e-8f90-a1b2c3d4e5f6"
    vspc.on("POST", "/users", (202, None, {"Location": "/api/v3/asyncActions/" + action}))
    vspc.on("GET", "/asyncActions/" + action, (200, {"data": {"id": action, "status": "failed"}}, {}))
    vspc.on("GET", "/asyncActions/%s/result" % action, (409, {"errors": [
        {"message": "User with the name 'j.smith' already exists.", "type": "logical", "code": 409}]}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    with pytest.raises(ApiError) as caught:
        api.create_user({"organizationUid": ORG, "role": "CompanyAdministrator", "profile": {},
                         "credentials": {"userName": "j.smith", "password": PASSWORD}})
    err = caught.value
    assert (err.method, err.path, err.status) == ("POST", "/api/v3/users", 409)
    assert "already exists" in err.message and action in err.message


def test_async_wait_is_bounded(vspc, sleeps):
    vspc.on("PATCH", "/users/[^/]+", (202, None, {"Location": "/api/v3/asyncActions/abc"}))
    vspc.on("GET", "/asyncActions/abc", (200, {"data": {"id": "abc", "status": "running"}}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY, wait_timeout=12)
    with pytest.raises(ApiError, match="still running after 12 seconds") as caught:
        api.patch_user(USER["instanceUid"], [{"op": "replace", "path": "/status", "value": "Enabled"}])
    # Named like every other error: the endpoint as the server sees it.
    assert str(caught.value).startswith("PATCH /api/v3/users/%s (HTTP 202): " % USER["instanceUid"])
    assert sum(sleeps) >= 12 and max(sleeps) <= _veeam.POLL_MAX
    assert len(vspc.requests("GET")) == len(sleeps) + 1


def test_paging_reads_every_page(vspc, sleeps):
    users = [dict(USER, instanceUid="%08d-0000-4000-8000-000000000000" % n, userName="bulk%04d" % n) for n in range(1234)]

    def page(seen):
        offset, limit = int(seen["query"]["offset"]), int(seen["query"]["limit"])
        return collection(users[offset:offset + limit], offset, total=len(users))

    vspc.on("GET", "/users", page)
    api = make_api(vspc, sleeps, api_token=API_KEY)
    found = api.list_users(organization_uid=ORG, role="company_administrator")
    assert [u["userName"] for u in found] == [u["userName"] for u in users]
    assert [(s["query"]["limit"], s["query"]["offset"]) for s in vspc.seen] == [("500", "0"), ("500", "500"), ("500", "1000")]
    expression = json.loads(vspc.seen[0]["query"]["filter"])
    assert expression == [{"operation": "and", "items": [
        {"property": "organizationUid", "operation": "equals", "value": ORG},
        {"property": "role", "operation": "equals", "collation": "ignorecase", "value": "CompanyAdministrator"}]}]


def test_find_by_name_sends_one_filtered_request_and_keeps_exact_matches(vspc, sleeps):
    vspc.on("GET", "/users", collection([USER, dict(USER, userName="j.smith2")]))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    found = api.list_users(name="J.Smith", organization_uid=ORG)
    assert [u["userName"] for u in found] == ["j.smith"]
    assert len(vspc.seen) == 1
    items = json.loads(vspc.seen[0]["query"]["filter"])[0]["items"]
    assert items[0] == {"property": "userName", "operation": "equals", "collation": "ignorecase", "value": "J.Smith"}


def test_missing_user_is_none(vspc, sleeps):
    vspc.on("GET", "/users/[^/]+", (404, {"errors": [{"message": "User does not exist.", "type": "logical", "code": 1100}]}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    assert api.get_user(USER["instanceUid"]) is None


def test_organization_lookup(vspc, sleeps):
    acme = {"instanceUid": ORG, "name": "Acme Corp", "type": "Company"}
    vspc.on("GET", "/organizations", collection([acme]))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    assert api.organization("acme corp", "Company")["instanceUid"] == ORG
    # Searched by name alone, so that an organization of another type is found (and can be named).
    assert json.loads(vspc.seen[0]["query"]["filter"]) == [
        {"property": "name", "operation": "equals", "collation": "ignorecase", "value": "acme corp"}]
    assert api.organization("Acme Corp", "Reseller") == acme
    reseller = dict(acme, type="Reseller", instanceUid="c4e1a7b2-9d36-4f85-8a0c-2b6e5f9d1c37")
    vspc.on("GET", "/organizations", collection([acme, reseller]))
    api = make_api(vspc, sleeps, api_token=API_KEY)  # a name is read once per facade (per module run)
    with pytest.raises(InputError, match="several organizations"):
        api.organization("Acme Corp")
    assert api.organization("Acme Corp", "Reseller") == reseller  # the type picks among namesakes
    assert api.organization("Acme Corp", "Company") == acme
    vspc.on("GET", "/organizations", collection([]))
    assert api.organization("Nobody") is None
    assert [seen["path"] for seen in vspc.seen].count("/api/v3/organizations") == 3  # acme corp, Acme Corp, Nobody


def test_roles_for_type():
    assert _veeam.roles_for_type("Company") == sorted(r for r in _veeam.ROLES if r.startswith("company_"))
    assert _veeam.roles_for_type("reseller") == sorted(r for r in _veeam.ROLES if r.startswith("reseller_"))
    assert _veeam.roles_for_type("Provider") == ["portal_administrator", "portal_operator", "portal_readonly_operator",
                                                 "site_administrator"]
    assert _veeam.roles_for_type("Unknown") == []


def test_check_mode_allows_login_and_reads_but_refuses_writes(vspc, sleeps):
    vspc.on("POST", "/token", token_answer())
    vspc.on("GET", "/users", collection([USER]))
    api = make_api(vspc, sleeps, check_mode=True, api_username="vspcadmin", api_password=PASSWORD)
    assert len(api.list_users(name="j.smith")) == 1
    with pytest.raises(CheckModeRefused):
        api.delete_user(USER["instanceUid"])
    assert [s["method"] for s in vspc.seen] == ["POST", "GET"]


def test_revoke_tokens(vspc, sleeps):
    vspc.on("DELETE", "/users/[^/]+/tokens", (200, {"data": True}, {}))
    api = make_api(vspc, sleeps, api_token=ACCESS)
    assert api.revoke_tokens(USER["instanceUid"]) == {"data": True}
    assert vspc.seen[0]["path"] == "/api/v3/users/%s/tokens" % USER["instanceUid"]


@pytest.mark.parametrize("api, friendly", [
    ("CompanyOwner", "company_owner"), ("companyOwner", "company_owner"), ("PortalReadonlyOperator", "portal_readonly_operator"),
    ("SomeFutureRole", "some_future_role"), (None, None),
])
def test_role_spelling(api, friendly):
    assert _veeam.from_api(_veeam.ROLES, api) == friendly


def test_friendly_user_and_back():
    user = _veeam.friendly_user(dict(USER, status="disabled", mfaPolicyStatus="EnabledByInheritance"))
    assert user["status"] == "disabled" and user["mfa_policy"] == "enabled_by_inheritance" and user["title"] == "mr"
    assert user["mfa_configuration"] == "not_configured" and "password" not in user
    assert _veeam.to_wire({"status": "disabled", "email": "a@b.co", "password": "x", "uid": "ignored"}) == {
        "status": "Disabled", "profile": {"email": "a@b.co"}, "credentials": {"password": "x"}}


@pytest.mark.parametrize("address, ok", [
    ("j.brown@exon.com", True), ("first.last+tag@sub.example.org", True), ('"quoted"@example.com', True),
    ("no-at-sign.example.com", False), ("x..y@example.com", False), ("a@b", False), (".a@example.com", False),
])
def test_email_pattern(address, ok):
    import re
    assert bool(re.match(_veeam.EMAIL_PATTERN, address)) is ok


# -- issue 10: the login is retried, a wrong api_url path gets a hint ---------------------------

@pytest.mark.parametrize("failure", [(503, {"errors": [{"message": "busy"}]}, {}), (500, None, {}), "drop"])
def test_password_login_is_retried_like_a_read(vspc, sleeps, failure):
    vspc.on("POST", "/token", failure, token_answer())
    vspc.on("GET", "/users/me", (200, {"data": USER}, {}))
    api = make_api(vspc, sleeps, api_username="vspcadmin", api_password=PASSWORD)
    assert api.current_user()["userName"] == "j.smith"
    assert [s["path"] for s in vspc.seen] == ["/api/v3/token", "/api/v3/token", "/api/v3/users/me"]
    assert len(sleeps) == 1


def test_refresh_grant_is_not_retried(vspc, sleeps):
    vspc.on("POST", "/token", (503, {"errors": [{"message": "busy"}]}, {}), token_answer())
    api = make_api(vspc, sleeps, api_token=API_KEY)
    with pytest.raises(ApiError) as info:
        api.refresh("Unit-Refresh-Token-2b8d4e6f10")
    assert info.value.status == 503 and len(vspc.seen) == 1 and sleeps == []


def test_wrong_path_in_api_url_gets_a_hint(vspc, sleeps):
    # The console answers a path it does not know with its JSON 404 envelope.
    api = make_api(vspc, sleeps, api_url=vspc.url + "/vspc", api_username="vspcadmin", api_password=PASSWORD)
    with pytest.raises(ApiError) as info:
        api.login()
    text = str(info.value)
    assert text.startswith("POST /vspc/api/v3/token (HTTP 404): no route for POST /vspc/api/v3/token [code 404]. Hint: check api_url")
    assert "for example https://vspc.example.com:1280 (the module adds /api/v3 itself)." in text
    with_token = make_api(vspc, sleeps, api_url=vspc.url + "/vspc", api_token=API_KEY)
    for call in (lambda: with_token.list_users(name="j.smith"), with_token.current_user):
        with pytest.raises(ApiError) as info:
            call()
        assert info.value.status == 404 and info.value.hint == _veeam.HINT_404


def test_missing_user_404_gets_no_api_url_hint(vspc, sleeps):
    vspc.on("PATCH", "/users/.*", (404, {"errors": [{"message": "User does not exist.", "code": 1100}]}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    with pytest.raises(ApiError) as info:
        api.patch_user(USER["instanceUid"], [])
    assert info.value.hint is None


def test_failed_poll_says_the_write_was_accepted(vspc, sleeps):
    vspc.on("PATCH", "/users/[^/]+", (202, None, {"Location": "/api/v3/asyncActions/abc"}))
    vspc.on("GET", "/asyncActions/abc", (503, {"errors": [{"message": "busy"}]}, {}))
    api = make_api(vspc, sleeps, api_token=API_KEY)
    with pytest.raises(ApiError) as caught:
        api.patch_user(USER["instanceUid"], [{"op": "replace", "path": "/status", "value": "Enabled"}])
    text = str(caught.value)
    assert text.startswith("GET /api/v3/asyncActions/abc (HTTP 503): busy (after 3 retries). ")
    assert ("The server had accepted PATCH /api/v3/users/%s as async action abc, so it may have been applied"
            % USER["instanceUid"]) in text


def test_bulk_element_picks_its_own_organizations_user(vspc, sleeps):
    # VSPC allows one user name in several companies: a bulk element must meet its own, never the namesake.
    other = "8b27e4d9-1c53-4a6e-b9f0-5d2a7c3e8f14"
    listed = [{"name": "bob", "uid": "u-1", "organization_uid": other}, {"name": "bob", "uid": "u-2", "organization_uid": ORG}]
    users = _veeam.PortalUsers(make_api(vspc, sleeps, api_token=API_KEY))
    assert users.complete({"name": "bob", "organization_uid": ORG}, listed)["uid"] == "u-2"
    assert users.complete({"name": "bob", "organization_uid": "3f9d2c1a-6b84-4e7f-a2d5-c81e90b4f6a3"}, listed) is None
    with pytest.raises(InputError, match="Several users are called 'bob'.*Set organization or organization_uid"):
        users.complete({"name": "bob"}, listed)


def test_one_name_in_two_organizations_is_two_accounts():
    spec = _veeam.PORTAL_USER
    assert spec.identity({"name": "Bob", "organization": "Acme Corp"}) == spec.identity({"name": "bob", "organization": "ACME corp"})
    assert spec.identity({"name": "bob", "organization": "Acme Corp"}) != spec.identity({"name": "bob", "organization": "Globex"})


def test_bulk_element_of_a_missing_organization_never_meets_a_namesake(vspc, sleeps):
    # state=absent in an organization that does not exist: nothing to remove, and above all not bob of ACME.
    vspc.on("GET", "/organizations", collection([]))
    users = _veeam.PortalUsers(make_api(vspc, sleeps, api_token=API_KEY))
    listed = [{"name": "bob", "uid": "u-2", "organization_uid": ORG}]
    assert users.complete({"name": "bob", "organization": "Gone Corp", "state": "absent"}, listed) is None


def test_bulk_element_with_a_uid_meets_that_user_only(vspc, sleeps):
    users = _veeam.PortalUsers(make_api(vspc, sleeps, api_token=API_KEY))
    mine = "5f0e2a4c-9b7d-4c1e-8a3f-6d2b9e1c7a50"
    listed = [{"name": "bob", "uid": mine, "organization_uid": ORG}]
    assert users.complete({"name": "bob", "uid": mine.upper(), "state": "absent"}, listed)["uid"] == mine
    with pytest.raises(InputError, match="uid 0a09.* is not a user called 'bob'; nothing was changed"):
        users.complete({"name": "bob", "uid": "0a09b8c7-d6e5-4f43-a2b1-c0d9e8f7a6b5", "state": "absent"}, listed)


def test_every_managed_option_travels_by_its_wire_spelling():
    spec = _veeam.PORTAL_USER
    assert set(spec.wires) == set(spec.managed)
    assert spec.wires["email"].wire == "profile.email" and spec.wires["backup_resource"].wire == "backupResource"


def test_an_option_without_api_spelling_is_refused_when_the_spec_is_built():
    options = _veeam.PORTAL_USER.options
    with pytest.raises(ValueError, match="option department has no API spelling"):
        _veeam.Spec("portal user", "VSPC", **dict(options, department=_veeam.Option()))
    resource = _veeam.Option("dict", wire="backupResource", options=dict(_veeam.RESOURCE, region=_veeam.Option()))
    with pytest.raises(ValueError, match=r"option backup_resource\.region has no API spelling"):
        _veeam.Spec("portal user", "VSPC", **dict(options, backup_resource=resource))
    # Keys and control options steer the module; they never travel themselves.
    _veeam.Spec("portal user", "VSPC", **dict(options, tenant=_veeam.Option(key=True), force=_veeam.Option("bool", control=True)))
