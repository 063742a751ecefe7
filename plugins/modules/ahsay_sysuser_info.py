#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: ahsay_sysuser_info
short_description: List AhsayCBS system users
version_added: 0.1.0
description:
  - Lists the system users of AhsayCBS (administrators, read-only administrators, resellers and API users) with one
    C(ListSystemUsers) call.
  - Password hashes (C(HashedPwd)) are dropped from the answer and never returned.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.ahsay
  - msp.accounts.attributes
  - msp.accounts.attributes.INFO
  - msp.accounts.attributes.AHSAY_GROUP
options:
  name:
    description:
      - Return only the system user with this login name (compared exactly). RV(users) is empty when there is none.
      - When not set, all system users are returned.
    type: str
    aliases: [login_name]
  role_only:
    description:
      - Ask the server for names and roles only (C(RoleOnly=true)); each user then has just RV(users[].name) and RV(users[].role).
    type: bool
    default: false
seealso:
  - module: msp.accounts.ahsay_sysuser
"""

EXAMPLES = r"""
- name: List all AhsayCBS system users
  msp.accounts.ahsay_sysuser_info:
    api_url: https://backup.example.com
    api_username: "{{ ahsay_api_username }}"
    api_password: "{{ ahsay_api_password }}"
  register: sysusers

- name: Show the administrators
  ansible.builtin.debug:
    msg: "{{ sysusers.users | selectattr('role', 'equalto', 'admin') | map(attribute='name') | list }}"

- name: Check one account (connection from the environment, for example AHSAY_API_URL)
  msp.accounts.ahsay_sysuser_info:
    name: portal-api
  register: portal_api

- name: Fail when the account is suspended
  ansible.builtin.assert:
    that: portal_api.users | length == 1 and portal_api.users[0].status == 'enabled'

- name: Names and roles only
  msp.accounts.ahsay_sysuser_info:
    role_only: true
  register: roles
"""

RETURN = r"""
users:
  description: The system users found, without password hashes.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Login name.
      type: str
      sample: system
    role:
      description: Role, one of V(admin), V(read_only_admin), V(reseller), V(api_only) (other values in lower case as received).
      type: str
      sample: admin
    status:
      description: V(enabled) or V(suspended).
      type: str
      returned: unless O(role_only=true)
      sample: enabled
    show_rebranding_pages:
      description: Whether a reseller sees the rebranding pages.
      type: bool
      returned: unless O(role_only=true)
    send_consolidated_report:
      description: Whether a reseller receives the consolidated report.
      type: bool
      returned: unless O(role_only=true)
    free_trial_offer_allowed:
      description: Whether a reseller may offer free trials.
      type: bool
      returned: unless O(role_only=true)
connection:
  description:
    - The server and the user the read was made as, however they were given (option, C(module_defaults) or environment
      variable). The role C(msp.accounts.access_review) reports them and counts the user as a service account.
    - Also returned when the module fails after reading its options.
  returned: always
  type: dict
  version_added: 0.3.0
  contains:
    api_url:
      description: The server's URL (O(api_url)).
      type: str
      sample: https://backup.example.com
    api_username:
      description: The user the module logged in as (O(api_username), C(SysUser)).
      type: str
      sample: api-reader
"""

from ansible_collections.msp.accounts.plugins.module_utils._ahsay import AhsayApi, SystemUsers
from ansible_collections.msp.accounts.plugins.module_utils._base import InfoModule


class AhsaySysUserInfo(InfoModule):
    api_class = AhsayApi

    def __init__(self):
        super(AhsaySysUserInfo, self).__init__(dict(
            name=dict(type="str", aliases=["login_name"]),
            role_only=dict(type="bool", default=False),
        ))

    def list_users(self):
        adapter, name = SystemUsers(self.api), self.params["name"]
        users = adapter.list(role_only=self.params["role_only"])
        return [adapter.public(self.params, user) for user in users if name is None or user.get("name") == name]


def main():
    AhsaySysUserInfo().run()


if __name__ == "__main__":
    main()
