# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ahsay_user and ahsay_user_info run whole (argument parsing to exit_json); only the HTTP
session is replaced, by a stand-in that answers GetUser from a stored ``Data`` object and
records every request."""

import copy
import json

import pytest
import requests

from ansible_collections.msp.accounts.plugins.modules import ahsay_user, ahsay_user_info

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    import contextlib

    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

API_PASSWORD = "Unit-Ahsay-ApiPass-b81f4c2e9d!"
PASSWORD = "Unit-Ahsay-UserPass-3e7a0c95f1!"
EXPIRED = "Your password has expired and must be changed. Please update in web console or by UpdateSysUser API"

STORED = {
    "AccessToken": "Unit-Access-Token-6b1d8e3f0a", "LoginName": "acme", "Owner": "", "Alias": "ACME",
    "Status": "ENABLE", "Type": "PAID", "ClientType": "OBM", "Language": "en", "Notes": "",
    "UserHome": "/usr/local/cbs/user", "Email": "it@acme.example", "QuotaType": "PER_DESTINATION_QUOTA",
    "StorageQuota": 100, "EnableAUA": False, "HostQuotaEnabled": False, "HostQuota": 0,
    "RunDirectQuotaEnabled": False, "RunDirectQuota": 0,
    "QuotaList": [{"Enabled": True, "Quota": 53687091200, "DestinationName": "AhsayCBS", "DestinationKey": "OBS"}],
    "ModuleSettings": {"MSSQLBackupEnabled": True, "MSHyperVBackupEnabled": False, "MSHyperVVMQuota": 0},
    "ContactList": [
        {"ContactId": "1", "Name": "IT", "Email": "it@acme.example", "Company": "", "Address": "", "Website": "",
         "Phone1": "", "Phone2": ""},
        {"ContactId": "2", "Name": "Jane", "Email": "jane@acme.example", "Company": "", "Address": "", "Website": "",
         "Phone1": "", "Phone2": ""},
    ],
    "UserSuspendSettings": {"Enabled": False, "Date": 0},
    "WindowsEventLogSettings": {"Enabled": False, "LogError": False},
}


class FakeResponse(object):
    def __init__(self, body):
        self.status_code = 200
        self.headers = {"Content-Type": "application/json"}
        self.text = json.dumps(body)

    def json(self):
        return json.loads(self.text)


class FakeServer(object):
    def __init__(self):
        self.users = {}
        self.log = []
        self.error = None

    def __call__(self, method, url, json=None, **kwargs):  # pylint: disable=redefined-outer-name
        name = url.rsplit("/", 1)[-1][:-3]
        self.log.append({"api": name, "body": copy.deepcopy(json)})
        if json.get("SysPwd") != API_PASSWORD:
            return FakeResponse({"Status": "Error", "Message": "Incorrect system username/password",
                                 "ExptType": "com.ahsay.obs.core.dbs.c"})
        if self.error:
            return FakeResponse({"Status": "Error", "Message": self.error, "ExptType": "com.ahsay.obs.core.dbs.c"})
        user = self.users.get(json.get("LoginName"))
        if name in ("GetUser", "UpdateUser", "RemoveUser") and user is None:
            return FakeResponse({"Status": "Error", "ExptType": "com.ahsay.obs.core.dbs.ad",
                                 "Message": "[UserCacheManager.NoSuchUserExpt] User '%s' not found." % json.get("LoginName")})
        if name == "GetUser":
            return FakeResponse({"Status": "OK", "Data": user})
        if name == "ListUsers":
            return FakeResponse({"Status": "OK", "User": list(self.users.values())})
        if name == "RemoveUser":
            del self.users[json["LoginName"]]
        if name == "AddUser":
            self.users[json["LoginName"]] = {"LoginName": json["LoginName"], "Owner": json.get("Owner", "")}
        return FakeResponse({"Status": "OK"})

    @property
    def apis(self):
        return [entry["api"] for entry in self.log]


@pytest.fixture()
def server(monkeypatch):
    fake = FakeServer()
    # An instance (not a function) as class attribute: called without the session.
    monkeypatch.setattr(requests.Session, "request", fake)
    return fake


def run(capsys, module=ahsay_user, **args):
    base = {"api_url": "https://cbs.example.com", "api_username": "system", "api_password": API_PASSWORD}
    base.update(args)
    with patch_module_args(base):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


def warnings(result):
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


def create_args(**extra):
    args = dict(name="newco", password=PASSWORD, client_type="obm", user_type="paid", alias="New Co",
                destination_quotas=[{"key": "OBS", "enabled": True, "quota": "50 GB"}])
    args.update(extra)
    return args


def test_create_sends_getuser_then_adduser(capsys, server):
    result = run(capsys, _ansible_diff=True, **create_args(modules={"mssql": True}))
    assert result["changed"] is True
    assert server.apis == ["GetUser", "AddUser"]
    body = server.log[1]["body"]
    assert body["LoginName"] == "newco" and body["Password"] == PASSWORD
    assert body["DisplayName"] == "New Co" and body["Type"] == "PAID" and body["EnableMSSQL"] is True
    assert body["QuotaList"] == [{"DestinationKey": "OBS", "Enabled": True, "Quota": 53687091200}]
    assert "Owner" not in body
    assert result["user"]["name"] == "newco" and result["user"]["modules"] == {"mssql": True}
    assert result["diff"]["after"]["password"] == "<changed>"
    assert PASSWORD not in json.dumps(result)


def test_create_with_options_adduser_lacks_adds_one_updateuser(capsys, server):
    result = run(capsys, owner="reseller1", contacts=[{"email": "it@new.example", "name": "IT"}], suspend_at="2031-01-31",
                 **create_args())
    assert result["changed"] is True
    assert server.apis == ["GetUser", "AddUser", "UpdateUser"]
    assert server.log[1]["body"]["Owner"] == "reseller1"
    update = server.log[2]["body"]
    assert update["Owner"] == "reseller1" and update["AppendContact"] == "N"
    assert update["UserSuspendSettings"]["Enabled"] is True


def test_check_mode_create_sends_only_the_read(capsys, server):
    result = run(capsys, _ansible_check_mode=True, _ansible_diff=True, **create_args())
    assert result["changed"] is True
    assert server.apis == ["GetUser"]
    assert result["diff"]["before"] == {}


def test_creation_needs_a_password_and_a_quota_list(capsys, server):
    result = run(capsys, name="newco", destination_quotas=[{"key": "OBS", "enabled": True}])
    assert result["failed"] and "password is required" in result["msg"]
    result = run(capsys, name="newco", password=PASSWORD)
    assert result["failed"] and "destination_quotas is required" in result["msg"]
    assert set(server.apis) == {"GetUser"}


def test_creation_needs_the_quota_of_every_enabled_destination(capsys, server):
    result = run(capsys, **create_args(destination_quotas=[{"key": "OBS", "enabled": True, "quota": "5 GB"},
                                                           {"key": "-1532572537100", "enabled": True}]))
    assert result["failed"] and result["msg"].startswith("destination_quotas[1] (key -1532572537100): quota is required")
    assert server.apis == ["GetUser"]
    disabled = run(capsys, **create_args(destination_quotas=[{"key": "OBS", "enabled": False}]))
    assert disabled["changed"] is True and server.apis[-1] == "AddUser"


def test_identical_run_reads_once(capsys, server):
    server.users["acme"] = copy.deepcopy(STORED)
    result = run(capsys, name="acme", password=PASSWORD, alias="ACME", status="enabled", user_type="paid",
                 modules={"mssql": True, "hyperv": False}, destination_quotas=[{"key": "OBS", "enabled": True, "quota": "50 GB"}],
                 contacts=[{"email": "JANE@acme.example", "name": "Jane"}, {"email": "it@acme.example"}],
                 suspend_at="never", windows_event_log={"enabled": False}, email="it@acme.example")
    assert result["changed"] is False
    assert server.apis == ["GetUser"]
    assert "AccessToken" not in json.dumps(result) and "Unit-Access-Token" not in json.dumps(result)
    assert warnings(result) == []


def test_update_sends_only_what_differs_in_the_updateuser_spelling(capsys, server):
    server.users["acme"] = copy.deepcopy(STORED)
    result = run(capsys, name="acme", modules={"mssql": True, "hyperv": True}, hyperv_quota=4, notes="moved",
                 _ansible_diff=True)
    assert result["changed"] is True
    assert server.apis == ["GetUser", "UpdateUser"]
    assert server.log[1]["body"] == {"SysUser": "system", "SysPwd": API_PASSWORD, "LoginName": "acme", "Notes": "moved",
                                     "ModuleSettings": {"MSHyperVBackupEnabled": True, "MSHyperVVMQuota": 4}}
    assert result["diff"]["before"]["modules"] == {"mssql": True, "hyperv": False}
    assert result["diff"]["after"]["modules"] == {"mssql": True, "hyperv": True}
    assert result["user"]["hyperv_quota"] == 4


def test_password_on_create_is_not_sent_again_but_always_is(capsys, server):
    server.users["acme"] = copy.deepcopy(STORED)
    assert run(capsys, name="acme", password=PASSWORD)["changed"] is False
    result = run(capsys, name="acme", password=PASSWORD, update_password="always", _ansible_diff=True)
    assert result["changed"] is True
    assert server.log[-1]["body"]["Password"] == PASSWORD
    assert result["diff"]["after"] == {"password": "<changed>"}
    assert PASSWORD not in json.dumps(result)


def test_contacts_append_only_missing(capsys, server):
    server.users["acme"] = copy.deepcopy(STORED)
    result = run(capsys, name="acme", contacts=[{"email": "new@acme.example", "name": "New"}], purge_contacts=False)
    assert result["changed"] is True
    body = server.log[-1]["body"]
    assert body["AppendContact"] == "Y" and body["Contact"] == [{"Name": "New", "Email": "new@acme.example"}]
    assert [c["email"] for c in result["user"]["contacts"]] == ["it@acme.example", "jane@acme.example", "new@acme.example"]


def test_suspend_via_updateuser_status(capsys, server):
    server.users["acme"] = copy.deepcopy(STORED)
    result = run(capsys, name="acme", status="suspended")
    assert result["changed"] is True
    assert server.log[-1]["body"]["Status"] == "SUSPENDED"
    assert server.apis == ["GetUser", "UpdateUser"]


def test_email_of_an_existing_user_is_not_sent_but_warned_about(capsys, server):
    server.users["acme"] = copy.deepcopy(STORED)
    result = run(capsys, name="acme", email="other@acme.example")
    assert result["changed"] is False and server.apis == ["GetUser"]
    assert any("only used when a backup user is created" in w for w in warnings(result))


@pytest.mark.parametrize("args, message", [
    (dict(destination_quotas=[{"key": "OBS", "enabled": True}, {"key": "OBS", "enabled": False}]), "more than once"),
    (dict(destination_quotas=[{"key": "OBS", "quota": 5}]), "enabled is required"),
    (dict(destination_quotas=[{"key": "OBS", "enabled": True, "quota": -1}]), "quota must be 0 or more"),
    (dict(destination_quotas=[{"key": "OBS", "enabled": True, "quota": "many"}]), "quota must be 0 or more"),
    (dict(modules={"hyperv": True}), "modules.hyperv=true requires hyperv_quota"),
    (dict(modules={"office365_mail": True}), "requires office365_mail_quota"),
    (dict(run_direct_quota_enabled=True), "requires run_direct_quota"),
    (dict(quota_type="total"), "quota_type=total requires storage_quota"),
    (dict(storage_quota=-3), "storage_quota must be 0 or more"),
    (dict(suspend_at="soon"), "suspend_at:"),
    (dict(contacts=[{"email": "a@x.example"}, {"email": "A@x.example"}]), "each email may appear once"),
    (dict(status="active"), "status"),
    (dict(modules={"floppy": True}), "floppy"),
])
def test_bad_input_fails_before_any_request(capsys, server, args, message):
    result = run(capsys, name="acme", password=PASSWORD, **args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert server.log == []
    assert PASSWORD not in json.dumps(result)


def test_unknown_module_lists_the_valid_names(capsys, server):
    result = run(capsys, name="acme", modules={"floppy": True})
    assert "floppy" in result["msg"] and "mssql" in result["msg"] and "proxmox" in result["msg"]


def test_server_message_is_shown_verbatim_without_secrets(capsys, server):
    server.error = EXPIRED
    result = run(capsys, name="acme", password=PASSWORD)
    assert result["failed"] is True
    assert EXPIRED in result["msg"] and "/obs/api/json/2/GetUser.do" in result["msg"] and "Hint:" in result["msg"]
    assert "com.ahsay.obs.core.dbs.c" in result["msg"]
    assert PASSWORD not in json.dumps(result) and API_PASSWORD not in json.dumps(result)


def test_bad_credentials(capsys, server):
    result = run(capsys, name="acme", api_password="Unit-Wrong-Pass-0f3e9a7c5b!")
    assert result["failed"] is True and "Incorrect system username/password" in result["msg"]
    assert "Unit-Wrong-Pass" not in json.dumps(result)


def test_delete_then_delete_again(capsys, server):
    server.users["acme"] = copy.deepcopy(STORED)
    check = run(capsys, name="acme", state="absent", _ansible_check_mode=True, _ansible_diff=True)
    assert check["changed"] is True and server.apis == ["GetUser"]
    assert check["diff"]["after"] == {} and check["user"] == {}
    assert check["diff"]["before"]["modules"] == {"mssql": True, "hyperv": False}
    assert check["diff"]["before"]["alias"] == "ACME"
    assert run(capsys, name="acme", state="absent")["changed"] is True
    assert server.apis[-2:] == ["GetUser", "RemoveUser"] and server.log[-1]["body"]["LoginName"] == "acme"
    again = run(capsys, name="acme", state="absent")
    assert again["changed"] is False and server.apis[-1] == "GetUser"


def test_info_one_user_and_list(capsys, server):
    server.users["acme"] = copy.deepcopy(STORED)
    one = run(capsys, module=ahsay_user_info, name="acme")
    assert [u["name"] for u in one["users"]] == ["acme"]
    assert server.apis == ["GetUser"]
    none = run(capsys, module=ahsay_user_info, name="nobody")
    assert none["users"] == []
    listed = run(capsys, module=ahsay_user_info, search="ac", owner="reseller1", client_type="obm")
    assert [u["name"] for u in listed["users"]] == ["acme"]
    assert server.log[-1]["body"]["searchStr"] == "ac" and server.log[-1]["body"]["reseller"] == "reseller1"
    assert server.log[-1]["body"]["ClientType"] == "OBM"
    assert "Unit-Access-Token" not in json.dumps(listed)
