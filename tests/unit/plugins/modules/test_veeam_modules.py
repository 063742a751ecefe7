# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""veeam_user, veeam_user_info and veeam_login run whole against a scripted HTTP server.

The request bodies they send are validated against the vendor's schemas (UserInput, JsonPatch,
the /token form) when the VSPC OpenAPI document is present, and against the simulator's copies.
"""

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.msp.accounts.plugins.modules import veeam_login, veeam_user, veeam_user_info, veeam_users
from ansible_collections.msp.accounts.tests.unit.plugins.modules.veeam_support import (
    FakeVspc, collection, form_as_typed, simulator_schema, token_answer, vendor_schemas,
)

jsonschema = pytest.importorskip("jsonschema")

PASSWORD = "Unit-User-Pass-3c9e17a4b6!"
ADMIN_PASSWORD = "Unit-Admin-Pass-8f2d6b0c41!"
API_KEY = "Unit-Vspc-ApiKey-9a1f5c3e7b2d"
ORG = "3f9d2c1a-6b84-4e7f-a2d5-c81e90b4f6a2"
UID = "2927487f-079e-4d1e-826a-220dc7a7fa6b"
USER = {"instanceUid": UID, "organizationUid": ORG, "userName": "j.smith", "status": "Enabled",
        "mfaPolicyStatus": "Disabled", "mfaPolicyConfigurationStatus": "NotConfigured", "role": "CompanyAdministrator",
        "profile": {"firstName": "John", "lastName": "Smith", "title": "Mr", "email": "j.smith@acme.example.com",
                    "address": None, "phone": None},
        "credentials": {"userName": "j.smith", "password": None}}


@pytest.fixture()
def vspc():
    server = FakeVspc()
    yield server
    server.close()


def run(main, args, capsys):
    """Run a module's main() with ``args``; returns its JSON result (``failed`` set on fail_json)."""
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            main()
    out = capsys.readouterr().out
    return json.loads(out)


def user_args(vspc, **extra):
    args = dict(api_url=vspc.url, api_token=API_KEY, name="j.smith", organization_uid=ORG)
    args.update(extra)
    return args


def validators():
    """(name, validator) pairs for UserInput, JsonPatches and the /token form: vendor and simulator copies."""
    found = {}
    vendor = vendor_schemas()
    if vendor:
        for name in ("UserInput", "JsonPatches", "TokenForm"):
            found["vendor " + name] = (name, jsonschema.Draft7Validator(vendor[name]))
    for name in ("UserInput", "JsonPatches"):
        schema = simulator_schema(name)
        if schema:
            found["simulator " + name] = (name, jsonschema.Draft7Validator(schema))
    return found


def assert_valid(body, kind):
    checked = 0
    for label, (name, validator) in validators().items():
        if name == kind:
            errors = list(validator.iter_errors(body))
            assert not errors, "%s: %s" % (label, [e.message for e in errors])
            checked += 1
    if not checked:
        pytest.skip("no %s schema available" % kind)


def test_create_sends_one_valid_user_input(vspc, capsys):
    vspc.on("GET", "/users", collection([]))
    created = dict(USER, profile=dict(USER["profile"], email="j.smith@acme.example.com"))
    vspc.on("POST", "/users", (200, {"data": created}, {}))
    result = run(veeam_user.main, user_args(vspc, role="company_administrator", first_name="John", last_name="Smith",
                                            title="mr", email="j.smith@acme.example.com", mfa_policy="disabled",
                                            password=PASSWORD, _ansible_diff=True), capsys)
    assert result.get("changed") is True, result
    assert [s["method"] for s in vspc.seen] == ["GET", "POST"]
    body = vspc.seen[1]["body"]
    assert body == {"organizationUid": ORG, "role": "CompanyAdministrator", "mfaPolicyStatus": "Disabled",
                    "credentials": {"userName": "j.smith", "password": PASSWORD},
                    "profile": {"firstName": "John", "lastName": "Smith", "title": "Mr", "email": "j.smith@acme.example.com"}}
    assert_valid(body, "UserInput")
    assert result["user"]["uid"] == UID and result["user"]["role"] == "company_administrator"
    assert result["diff"]["after"]["password"] == "<changed>" and result["diff"]["before"] == {}
    assert PASSWORD not in json.dumps(result)


def test_create_disabled_user_posts_then_patches(vspc, capsys):
    vspc.on("GET", "/users", collection([]))
    vspc.on("POST", "/users", (200, {"data": USER}, {}))
    vspc.on("PATCH", "/users/" + UID, (200, {"data": dict(USER, status="Disabled")}, {}))
    result = run(veeam_user.main, user_args(vspc, role="company_administrator", status="disabled", password=PASSWORD), capsys)
    assert result["changed"] and result["user"]["status"] == "disabled"
    assert [s["method"] for s in vspc.seen] == ["GET", "POST", "PATCH"]
    assert "status" not in vspc.seen[1]["body"]
    assert vspc.seen[2]["body"] == [{"op": "replace", "path": "/status", "value": "Disabled"}]
    assert_valid(vspc.seen[2]["body"], "JsonPatches")


def test_no_change_is_one_request(vspc, capsys):
    vspc.on("GET", "/users", collection([dict(USER, status="enabled", profile=dict(USER["profile"], title="mr"))]))
    result = run(veeam_user.main, user_args(vspc, role="company_administrator", status="enabled", title="mr",
                                            first_name="John", email="j.smith@acme.example.com", password=PASSWORD), capsys)
    assert result.get("changed") is False, result
    assert len(vspc.seen) == 1
    assert PASSWORD not in json.dumps(result)


def test_bulk_wait_timeout_is_the_tasks_and_bounds_each_queued_write(vspc, capsys):
    vspc.on("GET", "/users", collection([USER]))
    vspc.on("PATCH", "/users/" + UID, (202, None, {"Location": "/api/v3/asyncActions/abc"}))
    vspc.on("GET", "/asyncActions/abc", (200, {"data": {"id": "abc", "status": "running"}}, {}))
    args = dict(api_url=vspc.url, api_token=API_KEY, wait_timeout=1,
                users=[{"name": "j.smith", "organization_uid": ORG, "status": "disabled"}])
    result = run(veeam_users.main, args, capsys)
    assert result["failed"] is True and result["users"][0]["action"] == "failed"
    assert "still running after 1 seconds" in result["users"][0]["msg"]
    # An element has no wait_timeout of its own: it would have been ignored.
    vspc.seen[:] = []
    refused = run(veeam_users.main, dict(args, users=[dict(args["users"][0], wait_timeout=5)]), capsys)
    assert refused["failed"] is True and "wait_timeout" in refused["msg"] and vspc.seen == []


def test_change_is_one_patch_with_the_changed_leaves_only(vspc, capsys):
    vspc.on("GET", "/users", collection([USER]))
    vspc.on("PATCH", "/users/" + UID, lambda seen: (200, {"data": dict(USER, status="Disabled", profile=dict(
        USER["profile"], phone="+1 555 0100", title="Ms"))}, {}))
    result = run(veeam_user.main, user_args(vspc, status="disabled", phone="+1 555 0100", title="ms", first_name="John",
                                            _ansible_diff=True), capsys)
    assert result.get("changed") is True, result
    patch = vspc.seen[1]["body"]
    assert sorted(patch, key=lambda op: op["path"]) == [
        {"op": "add", "path": "/profile/phone", "value": "+1 555 0100"},
        {"op": "replace", "path": "/profile/title", "value": "Ms"},
        {"op": "replace", "path": "/status", "value": "Disabled"},
    ]
    assert_valid(patch, "JsonPatches")
    assert result["diff"]["before"]["status"] == "enabled" and result["diff"]["after"]["status"] == "disabled"
    assert result["user"]["phone"] == "+1 555 0100"


def test_password_always_patches_credentials_and_never_shows_it(vspc, capsys):
    vspc.on("GET", "/users", collection([USER]))
    vspc.on("PATCH", "/users/" + UID, (200, {"data": USER}, {}))
    result = run(veeam_user.main, user_args(vspc, password=PASSWORD, update_password="always", _ansible_diff=True), capsys)
    assert result.get("changed") is True, result
    assert vspc.seen[1]["body"] == [{"op": "add", "path": "/credentials/password", "value": PASSWORD}]
    assert_valid(vspc.seen[1]["body"], "JsonPatches")
    assert result["diff"]["after"]["password"] == "<changed>"
    assert PASSWORD not in json.dumps(result)


def test_mfa_disabled_for_a_user_whose_organization_enforces_mfa_fails_without_writing(vspc, capsys):
    inherited = dict(USER, mfaPolicyStatus="EnabledByInheritance")
    vspc.on("GET", "/users", collection([inherited]))
    vspc.on("PATCH", "/users/" + UID, (200, {"data": inherited}, {}))  # what the server would answer: no change
    for check_mode in (False, True):
        result = run(veeam_user.main, user_args(vspc, mfa_policy="disabled", phone="+1 555 0100",
                                                _ansible_check_mode=check_mode), capsys)
        assert result["failed"], result
        assert "cannot get mfa_policy=disabled" in result["msg"] and "enabled_by_inheritance" in result["msg"]
        assert "organization %s requires multi-factor authentication" % ORG in result["msg"]
    assert vspc.writes() == [] and len(vspc.seen) == 2
    # A camelCase answer is the same policy.
    vspc.on("GET", "/users", collection([dict(USER, mfaPolicyStatus="enabledByInheritance")]))
    result = run(veeam_user.main, user_args(vspc, mfa_policy="disabled"), capsys)
    assert result["failed"] and "enabled_by_inheritance" in result["msg"] and vspc.writes() == []


def test_enum_case_and_inherited_mfa_are_no_change(vspc, capsys):
    vspc.on("GET", "/users", collection([dict(USER, status="disabled", role="companyAdministrator",
                                              mfaPolicyStatus="EnabledByInheritance")]))
    result = run(veeam_user.main, user_args(vspc, status="disabled", role="company_administrator", mfa_policy="enabled"), capsys)
    assert result["changed"] is False and len(vspc.seen) == 1


def test_check_mode_create_reads_only(vspc, capsys):
    vspc.on("GET", "/users", collection([]))
    result = run(veeam_user.main, user_args(vspc, role="company_administrator", password=PASSWORD, _ansible_check_mode=True), capsys)
    assert result["changed"] is True and result["user"]["name"] == "j.smith"
    assert vspc.writes() == []


def test_organization_by_name_adds_one_request(vspc, capsys):
    vspc.on("GET", "/organizations", collection([{"instanceUid": ORG, "name": "Acme Corp", "type": "Company"}]))
    vspc.on("GET", "/users", collection([USER]))
    args = user_args(vspc, organization="ACME corp", role="company_administrator")
    del args["organization_uid"]
    result = run(veeam_user.main, args, capsys)
    assert result.get("changed") is False, result
    assert [s["path"] for s in vspc.seen] == ["/api/v3/organizations", "/api/v3/users"]
    assert json.loads(vspc.seen[0]["query"]["filter"]) == [
        {"property": "name", "operation": "equals", "collation": "ignorecase", "value": "ACME corp"}]


def test_role_of_another_organization_type_names_the_type_and_the_roles_that_fit(vspc, capsys):
    vspc.on("GET", "/organizations", collection([{"instanceUid": ORG, "name": "Acme Corp", "type": "Company"}]))
    args = dict(api_url=vspc.url, api_token=API_KEY, name="newone", organization="Acme Corp", role="reseller_owner",
                password=PASSWORD)
    for check_mode in (False, True):
        result = run(veeam_user.main, dict(args, _ansible_check_mode=check_mode), capsys)
        assert result["failed"], result
        assert "no organization called" not in result["msg"]
        assert "Organization 'Acme Corp' (%s) is a Company, and role=reseller_owner is a role of Reseller organizations." % ORG \
            in result["msg"]
        assert "Roles that fit a Company: company_administrator, company_invoice_auditor, company_location_administrator, " \
            "company_location_user, company_owner, company_subtenant, company_tenant." in result["msg"]
        assert PASSWORD not in json.dumps(result)
    assert [s["path"] for s in vspc.seen] == ["/api/v3/organizations"] * 2  # nothing else was asked or written


def test_role_picks_the_organization_among_namesakes_of_other_types(vspc, capsys):
    reseller_uid = "c4e1a7b2-9d36-4f85-8a0c-2b6e5f9d1c37"
    vspc.on("GET", "/organizations", collection([{"instanceUid": ORG, "name": "Acme", "type": "Company"},
                                                 {"instanceUid": reseller_uid, "name": "Acme", "type": "Reseller"}]))
    vspc.on("GET", "/users", collection([]))
    args = dict(api_url=vspc.url, api_token=API_KEY, name="newone", organization="Acme", role="reseller_owner",
                password=PASSWORD, _ansible_check_mode=True)
    result = run(veeam_user.main, args, capsys)
    assert result["changed"] is True and result["user"]["organization_uid"] == reseller_uid
    del args["role"]
    result = run(veeam_user.main, args, capsys)
    assert result["failed"] and "several organizations are called 'Acme'" in result["msg"]


def test_unknown_organization_fails_for_present_and_is_nothing_for_absent(vspc, capsys):
    vspc.on("GET", "/organizations", collection([]))
    args = dict(api_url=vspc.url, api_token=API_KEY, name="j.smith", organization="Nowhere Inc")
    result = run(veeam_user.main, dict(args, role="company_administrator", password=PASSWORD), capsys)
    assert result["failed"] and "no organization called 'Nowhere Inc'" in result["msg"]
    result = run(veeam_user.main, dict(args, state="absent"), capsys)
    assert result["changed"] is False and vspc.writes() == []


def test_rename_fails_clearly_without_writing(vspc, capsys):
    vspc.on("GET", "/users/" + UID, (200, {"data": USER}, {}))
    result = run(veeam_user.main, dict(api_url=vspc.url, api_token=API_KEY, uid=UID, name="john.smith"), capsys)
    assert result["failed"] and "cannot rename" in result["msg"] and "'j.smith'" in result["msg"]
    assert vspc.writes() == []


def test_delete_by_uid_checks_the_name(vspc, capsys):
    vspc.on("GET", "/users/" + UID, (200, {"data": USER}, {}))
    result = run(veeam_user.main, dict(api_url=vspc.url, api_token=API_KEY, uid=UID.upper(), name="someone.else", state="absent"), capsys)
    assert result["failed"] and "does not match the name given; nothing was deleted" in result["msg"]
    assert vspc.seen[0]["path"] == "/api/v3/users/" + UID  # sent in the API's lower-case spelling
    vspc.on("DELETE", "/users/" + UID, (200, {"errors": [], "data": {}, "meta": {}}, {}))
    result = run(veeam_user.main, dict(api_url=vspc.url, api_token=API_KEY, uid=UID, name="J.Smith", state="absent"), capsys)
    assert result["changed"] is True and vspc.seen[-1]["method"] == "DELETE"


def test_same_name_in_two_organizations_needs_the_organization(vspc, capsys):
    other = dict(USER, instanceUid="8b27e4d9-1c53-4a6e-b9f0-5d2a7c3e8f14", organizationUid="c4e1a7b2-9d36-4f85-8a0c-2b6e5f9d1c37")
    vspc.on("GET", "/users", collection([USER, other]))
    result = run(veeam_user.main, dict(api_url=vspc.url, api_token=API_KEY, name="j.smith", status="disabled"), capsys)
    assert result["failed"] and "Several users" in result["msg"]
    assert vspc.writes() == []


@pytest.mark.parametrize("extra, message", [
    (dict(email="not-an-address"), "email 'not-an-address' is not an address"),
    (dict(email="x@example.c"), "is not an address"),
    (dict(email=""), "email cannot be emptied"),
    (dict(name="bad/name"), "not a valid VSPC user name"),
    (dict(name="trailing."), "not a valid VSPC user name"),
    (dict(role="super_user"), "value of role must be one of"),
    (dict(title="dr"), "value of title must be one of"),
    (dict(organization_uid="not-a-uid"), "organization_uid must be a UID"),
    (dict(phone="1" * 513), "phone is longer than VSPC allows"),
    (dict(backup_resource=dict(quota="512 MB")), "at least 1 GB"),
    (dict(role="company_owner", backup_resource=dict(friendly_name="x")), "company_subtenant only"),
])
def test_bad_input_fails_before_any_request(vspc, capsys, extra, message):
    result = run(veeam_user.main, user_args(vspc, **extra), capsys)
    assert result["failed"] and message in result["msg"]
    assert vspc.seen == []


def test_create_needs_role_and_password(vspc, capsys):
    vspc.on("GET", "/users", collection([]))
    result = run(veeam_user.main, user_args(vspc), capsys)
    assert result["failed"] and "needs role, password" in result["msg"]
    assert vspc.writes() == []


def test_delete_and_delete_again(vspc, capsys):
    vspc.on("GET", "/users", collection([USER]), collection([]))
    vspc.on("DELETE", "/users/" + UID, (200, {"errors": [], "data": {}, "meta": {}}, {}))
    result = run(veeam_user.main, user_args(vspc, state="absent"), capsys)
    assert result["changed"] is True and result["user"] == {}
    result = run(veeam_user.main, user_args(vspc, state="absent"), capsys)
    assert result.get("changed") is False, result
    assert [s["method"] for s in vspc.seen] == ["GET", "DELETE", "GET"]


def test_subtenant_backup_resource(vspc, capsys):
    repo = "bbd634fd-e881-4e03-8aaf-bec7beccd5fb"
    vspc.on("GET", "/users", collection([]))
    vspc.on("POST", "/users", (200, {"data": dict(USER, role="CompanySubtenant")}, {}))
    args = user_args(vspc, role="company_subtenant", password=PASSWORD,
                     backup_resource=dict(repository_uid=repo, friendly_name="HQ backups", quota="100 GB"))
    result = run(veeam_user.main, args, capsys)
    body = vspc.seen[1]["body"]
    assert body["backupResource"] == {"tenantBackupResourceUid": repo, "resourceFriendlyName": "HQ backups",
                                      "storageQuota": 100 * 1024 ** 3, "isStorageQuotaUnlimited": False}
    assert_valid(body, "UserInput")
    assert result["user"]["backup_resource"]["quota"] == 100 * 1024 ** 3

    # Existing subtenant: read its resource, patch only the quota.
    vspc.seen[:] = []
    vspc.on("GET", "/users", collection([dict(USER, role="CompanySubtenant")]))
    vspc.on("GET", "/users/%s/backupResource" % UID, (200, {"data": {
        "userUid": UID, "siteUid": None, "tenantBackupResourceUid": repo, "resourceFriendlyName": "HQ backups",
        "storageQuota": 100 * 1024 ** 3, "isStorageQuotaUnlimited": False, "description": None}}, {}))
    vspc.on("PATCH", "/users/%s/backupResource" % UID, (200, {"data": {}}, {}))
    result = run(veeam_user.main, dict(args, backup_resource=dict(friendly_name="HQ backups", quota="200 GB")), capsys)
    assert result.get("changed") is True, result
    assert [s["method"] for s in vspc.seen] == ["GET", "GET", "PATCH"]
    assert vspc.seen[2]["body"] == [{"op": "replace", "path": "/storageQuota", "value": 200 * 1024 ** 3}]


SITE = "9e4c2a71-3b5d-4f86-a0c9-7d1e2f3b4a58"
REPO = "bbd634fd-e881-4e03-8aaf-bec7beccd5fb"


def subtenant_with_resource(vspc, resource):
    vspc.on("GET", "/users", collection([dict(USER, role="CompanySubtenant")]))
    vspc.on("GET", "/users/%s/backupResource" % UID, (200, {"data": dict({"userUid": UID}, **resource)}, {}))
    vspc.on("PATCH", "/users/%s/backupResource" % UID, (200, {"data": {}}, {}))
    vspc.on("PATCH", "/users/" + UID, (200, {"data": dict(USER, role="CompanySubtenant", status="Disabled")}, {}))


def test_backup_resource_patch_adds_members_the_resource_lacks(vspc, capsys):
    # The answer has no description member at all and a null siteUid: "replace" would fail under RFC 6902.
    subtenant_with_resource(vspc, {"siteUid": None, "tenantBackupResourceUid": REPO, "resourceFriendlyName": "HQ backups",
                                   "storageQuota": 100 * 1024 ** 3, "isStorageQuotaUnlimited": False})
    resource = dict(description="Head office", site_uid=SITE, friendly_name="HQ", quota="100 GB")
    result = run(veeam_user.main, user_args(vspc, backup_resource=resource), capsys)
    assert result.get("changed") is True, result
    assert sorted(vspc.seen[2]["body"], key=lambda op: op["path"]) == [
        {"op": "add", "path": "/description", "value": "Head office"},
        {"op": "replace", "path": "/resourceFriendlyName", "value": "HQ"},
        {"op": "add", "path": "/siteUid", "value": SITE},
    ]
    assert_valid(vspc.seen[2]["body"], "JsonPatches")
    jsonpatch = pytest.importorskip("jsonpatch")
    before = {"siteUid": None, "tenantBackupResourceUid": REPO, "resourceFriendlyName": "HQ backups"}
    assert jsonpatch.apply_patch(before, vspc.seen[2]["body"])["description"] == "Head office"


def test_backup_resource_uids_compare_case_insensitively(vspc, capsys):
    subtenant_with_resource(vspc, {"siteUid": SITE.upper(), "tenantBackupResourceUid": REPO.upper(),
                                   "resourceFriendlyName": "HQ backups", "storageQuota": None,
                                   "isStorageQuotaUnlimited": True, "description": None})
    resource = dict(repository_uid=REPO, site_uid=SITE.upper(), friendly_name="HQ backups", unlimited_quota=True)
    result = run(veeam_user.main, user_args(vspc, backup_resource=resource, _ansible_diff=True), capsys)
    assert result.get("changed") is False, result
    assert [s["method"] for s in vspc.seen] == ["GET", "GET"]


def test_user_and_backup_resource_change_is_four_requests_as_documented(vspc, capsys):
    import yaml
    subtenant_with_resource(vspc, {"siteUid": SITE, "tenantBackupResourceUid": REPO, "resourceFriendlyName": "HQ backups",
                                   "storageQuota": None, "isStorageQuotaUnlimited": True, "description": None})
    result = run(veeam_user.main, user_args(vspc, status="disabled", backup_resource=dict(quota="50 GB")), capsys)
    assert result.get("changed") is True, result
    assert [(s["method"], s["path"].rsplit("/", 1)[-1]) for s in vspc.seen] == [
        ("GET", "users"), ("GET", "backupResource"), ("PATCH", UID), ("PATCH", "backupResource")]
    assert vspc.seen[3]["body"] == [{"op": "add", "path": "/storageQuota", "value": 50 * 1024 ** 3},  # it was null
                                    {"op": "replace", "path": "/isStorageQuotaUnlimited", "value": False}]
    notes = " ".join(yaml.safe_load(veeam_user.DOCUMENTATION)["notes"])
    assert "changes both the user and its backup resource sends four requests" in notes
    assert "changes only the resource sends three" in notes


def test_info_reads_every_page(vspc, capsys):
    users = [dict(USER, instanceUid="%08d-0000-4000-8000-000000000000" % n, userName="bulk%04d" % n) for n in range(1201)]

    def page(seen):
        offset, limit = int(seen["query"]["offset"]), int(seen["query"]["limit"])
        return collection(users[offset:offset + limit], offset, total=len(users))

    vspc.on("GET", "/users", page)
    result = run(veeam_user_info.main, dict(api_url=vspc.url, api_token=API_KEY, organization_uid=ORG, status="enabled"), capsys)
    assert len(result["users"]) == 1201 and result["users"][-1]["name"] == "bulk1200"
    assert result["changed"] is False and len(vspc.seen) == 3


def test_login_returns_tokens_also_in_check_mode(vspc, capsys):
    vspc.on("POST", "/token", token_answer())
    args = dict(api_url=vspc.url, api_username="vspcadmin", api_password=ADMIN_PASSWORD)
    for check in (False, True):
        result = run(veeam_login.main, dict(args, _ansible_check_mode=check), capsys)
        assert result.get("changed") is False, result
        assert result["token"] == "Unit-Access-Token-7f3a9c21e5" and result["refresh_token"] == "Unit-Refresh-Token-2b8d4e6f10"
        assert result["expires_in"] == 3600 and result["expires_at"].endswith("Z")
        assert ADMIN_PASSWORD not in json.dumps(result)
    for seen in vspc.seen:
        assert_valid(form_as_typed(seen["body"]), "TokenForm")


def test_login_needs_a_password(vspc, capsys):
    result = run(veeam_login.main, dict(api_url=vspc.url, api_token=API_KEY), capsys)
    assert result["failed"] and "needs api_username and api_password" in result["msg"]
    assert vspc.seen == []


def test_logout_revokes_the_tokens_of_the_caller(vspc, capsys):
    vspc.on("GET", "/users/me", (200, {"data": USER}, {}))
    vspc.on("DELETE", "/users/%s/tokens" % UID, (200, {"data": True}, {}))
    args = dict(api_url=vspc.url, api_token="Unit-Access-Token-7f3a9c21e5", state="absent")
    result = run(veeam_login.main, dict(args, _ansible_check_mode=True), capsys)
    assert result["changed"] is True and vspc.writes() == []
    result = run(veeam_login.main, args, capsys)
    assert result["changed"] is True and result["user_uid"] == UID
    assert [s["method"] for s in vspc.seen] == ["GET", "GET", "DELETE"]


def test_logout_with_a_dead_token_is_no_change(vspc, capsys):
    vspc.on("GET", "/users/me", (401, {"errors": [{"message": "The access token has expired.", "type": "security", "code": 401}]}, {}))
    result = run(veeam_login.main, dict(api_url=vspc.url, api_token="Unit-Access-Token-7f3a9c21e5", state="absent"), capsys)
    assert result["changed"] is False and "nothing to revoke" in result["msg"]
