#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: veeam_login
short_description: Log in to Veeam Service Provider Console once and hand the token to later tasks
version_added: 0.1.0
description:
  - With O(state=present), logs in to Veeam Service Provider Console (VSPC) with one C(POST /api/v3/token)
    (OAuth 2.0 password grant) and returns the access token, the refresh token and the token's lifetime.
  - With O(state=present) and O(refresh_token), exchanges an earlier refresh token for new tokens instead
    (C(grant_type=refresh_token)), so a long run keeps going without sending a password again.
  - Pass RV(token) to the other modules of the collection as O(api_token), for example through C(module_defaults) on
    C(group/msp.accounts.veeam), so that a play logs in once instead of once per task.
  - With O(state=absent), revokes the tokens of the user behind the credentials with
    C(DELETE /api/v3/users/{uid}/tokens) (the user is found with C(GET /api/v3/users/me)). Use it in the C(always)
    section of a block to log out.
  - With O(state=absent) and O(user_uid), revokes the tokens of that other user instead, for example to end the
    sessions of a person who leaves right after disabling the account with M(msp.accounts.veeam_user).
  - B(The results are secrets.) The collection runs this module through an action plugin of the same name that marks
    a successful result C(no_log), so output, callbacks and AWX job events show it as hidden while the registered
    variable still holds the token for later tasks. Failures stay visible; they never contain a token. Setting
    C(no_log=true) on the task as well does no harm and documents the intent. The module itself never writes a token
    to a warning, an error or a log.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.veeam
  - msp.accounts.attributes
  - msp.accounts.attributes.VEEAM_GROUP
attributes:
  check_mode:
    support: full
    details:
      - Logging in changes nothing, so O(state=present) logs in in check mode too, and later tasks of a C(--check) run
        get a real token to read with. With O(refresh_token) that exchange happens in check mode as well, and VSPC may
        then refuse the old refresh token, so keep the new RV(refresh_token).
      - With O(state=absent) nothing is revoked in check mode; the task reports the change it would make. With
        O(user_uid) a check-mode run sends no request at all.
  diff_mode:
    support: none
options:
  state:
    description:
      - V(present) logs in and returns tokens. It needs O(api_username) and O(api_password), or O(refresh_token);
        O(api_token) is not used. The task never reports a change.
      - V(absent) revokes every access and refresh token of the user behind O(api_token) (or behind O(api_username)
        and O(api_password)). Other sessions of the same user must then log in again. When O(api_token) is already
        invalid and no password is given, there is nothing to revoke and the task reports no change.
      - V(absent) with O(user_uid) revokes the tokens of that user instead (see there).
    type: str
    choices: [present, absent]
    default: present
  user_uid:
    description:
      - UID (C(instanceUid)) of another VSPC user whose access and refresh tokens O(state=absent) revokes, with one
        C(DELETE /api/v3/users/{uid}/tokens) made with the module's credentials (O(api_token), or a login with
        O(api_username) and O(api_password)). Every session of that user ends; VSPC lets any role call it for the
        users it can see. Without it, O(state=absent) revokes the tokens of the user behind the credentials.
      - Find the UID with M(msp.accounts.veeam_user_info) (RV(msp.accounts.veeam_user_info#module:users[].uid)).
      - VSPC answers the same whether the user had tokens or not, so the task always reports a change (in check mode
        without sending anything). An unknown UID fails with the server's message (HTTP 404).
      - Only with O(state=absent). Must be a UUID; anything else fails before any request.
    type: str
  refresh_token:
    description:
      - A refresh token from an earlier RV(refresh_token), exchanged with O(state=present) for a new access token and
        a new refresh token (one C(POST /api/v3/token) with C(grant_type=refresh_token)); O(api_username) and
        O(api_password) are then not needed.
      - Refresh tokens last longer than access tokens (48 hours in the vendor's example, one hour for access tokens)
        and may be single-use, so keep the new RV(refresh_token) for the next refresh.
      - When VSPC refuses it (expired, revoked or used already, HTTP 400) and O(api_username) and O(api_password) are
        given too, the module logs in with them instead and warns; without them the task fails with VSPC's message.
      - A secret, never shown in output, warnings or errors. Only with O(state=present).
    type: str
  read_only:
    description:
      - Ask for a read-only access token (C(readOnly=true)); VSPC then refuses every write made with it.
    type: bool
    default: false
notes:
  - Users with a second factor (MFA) cannot log in with a password through the REST API; give such accounts an API
    key and pass it as O(api_token) to the other modules instead.
  - Access tokens of VSPC last one hour by default. For longer runs, give the other modules O(api_username) and
    O(api_password) as well as the token (for example in the same C(module_defaults)); they log in again by themselves
    when the token has expired. Or run this module again with O(refresh_token) before the hour is over.
seealso:
  - module: msp.accounts.veeam_user
  - module: msp.accounts.veeam_user_info
  - name: VSPC REST API, authorization
    description: How the VSPC REST API issues and checks OAuth 2.0 tokens and API keys.
    link: https://helpcenter.veeam.com/references/vac/9.1/rest/tag/SectionOverview
"""

EXAMPLES = r"""
- name: Log in (the result holds secrets, so hide it)
  msp.accounts.veeam_login:
    api_url: https://vspc.example.com:1280
    api_username: "{{ vspc_username }}"
    api_password: "{{ vspc_password }}"
  register: vspc_auth
  no_log: true

- name: Work with the token, log out at the end
  module_defaults:
    group/msp.accounts.veeam:
      api_url: https://vspc.example.com:1280
      api_token: "{{ vspc_auth.token }}"
  block:
    - name: A company user
      msp.accounts.veeam_user:
        name: j.smith
        organization: Alpha Backup Ltd
        role: company_administrator
        password: "{{ vault_jsmith_initial_password }}"

    - name: List the company's users
      msp.accounts.veeam_user_info:
        organization: Alpha Backup Ltd
      register: alpha_users
  always:
    - name: Log out (revokes the tokens of the user)
      msp.accounts.veeam_login:
        state: absent
      no_log: true

- name: Find a person who leaves
  msp.accounts.veeam_user_info:
    name: j.smith
    organization: Alpha Backup Ltd
  register: leaver

- name: Disable the account
  msp.accounts.veeam_user:
    uid: "{{ leaver.users[0].uid }}"
    status: disabled

- name: End the sessions the person still has (always reports a change)
  msp.accounts.veeam_login:
    state: absent
    user_uid: "{{ leaver.users[0].uid }}"

- name: A read-only token for reporting
  msp.accounts.veeam_login:
    api_url: https://vspc.example.com:1280
    api_username: "{{ vspc_report_username }}"
    api_password: "{{ vspc_report_password }}"
    read_only: true
  register: vspc_report_auth
  no_log: true
"""

RETURN = r"""
token:
  description:
    - The access token (C(access_token)), to pass as O(msp.accounts.veeam_user#module:api_token). A secret.
  returned: O(state=present)
  type: str
  sample: eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl
refresh_token:
  description:
    - The refresh token (C(refresh_token)). VSPC exchanges it for new tokens with C(grant_type=refresh_token). A secret.
  returned: O(state=present)
  type: str
  sample: eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl
token_type:
  description: Type of the token; VSPC issues V(bearer) tokens.
  returned: O(state=present)
  type: str
  sample: bearer
expires_in:
  description: Seconds the access token stays valid after the login.
  returned: O(state=present)
  type: int
  sample: 3600
expires_at:
  description: When the access token expires (UTC, ISO 8601), computed from RV(expires_in) and the module's clock.
  returned: O(state=present)
  type: str
  sample: "2026-05-04T13:37:00Z"
user_uid:
  description:
    - UID of the user whose tokens were revoked (in check mode, would be revoked); with O(user_uid), that value.
  returned: O(state=absent), unless the credentials were no longer valid
  type: str
  sample: a5d3f1e7-4c29-4b8a-9e6d-1f7c3b5a2d90
"""

import datetime
import re

from ansible_collections.msp.accounts.plugins.module_utils import _veeam
from ansible_collections.msp.accounts.plugins.module_utils._base import BaseModule
from ansible_collections.msp.accounts.plugins.module_utils._veeam import ApiError


class VeeamLogin(BaseModule):
    api_class = _veeam.VeeamApi
    selectors = ("user_uid",)

    def __init__(self):
        super(VeeamLogin, self).__init__(dict(
            state=dict(type="str", choices=["present", "absent"], default="present"),
            read_only=dict(type="bool", default=False),
            refresh_token=dict(type="str", no_log=True),
            user_uid=dict(type="str"),
        ))

    def credential_rules(self):
        rules = super(VeeamLogin, self).credential_rules()
        if self.params["refresh_token"]:  # blank was made None with the other credentials
            rules.pop("required_one_of", None)  # the refresh token is the credential
        return rules

    def validate(self):
        params = self.params
        if params["refresh_token"] and params["state"] != "present":
            self.fail("refresh_token is exchanged for new tokens with state=present; state=absent revokes tokens with api_token "
                      "or api_username and api_password.")
        if params["state"] == "present" and not (params["refresh_token"] or (params["api_username"] and params["api_password"])):
            self.fail("state=present logs in, which needs api_username and api_password (VEEAM_API_USERNAME/VEEAM_API_PASSWORD), "
                      "or refresh_token; api_token is only used with state=absent.")
        uid = params["user_uid"]
        if uid is not None:
            if params["state"] != "absent":
                self.fail("user_uid names a user whose tokens to revoke; it is only used with state=absent.")
            if not re.match(_veeam.UUID_PATTERN, uid):
                self.fail("user_uid must be the UUID of a VSPC user (instanceUid, for example "
                          "a5d3f1e7-4c29-4b8a-9e6d-1f7c3b5a2d90), not %r." % uid)

    def execute(self):
        return self.log_in() if self.params["state"] == "present" else self.log_out()

    def log_in(self):
        params = self.params
        answer = self.refresh() if params["refresh_token"] else self.api.login(read_only=params["read_only"])
        expires_in = answer.get("expires_in")
        result = dict(changed=False, token=answer["access_token"], refresh_token=answer.get("refresh_token"),
                      token_type=answer.get("token_type"), expires_in=expires_in, expires_at=None)
        if isinstance(expires_in, int):
            moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=expires_in)
            result["expires_at"] = moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        return result

    def refresh(self):
        try:
            return self.api.refresh(self.params["refresh_token"], read_only=self.params["read_only"])
        except ApiError as err:
            if err.status != 400 or not (self.params["api_username"] and self.params["api_password"]):
                raise
            # Server text only: the token itself is scrubbed from every error.
            self.module.warn("VSPC refused refresh_token (%s), so the module logged in with api_username instead." % err.message)
            return self.api.login(read_only=self.params["read_only"])

    def log_out(self):
        uid = self.params["user_uid"]
        if uid is None:
            try:
                uid = (self.api.current_user() or {}).get("instanceUid")
            except ApiError as err:
                if err.status == 401 and not self.params["api_password"]:
                    return dict(changed=False, msg="The credentials are no longer accepted (HTTP 401): there is nothing to revoke.")
                raise
            if not uid:
                self.fail("GET %s/users/me did not name the user (no instanceUid in its answer)." % _veeam.API_PATH)
        # DELETE /users/{uid}/tokens answers {"data": true} whether the user had tokens or not,
        # so the revocation is always reported as a change; check mode sends nothing.
        if not self.module.check_mode:
            self.api.revoke_tokens(uid)
        return dict(changed=True, user_uid=uid)


def main():
    VeeamLogin().run()


if __name__ == "__main__":
    main()
