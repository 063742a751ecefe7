# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An empty or blank option that picks accounts never widens a selection: every module refuses
it before the first request, naming the option (issue: ahsay_user_info name="" listed every user)."""

import json

import pytest
import requests

from ansible_collections.msp.accounts.plugins.modules import (
    aaa_user_profile, aaa_user_profile_info, ahsay_sysuser, ahsay_sysuser_info, ahsay_user, ahsay_user_info,
    veeam_login, veeam_user, veeam_user_info)

from ansible.module_utils.testing import patch_module_args

UID = "0a093973-274b-4df8-83e2-1316dee0c9a9"
CONNECTION = {
    "ahsay": {"api_url": "https://cbs.example.com", "api_username": "system", "api_password": "Unit-Selector-Pass-5c1e9b7a3d!"},
    "veeam": {"api_url": "https://vspc.example.com:1280", "api_token": "Unit-Selector-Token-8e2f4a6c0b"},
    "aaa": {"api_url": "https://ua.example.com", "api_username": "api", "api_password": "Unit-Selector-Pass-5c1e9b7a3d!"},
}
# (module, platform, the other arguments it needs, the options that pick accounts)
MODULES = [
    (ahsay_user, "ahsay", {"name": "acme", "state": "absent"}, ["name", "owner"]),
    (ahsay_user_info, "ahsay", {}, ["name", "owner", "search", "user_group_id", "policy_group_id"]),
    (ahsay_sysuser, "ahsay", {"name": "ops", "state": "absent"}, ["name"]),
    (ahsay_sysuser_info, "ahsay", {}, ["name"]),
    (veeam_user, "veeam", {"name": "alice", "state": "absent"}, ["name", "uid", "organization", "organization_uid"]),
    (veeam_user_info, "veeam", {}, ["name", "uid", "organization", "organization_uid"]),
    (veeam_login, "veeam", {"state": "absent"}, ["user_uid"]),
    (aaa_user_profile, "aaa", {"name": "alice", "state": "absent"}, ["name"]),
    (aaa_user_profile_info, "aaa", {}, ["name", "user_group"]),
]
CASES = [(m, p, args, option, blank) for m, p, args, options in MODULES for option in options for blank in ("", "   ")]


@pytest.fixture()
def sent(monkeypatch):
    requests_sent = []

    def refuse(session, method, url, **kwargs):
        requests_sent.append((method, url))
        raise AssertionError("no request may be sent")

    monkeypatch.setattr(requests.Session, "request", refuse)
    for prefix in ("AHSAY", "VEEAM", "AAA"):
        for key in ("API_URL", "API_USERNAME", "API_PASSWORD", "API_TOKEN"):
            monkeypatch.delenv("%s_%s" % (prefix, key), raising=False)
    return requests_sent


@pytest.mark.parametrize("module, platform, args, option, blank", CASES,
                         ids=["%s-%s-%r" % (c[0].__name__.rsplit(".", 1)[-1], c[3], c[4]) for c in CASES])
def test_blank_selector_fails_before_any_request(capsys, sent, module, platform, args, option, blank):
    given = dict(CONNECTION[platform], **args)
    given[option] = blank
    with patch_module_args(given):
        with pytest.raises(SystemExit):
            module.main()
    result = json.loads(capsys.readouterr().out)
    assert result.get("failed") is True
    assert result["msg"].startswith("%s must not be empty or only white space" % option)
    if module.__name__.endswith("_info"):
        assert "leave it out to list every user" in result["msg"]
    assert sent == []
