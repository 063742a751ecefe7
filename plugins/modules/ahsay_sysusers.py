#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: ahsay_sysusers
short_description: Converge many AhsayCBS system users in one task
version_added: 0.3.0
description:
  - Brings every system user listed in O(users) to the state its entry describes, in one task. Each entry takes the
    options of M(msp.accounts.ahsay_sysuser) and is judged the same way.
  - One C(ListSystemUsers) call reads every system user, with its password hash, so passwords are compared without
    being sent; a run that changes nothing sends that one request. Each changed account then gets one write,
    O(parallel) at a time.
  - Every entry is checked before the first request; an invalid one fails the task, naming its position and name. A
    failed write does not stop the other accounts; the task fails at the end and names each failed account.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.ahsay
  - msp.accounts.attributes
  - msp.accounts.attributes.BULK
  - msp.accounts.attributes.AHSAY_GROUP
options:
  users:
    description:
      - The system users to converge. Each entry takes the options of M(msp.accounts.ahsay_sysuser); O(users[].name) is
        required and may appear once.
    type: list
    elements: dict
    required: true
  # BEGIN users: generated from ahsay_sysuser by `make bulk-docs`; do not edit by hand
    suboptions:
      name:
        description:
        - Login name of the system user (C(LoginName)). Compared exactly (case-sensitive).
        type: str
        required: true
        aliases:
        - login_name
      state:
        description:
        - V(present) creates the user or brings the options you set to the wanted values.
        - V(absent) removes the user. Nothing happens when there is no such user.
        - The module refuses to remove the system user it logs in with (O(api_username)).
        type: str
        choices:
        - present
        - absent
        default: present
      password:
        description:
        - Password of the system user. Required to create a user.
        - Compared through its hash, so setting it does not make the task report a change when the password is already
          the same, even with O(users[].update_password=always).
        - When it differs it is sent with C(PasswordHashed=true), as the Base64 encoding of the SHA-256 digest of its
          UTF-8 bytes (the form AhsayCBS stores and C(ListSystemUsers) returns as C(HashedPwd)).
        - Because the server only sees the hash, the password-complexity rules of AhsayCBS (Administrative Access settings)
          may not be applied to it; choose passwords that meet your policy.
        - Changing the password of O(api_username) works (C(UpdateSysUser) is the one call AhsayCBS still accepts from
          an account whose password has expired); the module warns that later tasks must use the new password.
        type: str
      update_password:
        description:
        - V(always) makes the password of an existing user match O(users[].password). This stays idempotent, see O(users[].password).
        - V(on_create) sets O(users[].password) only when the user is created and never changes it afterwards.
        type: str
        choices:
        - always
        - on_create
        default: always
      password_hashed:
        description:
        - Whether O(users[].password) is already the Base64 encoding of the SHA-256 digest (44 characters), for example
          a C(HashedPwd) copied from another AhsayCBS server or kept in a vault instead of the plaintext.
        - The value is checked to be such a hash before any request; a wrong value would lock the user out.
        type: bool
        default: false
      role:
        description:
        - Role of the system user (C(Role)). Required to create a user.
        - V(admin) is C(ADMIN), V(read_only_admin) is C(READ_ONLY_ADMIN), V(reseller) is C(RESELLER) (a sub-admin),
          V(api_only) is C(API_ONLY).
        - Compared case-insensitively with the current role.
        type: str
        choices:
        - admin
        - read_only_admin
        - reseller
        - api_only
      status:
        description:
        - V(enabled) (C(ENABLED)) or V(suspended) (C(SUSPENDED)). A suspended system user cannot sign in.
        - Note that backup users spell the enabled state differently; this module maps the value for you.
        - When not set, a new user gets the server's default and an existing user keeps its status.
        type: str
        choices:
        - enabled
        - suspended
      hostname:
        description:
        - Host name of the reseller's own AhsayCBS web address (C(Hostname)).
        - Required with O(users[].role=reseller), because C(AddSysUser) needs it to create a reseller.
        - Sent only when the user is created or becomes a reseller (O(users[].role) changes to V(reseller)). C(ListSystemUsers)
          does not return it, so it is never compared and an existing reseller keeps its address.
        type: str
      ip:
        description:
        - IP address and port of the reseller's web address (C(IP)), for example V(0.0.0.0:443).
        - Required with O(users[].role=reseller); like O(users[].hostname), sent only when the user is created or becomes
          a reseller.
        type: str
      show_rebranding_pages:
        description:
        - Whether the reseller may see the rebranding pages (C(IsShowRebrandingPages)).
        - Only for resellers. When not set, the current value is kept.
        type: bool
      send_consolidated_report:
        description:
        - Whether the reseller receives the consolidated report (C(IsSendConsolidatedReport)).
        - Only for resellers. When not set, the current value is kept.
        type: bool
      free_trial_offer_allowed:
        description:
        - Whether the reseller may configure free-trial options and create trial backup users (C(IsFreeTrialOfferAllowed)).
        - Only for resellers. When not set, the current value is kept.
        type: bool
  # END users
  scope:
    description:
      - Which system users O(unlisted) considers. Without it, every one.
    type: dict
    suboptions:
      role:
        description:
          - Only system users with this role (compared on the C(ListSystemUsers) answer).
        type: str
        choices: [admin, api_only, read_only_admin, reseller]
  unlisted:
    description:
      - What happens to system users within O(scope) that O(users) does not list.
      - V(keep) only reports them; V(suspend) sets their status to suspended; V(remove) removes them with
        C(RemoveSysUser).
      - The account the module logs in with (O(api_username)) is never suspended or removed, so V(suspend) and
        V(remove) need O(api_username) and O(api_password).
    type: str
    choices: [keep, suspend, remove]
    default: keep
"""

EXAMPLES = r"""
- name: The API users of the automation, nothing else with that role
  msp.accounts.ahsay_sysusers:
    scope:
      role: api_only
    users:
      - name: api-automation
        password: "{{ vault_api_automation_password }}"
        role: api_only
    unlisted: suspend
"""

RETURN = r"""
summary:
  description: How many accounts got each action.
  returned: always
  type: dict
  sample: {created: 1, updated: 0, removed: 1, suspended: 0, unchanged: 998, failed: 0}
users:
  description:
    - One entry per element of O(users), in the same order; no secrets.
    - C(action) is V(created), V(updated), V(removed), V(unchanged) or V(failed); C(msg) says what was done or the
      server's error; C(diff) (diff mode, changed accounts only) holds C(before) and C(after).
  returned: always
  type: list
  elements: dict
  sample: [{name: jdoe, action: created, msg: "user 'jdoe' created"}]
unlisted:
  description: The system users within O(scope) not in O(users), each with C(action) V(kept), V(suspended), V(removed) or V(failed).
  returned: always
  type: list
  elements: dict
  sample: [{name: departed, action: suspended}]
"""

from ansible_collections.msp.accounts.plugins.module_utils import _ahsay
from ansible_collections.msp.accounts.plugins.module_utils._base import BulkModule


class AhsaySysusers(BulkModule):
    adapter = _ahsay.SystemUsers
    scope = dict(role=dict(type="str", choices=sorted(_ahsay.SYSUSER_ROLES)))
    suspended = {"status": "suspended"}


def main():
    AhsaySysusers().run()


if __name__ == "__main__":
    main()
