# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared module flow, driven through a minimal module whose platform is an in-memory store."""

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.msp.accounts.plugins.module_utils import _base, _diff, _spec
from ansible_collections.msp.accounts.plugins.module_utils._http import ApiError, InputError

PASSWORD = "Unit-Base-Pass-6e2a8c4d1f!"
NEW_PASSWORD = "Unit-Base-Pass-New-0b9d7e3c5a!"


class StoreApi(object):
    """Stands in for a platform facade: a dict of users plus a log of calls."""

    users = {}
    calls = []
    created = []
    fail_with = None

    def __init__(self, check_mode):
        self.check_mode = check_mode
        self.warnings = ["a warning from the platform"]

    @classmethod
    def from_params(cls, params, check_mode=False, secrets=()):
        cls.created.append(check_mode)
        return cls(check_mode)

    def record(self, name, *args):
        if self.fail_with is not None:
            raise self.fail_with
        if name not in ("get", "list") and self.check_mode:
            raise AssertionError("write in check mode")
        self.calls.append((name,) + args)


class DemoUsers(_spec.Adapter):
    """A minimal account type whose platform is the in-memory store."""

    spec = _spec.Spec(
        "user", "Demo", wired=False,  # its values live in StoreApi, never on a wire
        name=_spec.Option(required=True, key=True),
        state=_spec.Option(default="present", choices=["present", "absent"], control=True),
        status=_spec.Option(choices=["enabled", "disabled"]),
        email=_spec.Option(),
        group=_spec.Option(),
        password=_spec.Option(secret=True),
        update_password=_spec.Option(default="on_create", choices=["on_create", "always"], no_log=False, control=True),
    )

    def validate(self, params):
        if params["email"] == "invalid":
            raise InputError("email: not an address")

    def find(self, params):
        self.api.record("get", params["name"])
        user = StoreApi.users.get(params["name"])
        return dict(user) if user else None

    def create(self, params, desired):
        self.api.record("create", sorted(dict(desired, name=params["name"])))
        StoreApi.users[params["name"]] = dict(desired, name=params["name"])

    def update(self, params, current, change):
        self.api.record("update", sorted(change))
        StoreApi.users[current["name"]].update(change)

    def delete(self, params, current):
        self.api.record("delete", current["name"])
        del StoreApi.users[current["name"]]

    def public(self, params, obj):
        return dict(self.spec.public(obj), name=params["name"])


class DemoModule(_base.AccountModule):
    platform = "veeam"
    api_class = StoreApi
    adapter = DemoUsers


@pytest.fixture(autouse=True)
def store():
    StoreApi.users = {}
    StoreApi.calls = []
    StoreApi.created = []
    StoreApi.fail_with = None
    yield StoreApi


def run(capsys, **args):
    base = {"api_url": "https://vspc.example.com:1280", "api_token": "Unit-Token-1c5e9a7b3d!"}
    base.update(args)
    with patch_module_args(base):
        with pytest.raises(SystemExit):
            DemoModule().run()
    out = capsys.readouterr().out
    return json.loads(out)


def warnings(result):
    """Warning texts of a result (plain strings before ansible-core 2.19, events since)."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


def test_create_then_noop(capsys, store):
    result = run(capsys, name="ann", status="enabled", email="a@example.com", password=PASSWORD, _ansible_diff=True)
    assert result["changed"] is True
    assert result["user"] == {"name": "ann", "status": "enabled", "email": "a@example.com"}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["password"] == _diff.CHANGED
    assert store.calls == [("get", "ann"), ("create", ["email", "name", "password", "status"])]
    assert warnings(result) == ["a warning from the platform"]

    store.calls[:] = []
    store.users["ann"]["status"] = "Enabled"  # the API answers in its own case
    again = run(capsys, name="ann", status="enabled", email="a@example.com", password=PASSWORD)
    assert again["changed"] is False
    assert again["msg"] == "user 'ann' up to date"
    assert store.calls == [("get", "ann")]  # on_create: the password is not sent again


def test_update_sends_only_the_change(capsys, store):
    store.users["ann"] = {"name": "ann", "status": "enabled", "email": "a@example.com"}
    result = run(capsys, name="ann", status="disabled", email="a@example.com", _ansible_diff=True)
    assert result["changed"] is True
    assert store.calls == [("get", "ann"), ("update", ["status"])]
    assert result["diff"] == {
        "before": {"status": "enabled", "email": "a@example.com"},
        "after": {"status": "disabled", "email": "a@example.com"},
    }
    assert result["user"]["status"] == "disabled"
    assert result["msg"] == "user 'ann' updated (status)"


def test_update_password_always_is_a_change_without_showing_it(capsys, store):
    store.users["ann"] = {"name": "ann"}
    result = run(capsys, name="ann", password=NEW_PASSWORD, update_password="always", _ansible_diff=True)
    assert result["changed"] is True
    assert store.calls[-1] == ("update", ["password"])
    assert NEW_PASSWORD not in json.dumps(result)
    assert result["diff"]["after"]["password"] == _diff.CHANGED


def test_check_mode_predicts_without_writing(capsys, store):
    store.users["bob"] = {"name": "bob", "status": "enabled"}
    created = run(capsys, name="ann", email="a@example.com", _ansible_check_mode=True, _ansible_diff=True)
    changed = run(capsys, name="bob", status="disabled", _ansible_check_mode=True)
    removed = run(capsys, name="bob", state="absent", _ansible_check_mode=True, _ansible_diff=True)
    assert created["changed"] and changed["changed"] and removed["changed"]
    assert created["user"] == {"name": "ann", "email": "a@example.com"}
    assert changed["user"]["status"] == "disabled"
    assert removed["diff"] == {"before": {"status": "enabled"}, "after": {}}  # the key (name) is no managed field
    assert removed["msg"] == "user 'bob' would be removed"
    assert created["msg"] == "user 'ann' would be created"
    assert [c[0] for c in store.calls] == ["get", "get", "get"]
    assert store.created == [True, True, True]
    assert store.users == {"bob": {"name": "bob", "status": "enabled"}}


def test_absent(capsys, store):
    store.users["ann"] = {"name": "ann"}
    assert run(capsys, name="ann", state="absent")["changed"] is True
    assert store.users == {}
    again = run(capsys, name="ann", state="absent")
    assert again["changed"] is False and again["user"] == {}
    assert again["msg"] == "user 'ann' absent already"


@pytest.mark.parametrize("check_mode", [False, True])
def test_action_says_what_was_done_or_would_be(capsys, store, check_mode):
    store.users["bob"] = {"name": "bob", "status": "enabled"}
    actions = [run(capsys, _ansible_check_mode=check_mode, **args)["action"] for args in (
        dict(name="ann", status="enabled"), dict(name="bob", status="disabled"), dict(name="bob", state="absent"),
        dict(name="carl", state="absent"))]
    store.users["bob"] = {"name": "bob", "status": "enabled"}
    actions.append(run(capsys, name="bob", status="enabled", _ansible_check_mode=check_mode)["action"])
    assert actions == ["created", "updated", "removed", "unchanged", "unchanged"]


def test_validation_fails_before_any_request(capsys, store):
    result = run(capsys, name="ann", email="invalid")
    assert result["failed"] is True
    assert result["msg"] == "email: not an address"
    assert store.created == [] and store.calls == []


def test_api_error_becomes_a_clean_failure(capsys, store):
    store.fail_with = ApiError("User 'ann' not found.", "POST", "/obs/api/json/2/GetUser.do", 200)
    result = run(capsys, name="ann")
    assert result["failed"] is True
    assert result["msg"] == "POST /obs/api/json/2/GetUser.do (HTTP 200): User 'ann' not found."
    assert result["api_error"] == {"method": "POST", "path": "/obs/api/json/2/GetUser.do", "status": 200, "message": "User 'ann' not found."}


def test_input_error_becomes_a_failure(capsys, store):
    store.fail_with = InputError("organization 'Nope' does not exist")
    result = run(capsys, name="ann")
    assert result["failed"] is True and result["msg"] == "organization 'Nope' does not exist"


def test_a_bug_keeps_its_traceback(store):
    # A ValueError from a bug is not input to report: it must not turn into a clean failure.
    store.fail_with = ValueError("a bug")
    args = {"api_url": "https://vspc.example.com:1280", "api_token": "Unit-Token-1c5e9a7b3d!", "name": "ann"}
    with patch_module_args(args):
        with pytest.raises(ValueError, match="a bug"):
            DemoModule().run()


def test_http_url_warns(capsys):
    result = run(capsys, name="ann", api_url="http://vspc.example.com")
    assert any("http://" in w for w in warnings(result))


def test_connection_spec_env_fallbacks(monkeypatch, capsys, store):
    monkeypatch.setenv("VEEAM_API_URL", "https://from-env.example.com")
    monkeypatch.setenv("VEEAM_API_TOKEN", "Env-Token-4d8b2f6a0c!")
    with patch_module_args({"name": "ann"}):
        with pytest.raises(SystemExit):
            module = DemoModule()
            assert module.params["api_url"] == "https://from-env.example.com"
            module.run()
    assert json.loads(capsys.readouterr().out)["changed"] is True


def test_connection_specs_per_platform():
    ahsay = _base.connection_argument_spec("ahsay")
    assert ahsay["api_password"]["no_log"]
    # Needed, yet not required in the spec, so that the environment can give them (checked before any request).
    for platform in ("ahsay", "veeam", "aaa"):
        spec = _base.connection_argument_spec(platform)
        assert [key for key in spec if spec[key].get("required")] == []
    assert "api_token" not in ahsay and "client_cert" not in ahsay
    veeam = _base.connection_argument_spec("veeam")
    assert veeam["api_token"]["no_log"] is True
    assert veeam["api_url"]["fallback"][1] == ["VEEAM_API_URL"]
    aaa = _base.connection_argument_spec("aaa")
    assert aaa["client_cert"]["fallback"][1] == ["AAA_CLIENT_CERT"]
    assert _base.connection_rules("aaa")["required_one_of"] == [("api_username", "client_cert")]
    assert _base.connection_rules("ahsay") == {}


def test_missing_credentials_fail(capsys, store, monkeypatch):
    for name in ("VEEAM_API_TOKEN", "VEEAM_API_USERNAME", "VEEAM_API_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with patch_module_args({"name": "ann", "api_url": "https://x"}):
        with pytest.raises(SystemExit):
            DemoModule().run()
    result = json.loads(capsys.readouterr().out)
    # Nothing given at all: the same message as for empty values, naming the environment variables.
    assert result["failed"] and result["msg"] == (
        "no credentials were given: set api_token (VEEAM_API_TOKEN) or api_username and api_password "
        "(VEEAM_API_USERNAME, VEEAM_API_PASSWORD).")
    assert store.created == []


def test_missing_api_url_fails_before_any_request(capsys, store, monkeypatch):
    monkeypatch.delenv("VEEAM_API_URL", raising=False)
    with patch_module_args({"name": "ann", "api_token": "Unit-Token-1c5e9a7b3d!"}):
        with pytest.raises(SystemExit):
            DemoModule().run()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert result["msg"] == ("api_url is required: set api_url or the VEEAM_API_URL environment variable; api_url is the "
                             "server's http:// or https:// URL, for example https://vspc.example.com:1280.")
    assert store.created == [] and store.calls == []
    monkeypatch.setenv("VEEAM_API_URL", "  ")  # an empty credential field, as AWX injects it
    with patch_module_args({"name": "ann", "api_token": "Unit-Token-1c5e9a7b3d!"}):
        with pytest.raises(SystemExit):
            DemoModule().run()
    assert "api_url is required: set api_url or the VEEAM_API_URL" in json.loads(capsys.readouterr().out)["msg"]
    assert store.created == []


class DemoAhsay(DemoModule):
    platform = "ahsay"


@pytest.mark.parametrize("given, text", [
    ({}, "api_username and api_password are required: set them or the environment variables AHSAY_API_USERNAME and "
         "AHSAY_API_PASSWORD."),
    ({"api_username": "system"}, "api_password is required: set api_password or the AHSAY_API_PASSWORD environment variable."),
    ({"api_username": "system", "api_password": ""},
     "api_password is required: set api_password or the AHSAY_API_PASSWORD environment variable.")])
def test_ahsay_needs_username_and_password(capsys, store, monkeypatch, given, text):
    for name in ("AHSAY_API_USERNAME", "AHSAY_API_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    args = {"name": "ann", "api_url": "https://backup.example.com"}
    args.update(given)
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            DemoAhsay().run()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert result["msg"] == text
    assert store.created == [] and store.calls == []


def test_ahsay_credentials_from_the_environment(capsys, store, monkeypatch):
    monkeypatch.setenv("AHSAY_API_URL", "https://backup.example.com")
    monkeypatch.setenv("AHSAY_API_USERNAME", "system")
    monkeypatch.setenv("AHSAY_API_PASSWORD", PASSWORD)
    with patch_module_args({"name": "ann"}):
        with pytest.raises(SystemExit):
            DemoAhsay().run()
    result = json.loads(capsys.readouterr().out)
    assert result["changed"] is True and store.calls == [("get", "ann"), ("create", ["name"])]


class DemoInfo(_base.InfoModule):
    platform = "aaa"
    api_class = StoreApi

    def __init__(self, argument_spec=None):
        super(DemoInfo, self).__init__(argument_spec or {"name": {"type": "str"}})

    def list_users(self):
        return [{"name": n} for n in sorted(StoreApi.users)]


def test_info_module(capsys, store):
    store.users.update(ann={}, bob={})
    with patch_module_args({"api_url": "https://ua.example.com", "api_username": "api", "api_password": PASSWORD}):
        with pytest.raises(SystemExit):
            DemoInfo({}).run()
    result = json.loads(capsys.readouterr().out)
    assert result["changed"] is False
    assert result["users"] == [{"name": "ann"}, {"name": "bob"}]
    assert PASSWORD not in json.dumps(result)


def test_abstract_hooks_raise():
    adapter = _spec.Adapter(None)
    adapter.spec = DemoUsers.spec
    for hook, args in (("find", ({},)), ("create", ({}, {})), ("update", ({}, {}, {})), ("delete", ({}, {}))):
        with pytest.raises(NotImplementedError):
            getattr(adapter, hook)(*args)
    with pytest.raises(NotImplementedError):
        object.__new__(_base.InfoModule).list_users()
    with pytest.raises(NotImplementedError):
        _base.BaseModule.execute(object.__new__(_base.AccountModule))
    assert adapter.public({}, None) == {}


@pytest.mark.parametrize("args, text", [
    ({"timeout": 0}, "timeout must be a positive number"),
    ({"retries": -1}, "retries must be 0 or more"),
    ({"ca_path": "/nonexistent/unit-ca.pem"}, "ca_path (or VEEAM_CA_PATH) names '/nonexistent/unit-ca.pem'"),
])
def test_connection_options_judged_before_any_request(capsys, store, args, text):
    result = run(capsys, name="ann", **args)
    assert result["failed"] is True and text in result["msg"]
    assert store.created == [] and store.calls == []


def test_platform_warnings_survive_a_failure(capsys, store):
    class FailingUsers(DemoUsers):
        def find(self, params):
            self.api.warnings.append("the password of api_username was changed")
            raise ApiError("boom", "GET", "/x", 500)

    class FailingAfterWarning(DemoModule):
        adapter = FailingUsers

    base = {"api_url": "https://vspc.example.com:1280", "api_token": "Unit-Token-1c5e9a7b3d!", "name": "ann"}
    with patch_module_args(base):
        with pytest.raises(SystemExit):
            FailingAfterWarning().run()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert "the password of api_username was changed" in warnings(result)


def test_empty_credentials_count_as_unset(capsys, store, monkeypatch):
    # AWX injects an empty string for a credential field left blank.
    monkeypatch.setenv("VEEAM_API_TOKEN", "")
    result = run(capsys, name="ann", api_token="   ")
    assert result["failed"] is True
    assert result["msg"] == ("no credentials were given: set api_token (VEEAM_API_TOKEN) or api_username and api_password "
                             "(VEEAM_API_USERNAME, VEEAM_API_PASSWORD).")
    assert store.created == [] and store.calls == []
    half = run(capsys, name="ann", api_token="Unit-Token-1c5e9a7b3d!", api_username="someone", api_password="")
    assert half["failed"] is True and "api_username and api_password must be given together" in half["msg"]


# -- issue 10: connection input judged before the first request -----------------------------

def run_module(capsys, module_class, args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module_class().run()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("url", ["127.0.0.1:33717", "ftp://vspc.example.com", "https://", "https://:1280", "vspc.example.com",
                                 "https://vspc.example.com:port", "https://vspc.example.com/?x=1", "https://vspc .example.com"])
def test_api_url_that_is_no_http_url_fails_before_any_request(capsys, store, url):
    result = run(capsys, name="ann", api_url=url)
    assert result["failed"] is True
    assert result["msg"].startswith("api_url (or VEEAM_API_URL) must be an http:// or https:// URL with a host name")
    assert "for example https://vspc.example.com:1280" in result["msg"]
    assert store.created == [] and store.calls == []


def test_api_url_message_suggests_the_scheme_and_hides_a_password(capsys, store):
    result = run(capsys, name="ann", api_url="127.0.0.1:33717")
    assert result["msg"].endswith("got '127.0.0.1:33717'. Did you mean 'https://127.0.0.1:33717'?")
    hidden = run(capsys, name="ann", api_url="ftp://admin:Url-Pass-3c1e!@vspc.example.com")
    assert "Url-Pass-3c1e" not in hidden["msg"] and "ftp://********@vspc.example.com" in hidden["msg"]
    odd = run(capsys, name="ann", api_url="admin:Url/Pass@3c1e@vspc.example.com")
    assert "Url/Pass" not in odd["msg"] and "3c1e" not in odd["msg"] and "'********@vspc.example.com'" in odd["msg"]


def test_api_url_surrounding_blanks_are_dropped(capsys, store):
    result = run(capsys, name="ann", api_url="  https://vspc.example.com:1280\n")
    assert result["changed"] is True


@pytest.mark.parametrize("module_class, env, creds", [
    (DemoModule, "VEEAM", {"api_token": "Unit-Token-1c5e9a7b3d!"}),
    (DemoAhsay, "AHSAY", {"api_username": "system", "api_password": PASSWORD}),
    (DemoInfo, "AAA", {"api_username": "api", "api_password": PASSWORD}),
])
@pytest.mark.parametrize("url", [None, "", "   "])
def test_missing_api_url_names_its_environment_variable(capsys, store, module_class, env, creds, url):
    args = dict(creds, name="ann")
    if url is not None:
        args["api_url"] = url
    result = run_module(capsys, module_class, args)
    assert result["failed"] is True
    assert result["msg"].startswith("api_url is required: set api_url or the %s_API_URL environment variable; "
                                    "api_url is the server's http:// or https:// URL, for example https://" % env)
    assert store.created == []


@pytest.mark.parametrize("module_class, env, creds", [
    (DemoModule, "VEEAM", {"api_token": "Unit-Token-1c5e9a7b3d!"}),
    (DemoAhsay, "AHSAY", {"api_username": "system", "api_password": PASSWORD}),
    (DemoInfo, "AAA", {"api_username": "api", "api_password": PASSWORD}),
])
def test_validate_certs_environment_value_that_is_no_boolean_names_the_variable(
        monkeypatch, capsys, store, module_class, env, creds):
    monkeypatch.setenv("%s_VALIDATE_CERTS" % env, "maybe")
    args = dict(creds, name="ann", api_url="https://server.example.com")
    result = run_module(capsys, module_class, args)
    assert result["failed"] is True
    assert result["msg"] == ("the %s_VALIDATE_CERTS environment variable (the default of validate_certs) is 'maybe', which is "
                             "not a boolean: set it to true or false (also yes/no, on/off, 1/0), or unset it." % env)
    assert store.created == []
    # The option given in the task wins: the variable is not read.
    assert "failed" not in run_module(capsys, module_class, dict(args, validate_certs=True))


@pytest.fixture()
def fresh_warnings():
    """ansible-core keeps warnings in a process-wide dict; each module run here is its own process in real life."""
    from ansible.module_utils.common import warnings as core_warnings

    core_warnings._global_warnings.clear()
    yield core_warnings._global_warnings
    core_warnings._global_warnings.clear()


def test_validate_certs_false_warns_once(capsys, store, monkeypatch, fresh_warnings):
    result = run(capsys, name="ann", validate_certs=False)
    assert [w for w in warnings(result) if "validate_certs is false" in w] == [
        "validate_certs is false: the server's certificate is not checked, so credentials could go to an impostor. "
        "Outside a test system, give the server's CA in ca_path instead."]
    monkeypatch.setenv("VEEAM_VALIDATE_CERTS", "no")
    fresh_warnings.clear()
    from_env = run(capsys, name="bob")
    assert sum("validate_certs is false" in w for w in warnings(from_env)) == 1
    fresh_warnings.clear()
    checked = warnings(run(capsys, name="carl", validate_certs=True))
    assert not any("validate_certs" in w for w in checked), checked


def test_ca_path_without_a_pem_certificate_fails_before_any_request(capsys, store, tmp_path):
    garbage = tmp_path / "ca.pem"
    garbage.write_text("not a certificate\n")
    result = run(capsys, name="ann", ca_path=str(garbage))
    assert result["failed"] is True
    assert result["msg"].startswith("ca_path (or VEEAM_CA_PATH) names %r, which holds no PEM certificate" % str(garbage))
    assert "Set ca_path" not in result["msg"]
    assert store.created == []
    # Not used when certificates are not checked.
    assert run(capsys, name="ann", ca_path=str(garbage), validate_certs=False)["changed"] is True


# -- bulk modules ------------------------------------------------------------------------------


class BulkUsers(DemoUsers):
    def list(self, **scope):
        self.api.record("list", sorted(scope.items()))
        return [dict(user) for user in StoreApi.users.values()]


class DemoBulk(_base.BulkModule):
    platform = "veeam"
    api_class = StoreApi
    adapter = BulkUsers
    scope = dict(group=dict(type="str"))
    suspended = {"status": "disabled"}


def run_bulk(capsys, module_class=None, **args):
    base = {"api_url": "https://vspc.example.com:1280", "api_username": "api", "api_password": PASSWORD}
    base.update(args)
    with patch_module_args(base):
        with pytest.raises(SystemExit):
            (module_class or DemoBulk)().run()
    return json.loads(capsys.readouterr().out)


def seed_store(*names):
    for name in names:
        StoreApi.users[name] = {"name": name, "status": "enabled"}


@pytest.mark.parametrize("users, text", [
    ([{"name": "a"}, {"name": "b", "status": "gone"}], "users[1] (name 'b'): value of status must be one of: disabled, enabled, got: gone"),
    ([{"name": "a"}, {"name": "A"}], "users[1] (name 'A'): listed more than once; each account may appear once."),
    ([{"name": " "}], "users[0] (name ' '): name must not be empty or only white space."),
    ([{"name": "a", "email": "invalid"}], "users[0] (name 'a'): email: not an address"),
    ([{"name": "a", "password": ""}], "users[0] (name 'a'): password must not be empty."),
])
def test_bulk_refuses_an_invalid_element_before_any_request(capsys, store, users, text):
    result = run_bulk(capsys, users=users)
    assert result["failed"] is True and result["msg"] == text
    assert store.created == [] and store.calls == []


@pytest.mark.parametrize("args, text", [
    ({"parallel": 0}, "parallel must be from 1 to 32, got 0."),
    ({"parallel": 33}, "parallel must be from 1 to 32, got 33."),
    ({"unlisted_limit": -1}, "unlisted_limit must be 0 or more, got -1."),
    ({"scope": {"group": ""}}, "scope.group must not be empty or only white space; leave it out to consider every user."),
])
def test_bulk_options_judged_before_any_request(capsys, store, args, text):
    result = run_bulk(capsys, users=[{"name": "a"}], **args)
    assert result["failed"] is True and result["msg"] == text and store.calls == []


def test_bulk_converges_with_one_read_and_one_write_per_changed_account(capsys, store):
    seed_store("same", "change", "other", "api")
    for user in StoreApi.users.values():
        user["group"] = "g1"  # what the scope selects; elements that leave group out get it from the scope
    result = run_bulk(capsys, users=[{"name": "same", "status": "enabled"}, {"name": "change", "status": "disabled"},
                                     {"name": "new", "email": "n@example.com", "password": NEW_PASSWORD}],
                      scope={"group": "g1"}, _ansible_diff=True)
    assert result["changed"] is True
    assert [(u["name"], u["action"]) for u in result["users"]] == [("same", "unchanged"), ("change", "updated"), ("new", "created")]
    assert "diff" not in result["users"][0]
    assert result["users"][1]["diff"] == {"before": {"status": "enabled", "group": "g1"},
                                          "after": {"status": "disabled", "group": "g1"}}
    assert result["users"][2]["diff"]["after"]["password"] == _diff.CHANGED
    # Ansible prints each changed account's diff under its name.
    assert [(d["before_header"], d["after"]) for d in result["diff"]] == [
        ("change", {"status": "disabled", "group": "g1"}), ("new", {"email": "n@example.com", "group": "g1", "password": _diff.CHANGED})]
    # Unlisted accounts are only reported by default; the account the module logs in with is never one of them.
    assert result["unlisted"] == [{"name": "other", "action": "kept"}]
    assert result["summary"] == {"created": 1, "updated": 1, "removed": 0, "suspended": 0, "unchanged": 1, "failed": 0}
    assert store.calls[0] == ("list", [("group", "g1")])
    assert sorted(store.calls[1:]) == [("create", ["email", "group", "name", "password"]), ("update", ["status"])]
    assert NEW_PASSWORD not in json.dumps(result) and PASSWORD not in json.dumps(result)


def test_bulk_element_secrets_stay_out_of_ansibles_per_secret_passes(capsys, store, monkeypatch):
    """Ansible scrubs the log line and the result with one pass per no_log value over every string: element
    passwords must not reach those passes (10,000 of them made a task take minutes), yet stay hidden."""
    from ansible.module_utils import basic

    seen = []
    for name in ("remove_values", "heuristic_log_sanitize"):
        original = getattr(basic, name)

        def spy(data, no_log_values=None, _original=original):
            seen.append((data, set(no_log_values or ())))
            return _original(data, no_log_values)
        monkeypatch.setattr(basic, name, spy)
    passwords = ["Unit-Bulk-Element-Pass-%02d-7c1e!" % n for n in range(30)]
    users = [{"name": "u%02d" % n, "email": "u%02d@example.com" % n, "password": pw} for n, pw in enumerate(passwords)]
    users.append({"name": "same-as-api", "email": "s@example.com", "password": PASSWORD})
    result = run_bulk(capsys, users=users)
    assert result["summary"]["created"] == 31
    assert seen and all(secrets <= {PASSWORD} for _data, secrets in seen)
    passed = " ".join(str(data) for data, _secrets in seen)  # what the log line and the result were made of
    assert "(31 elements)" in passed and not any(pw in passed for pw in passwords)
    given = result["invocation"]["module_args"]["users"]
    assert given[0] == {"name": "u00", "email": "u00@example.com", "password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
                        "state": "present", "update_password": "on_create"}  # what it gave, with the defaults
    assert given[-1]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert result["invocation"]["module_args"]["api_password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert not any(pw in json.dumps(result) for pw in passwords + [PASSWORD])


def test_bulk_a_failed_elements_text_is_scrubbed_of_its_password(capsys, store):
    class EchoingUsers(BulkUsers):
        def create(self, params, desired):
            # A server that echoes what it refused, on a path whose client did not know the secret.
            raise ApiError("refused %s for %s" % (params["password"], params["name"]), "POST", "/users", 400)

    class EchoingBulk(DemoBulk):
        adapter = EchoingUsers

    result = run_bulk(capsys, EchoingBulk, users=[{"name": "echo", "email": "e@example.com", "password": NEW_PASSWORD}])
    assert result["failed"] is True and result["users"][0]["action"] == "failed"
    assert result["users"][0]["msg"] == "POST /users (HTTP 400): refused ******** for echo"
    assert NEW_PASSWORD not in json.dumps(result)


def test_bulk_an_elements_password_is_hidden_wherever_its_entry_shows_it(capsys, store):
    leaky = "Leaky-Element-Pass-7f3a@example.com"  # a password that is also the element's e-mail address
    result = run_bulk(capsys, users=[{"name": "leaky", "email": leaky, "password": leaky}], _ansible_diff=True)
    assert result["users"][0]["action"] == "created"
    assert result["users"][0]["diff"]["after"]["email"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert result["diff"][0]["after"]["email"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert leaky not in json.dumps(result)


def test_bulk_check_mode_predicts_with_the_read_only(capsys, store):
    seed_store("a", "b")
    result = run_bulk(capsys, users=[{"name": "a", "status": "disabled"}], unlisted="suspend", _ansible_check_mode=True)
    assert result["changed"] is True and result["summary"]["updated"] == 1 and result["summary"]["suspended"] == 1
    assert result["users"][0]["msg"] == "user 'a' would be updated (status)"
    assert store.calls == [("list", [])] and store.created == [True]


def test_bulk_unlisted_suspend_and_remove_touch_only_the_unlisted(capsys, store):
    seed_store("keep", "gone", "api")
    StoreApi.users["off"] = {"name": "off", "status": "disabled"}
    suspended = run_bulk(capsys, users=[{"name": "keep"}], unlisted="suspend")
    assert suspended["unlisted"] == [{"name": "gone", "action": "suspended"}]  # "off" is suspended already
    assert store.users["gone"]["status"] == "disabled" and store.users["keep"]["status"] == "enabled"
    removed = run_bulk(capsys, users=[{"name": "keep"}], unlisted="remove")
    assert sorted(u["name"] for u in removed["unlisted"]) == ["gone", "off"]
    assert sorted(store.users) == ["api", "keep"]


def test_bulk_unlisted_limit_stops_before_any_write(capsys, store):
    seed_store("keep", "x1", "x2", "x3")
    result = run_bulk(capsys, users=[{"name": "keep", "status": "disabled"}], unlisted="remove", unlisted_limit=2)
    assert result["failed"] is True
    assert result["msg"].startswith("unlisted=remove would affect 3 accounts not in users, more than unlisted_limit (2)")
    assert store.calls == [("list", [])] and len(store.users) == 4


def test_bulk_creation_requirement_fails_before_any_write(capsys, store):
    class StrictUsers(BulkUsers):
        def check_creation(self, params, desired):
            if "password" not in desired:
                raise InputError("password is required to create user %r." % params["name"])

    class StrictBulk(DemoBulk):
        adapter = StrictUsers

    seed_store("a")
    base = {"api_url": "https://vspc.example.com:1280", "api_token": "Unit-Token-1c5e9a7b3d!",
            "users": [{"name": "a", "status": "disabled"}, {"name": "b"}]}
    with patch_module_args(base):
        with pytest.raises(SystemExit):
            StrictBulk().run()
    result = json.loads(capsys.readouterr().out)
    assert result["msg"] == "nothing was changed: users[1] (name 'b'): password is required to create user 'b'."
    assert store.calls == [("list", [])]


def test_bulk_one_failure_does_not_stop_the_others(capsys, store):
    class FlakyUsers(BulkUsers):
        def update(self, params, current, change):
            if params["name"] == "bad":
                raise ApiError("refused by the server", "PATCH", "/users/bad", 409)
            return super(FlakyUsers, self).update(params, current, change)

    class FlakyBulk(DemoBulk):
        adapter = FlakyUsers

    seed_store("bad", "good")
    base = {"api_url": "https://vspc.example.com:1280", "api_token": "Unit-Token-1c5e9a7b3d!",
            "users": [{"name": "bad", "status": "disabled"}, {"name": "good", "status": "disabled"}]}
    with patch_module_args(base):
        with pytest.raises(SystemExit):
            FlakyBulk().run()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == "1 of 2 accounts failed: bad: PATCH /users/bad (HTTP 409): refused by the server"
    assert [u["action"] for u in result["users"]] == ["failed", "updated"]
    assert store.users["good"]["status"] == "disabled" and store.users["bad"]["status"] == "enabled"


def test_bulk_one_name_in_two_places_is_refused_unless_the_adapter_tells_them_apart(capsys, store):
    class TwinUsers(BulkUsers):
        def list(self, **scope):
            self.api.record("list", sorted(scope.items()))
            return [{"name": "bob", "status": "enabled", "where": "a"}, {"name": "bob", "status": "enabled", "where": "b"}]

    class TwinBulk(DemoBulk):
        adapter = TwinUsers

    result = run_bulk(capsys, TwinBulk, users=[{"name": "bob", "status": "disabled"}], unlisted="suspend")
    assert result["failed"] is True and result["msg"] == "2 users are called 'bob'; name each of them uniquely."
    assert store.calls == [("list", [])]


@pytest.mark.parametrize("args, text", [
    ({"users": [], "unlisted": "remove"}, "users is empty, so unlisted=remove would affect every user within scope; "
                                          "nothing was changed. Give the accounts to keep, or use unlisted=keep."),
    ({"users": [{"name": "a", "group": "g2"}], "scope": {"group": "g1"}},
     "users[0] (name 'a'): group g2 is outside scope.group g1; converge it in a task of its own scope."),
])
def test_bulk_never_widens_a_selection(capsys, store, args, text):
    seed_store("a", "b")
    result = run_bulk(capsys, **args)
    assert result["failed"] is True and result["msg"] == text
    assert store.calls == [] and sorted(store.users) == ["a", "b"]


def test_bulk_unlisted_needs_to_know_its_own_login(capsys, store):
    seed_store("a", "b")
    base = {"api_url": "https://vspc.example.com:1280", "api_token": "Unit-Token-1c5e9a7b3d!",
            "users": [{"name": "a"}], "unlisted": "suspend"}
    with patch_module_args(base):
        with pytest.raises(SystemExit):
            DemoBulk().run()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and result["msg"].startswith("unlisted=suspend needs api_username")
    assert store.calls == [] and store.users["b"]["status"] == "enabled"


def test_bulk_never_suspends_its_own_login_given_with_a_company_alias(capsys, store):
    seed_store("keep", "admin", "gone")
    result = run_bulk(capsys, users=[{"name": "keep"}], unlisted="suspend", api_username="acme\\admin")
    assert result["unlisted"] == [{"name": "gone", "action": "suspended"}]
    assert store.users["admin"]["status"] == "enabled"


def test_bulk_two_elements_that_meet_one_account_are_refused(capsys, store):
    class StrippedUsers(BulkUsers):
        spec = _spec.Spec("user", "Demo", wired=False, **dict(DemoUsers.spec.options, name=_spec.Option(
            required=True, key=True, normalise=str.strip)))

    class StrippedBulk(DemoBulk):
        adapter = StrippedUsers

    seed_store("alice")
    result = run_bulk(capsys, StrippedBulk, users=[{"name": " alice", "status": "disabled"}], unlisted="suspend")
    # " alice" from a CSV is alice: she is converged, not suspended as unlisted.
    assert result["users"][0]["action"] == "updated" and result["unlisted"] == []
