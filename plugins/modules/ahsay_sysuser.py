#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: ahsay_sysuser
short_description: Manage AhsayCBS system users (administrators, API users and resellers)
version_added: 0.1.0
description:
  - Creates, updates and removes a system user of AhsayCBS, the kind of account that signs in to the
    AhsayCBS web console or calls its API (not a backup user; see M(msp.accounts.ahsay_user) for those).
  - The module reads all system users with one C(ListSystemUsers) call, creates a missing user with C(AddSysUser),
    changes an existing one with one C(UpdateSysUser) call carrying only the values that differ, and removes
    one with C(RemoveSysUser). Nothing is read back after a write.
  - Passwords are idempotent. AhsayCBS returns the Base64 encoding of the SHA-256 digest of each password, so
    the module hashes O(password) locally, compares the two, and sends a password only when it differs.
    It is then sent in that hashed form, so the plaintext never travels to the server.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.ahsay
  - msp.accounts.attributes
  - msp.accounts.attributes.ACTIONS
  - msp.accounts.attributes.AHSAY_GROUP
options:
  name:
    description:
      - Login name of the system user (C(LoginName)). Compared exactly (case-sensitive).
    type: str
    required: true
    aliases: [login_name]
  state:
    description:
      - V(present) creates the user or brings the options you set to the wanted values.
      - V(absent) removes the user. Nothing happens when there is no such user.
      - The module refuses to remove the system user it logs in with (O(api_username)).
    type: str
    choices: [present, absent]
    default: present
  password:
    description:
      - Password of the system user. Required to create a user.
      - Compared through its hash, so setting it does not make the task report a change when the password is already
        the same, even with O(update_password=always).
      - When it differs it is sent with C(PasswordHashed=true), as the Base64 encoding of the SHA-256 digest of its
        UTF-8 bytes (the form AhsayCBS stores and C(ListSystemUsers) returns as C(HashedPwd)).
      - Because the server only sees the hash, the password-complexity rules of AhsayCBS
        (Administrative Access settings) may not be applied to it; choose passwords that meet your policy.
      - Changing the password of O(api_username) works (C(UpdateSysUser) is the one call AhsayCBS still accepts from
        an account whose password has expired); the module warns that later tasks must use the new password.
    type: str
  update_password:
    description:
      - V(always) makes the password of an existing user match O(password). This stays idempotent, see O(password).
      - V(on_create) sets O(password) only when the user is created and never changes it afterwards.
    type: str
    choices: [always, on_create]
    default: always
  password_hashed:
    description:
      - Whether O(password) is already the Base64 encoding of the SHA-256 digest (44 characters), for example a
        C(HashedPwd) copied from another AhsayCBS server or kept in a vault instead of the plaintext.
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
    choices: [admin, read_only_admin, reseller, api_only]
  status:
    description:
      - V(enabled) (C(ENABLED)) or V(suspended) (C(SUSPENDED)). A suspended system user cannot sign in.
      - Note that backup users spell the enabled state differently; this module maps the value for you.
      - When not set, a new user gets the server's default and an existing user keeps its status.
    type: str
    choices: [enabled, suspended]
  hostname:
    description:
      - Host name of the reseller's own AhsayCBS web address (C(Hostname)).
      - Required with O(role=reseller), because C(AddSysUser) needs it to create a reseller.
      - Sent only when the user is created or becomes a reseller (O(role) changes to V(reseller)). C(ListSystemUsers)
        does not return it, so it is never compared and an existing reseller keeps its address.
    type: str
  ip:
    description:
      - IP address and port of the reseller's web address (C(IP)), for example V(0.0.0.0:443).
      - Required with O(role=reseller); like O(hostname), sent only when the user is created or becomes a reseller.
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
notes:
  - Only the options you set are compared and sent. O(hostname) and O(ip) are never compared.
  - O(show_rebranding_pages), O(send_consolidated_report), O(free_trial_offer_allowed), O(hostname) and O(ip) apply to
    resellers only. The module fails before any request when they are combined with another O(role), and after the
    one read, before any write, when O(role) is not set and the existing user is not a reseller.
  - The password hash returned by AhsayCBS is as sensitive as the password (with C(PasswordHashed) it sets the same
    password on any AhsayCBS server, and it allows offline guessing); the module never returns or logs it.
  - If the password of O(api_username) has expired, every API call except C(UpdateSysUser) fails. Run this module with
    O(name) equal to O(api_username) and a new O(password) to change it; the module then skips the comparison
    and sends the new password only.
seealso:
  - module: msp.accounts.ahsay_sysuser_info
  - module: msp.accounts.ahsay_user
  - name: UpdateSysUser API
    description: The AhsayCBS API call that changes a system user.
    link: https://www.ahsay.com/en/support/help-centre/doc/cbs/v10/api/system/user/update-sys-user
"""

EXAMPLES = r"""
- name: Manage AhsayCBS system users
  module_defaults:
    group/msp.accounts.ahsay:
      api_url: https://backup.example.com
      api_username: "{{ ahsay_api_username }}"
      api_password: "{{ ahsay_api_password }}"
  block:
    - name: An API-only account for the provisioning portal
      msp.accounts.ahsay_sysuser:
        name: portal-api
        password: "{{ vault_portal_api_password }}"
        role: api_only

    - name: A reseller (sub-admin) with its own web address
      msp.accounts.ahsay_sysuser:
        name: reseller-acme
        password: "{{ vault_reseller_acme_password }}"
        role: reseller
        hostname: backup.acme.example
        ip: "0.0.0.0:443"
        show_rebranding_pages: true
        send_consolidated_report: true
        free_trial_offer_allowed: false

    - name: Set the initial password only; leave later changes to the user
      msp.accounts.ahsay_sysuser:
        name: helpdesk
        password: "{{ vault_helpdesk_initial_password }}"
        update_password: on_create
        role: read_only_admin

    - name: Suspend an administrator
      msp.accounts.ahsay_sysuser:
        name: jdoe
        status: suspended

    - name: Use a hash kept in the vault instead of the plaintext
      msp.accounts.ahsay_sysuser:
        name: dr-admin
        password: "{{ vault_dr_admin_hashed_pwd }}"
        password_hashed: true
        role: admin

    - name: Remove a system user
      msp.accounts.ahsay_sysuser:
        name: former-admin
        state: absent

- name: Rotate the password of the account the play logs in with
  msp.accounts.ahsay_sysuser:
    api_url: https://backup.example.com
    api_username: automation
    api_password: "{{ old_password }}"
    name: automation
    password: "{{ new_password }}"
  # Later tasks must use new_password as api_password.
"""

RETURN = r"""
action:
  description:
    - What the task did to the account, for playbooks and roles to test instead of parsing the message - V(created),
      V(updated), V(removed) or V(unchanged) (also when O(state=absent) finds no account). In check mode, what it
      would do.
  returned: always
  type: str
  sample: updated
user:
  description:
    - The system user after the task (predicted in check mode), without its password or password hash.
    - Empty after O(state=absent).
    - After a creation or change the values are those sent, not read back from the server.
  returned: always
  type: dict
  contains:
    name:
      description: Login name.
      type: str
      sample: portal-api
    role:
      description: Role, one of V(admin), V(read_only_admin), V(reseller), V(api_only) (other values in lower case as received).
      type: str
      sample: api_only
    status:
      description: V(enabled) or V(suspended).
      type: str
      returned: when known
      sample: enabled
    show_rebranding_pages:
      description: Whether the reseller sees the rebranding pages.
      type: bool
      returned: when known
    send_consolidated_report:
      description: Whether the reseller receives the consolidated report.
      type: bool
      returned: when known
    free_trial_offer_allowed:
      description: Whether the reseller may offer free trials.
      type: bool
      returned: when known
    hostname:
      description: Host name given at creation.
      type: str
      returned: when this task created a reseller
    ip:
      description: IP address and port given at creation.
      type: str
      returned: when this task created a reseller
"""

from ansible_collections.msp.accounts.plugins.module_utils import _ahsay
from ansible_collections.msp.accounts.plugins.module_utils._base import AccountModule


class AhsaySysUser(AccountModule):
    adapter = _ahsay.SystemUsers


def main():
    AhsaySysUser().run()


if __name__ == "__main__":
    main()
