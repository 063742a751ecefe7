#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: ahsay_user_info
short_description: List AhsayCBS backup users
version_added: 0.1.0
description:
  - Returns one backup user of AhsayCBS (with O(name), one C(GetUser) v2 call) or a list of backup users (one
    C(ListUsers) v2 call, filtered on the server by the options below).
  - Users come back with the keys M(msp.accounts.ahsay_user) uses, plus a few facts the server reports
    (last backup, client version, and the stored data size in lists). Passwords and client access tokens are never
    returned.
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
      - Login name of one backup user. When set, the other filters except O(owner) are not allowed.
      - RV(users) is empty when there is no such user.
    type: str
    aliases: [login_name]
  owner:
    description:
      - With O(name), the owner the user is looked up under (C(Owner) of C(GetUser)).
      - Without O(name), only users of this reseller are listed (C(reseller) of C(ListUsers)).
    type: str
    aliases: [reseller]
  search:
    description:
      - Only users whose login name contains this text (C(searchStr) of C(ListUsers)).
    type: str
  client_type:
    description:
      - Only users of this backup client, V(obm) or V(acb) (C(ClientType) of C(ListUsers)).
    type: str
    choices: [obm, acb]
  user_group_id:
    description:
      - Only users in the user group with this ID (C(UserGroupID) of C(ListUsers)), a 13-digit number.
    type: str
  policy_group_id:
    description:
      - Only users in the policy group with this ID (C(PolicyGroupID) of C(ListUsers)), a 13-digit number.
    type: str
  registered_within_days:
    description:
      - Only users registered within this many days (C(Date) of C(ListUsers)).
    type: int
seealso:
  - module: msp.accounts.ahsay_user
  - module: msp.accounts.ahsay_sysuser_info
"""

EXAMPLES = r"""
- name: Read AhsayCBS backup users
  module_defaults:
    group/msp.accounts.ahsay:
      api_url: https://backup.example.com
      api_username: "{{ ahsay_api_username }}"
      api_password: "{{ ahsay_api_password }}"
  block:
    - name: One user
      msp.accounts.ahsay_user_info:
        name: acme-fileserver
      register: acme

    - name: Show its quota per destination
      ansible.builtin.debug:
        var: acme.users[0].destination_quotas
      when: acme.users | length > 0

    - name: All AhsayACB users of a reseller whose name contains "acme"
      msp.accounts.ahsay_user_info:
        owner: reseller-acme
        client_type: acb
        search: acme
      register: acme_users

    - name: The destination keys in use (for destination_quotas)
      ansible.builtin.debug:
        msg: "{{ acme_users.users | map(attribute='destination_quotas') | flatten | map(attribute='key') | unique }}"
"""

RETURN = r"""
users:
  description:
    - The matching backup users with the keys described for RV(msp.accounts.ahsay_user#module:user), without
      passwords or tokens. Empty when none matches.
  returned: always
  type: list
  elements: dict
  sample:
    - name: acme-fileserver
      owner: ""
      alias: ACME file server
      status: enabled
      client_type: obm
      user_type: paid
      quota_type: per_destination
      destination_quotas: [{"key": "OBS", "enabled": true, "quota": 53687091200, "name": "AhsayCBS"}]
      modules: {"mssql": true, "hyperv": false}
      data_size: 1073741824
      online: false
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

from ansible_collections.msp.accounts.plugins.module_utils import _ahsay
from ansible_collections.msp.accounts.plugins.module_utils._base import InfoModule

LIST_FILTERS = ("search", "client_type", "user_group_id", "policy_group_id", "registered_within_days")


class AhsayUserInfo(InfoModule):
    api_class = _ahsay.AhsayApi
    selectors = ("name", "owner", "search", "user_group_id", "policy_group_id")

    def __init__(self):
        super(AhsayUserInfo, self).__init__(dict(
            name=dict(type="str", aliases=["login_name"]),
            owner=dict(type="str", aliases=["reseller"]),
            search=dict(type="str"),
            client_type=dict(type="str", choices=sorted(_ahsay.CLIENT_TYPES)),
            user_group_id=dict(type="str"),
            policy_group_id=dict(type="str"),
            registered_within_days=dict(type="int"),
        ), mutually_exclusive=[("name", key) for key in LIST_FILTERS])

    def validate(self):
        days = self.params["registered_within_days"]
        if days is not None and days < 1:
            self.fail("registered_within_days must be 1 or more, got %d." % days)

    def list_users(self):
        adapter = _ahsay.BackupUsers(self.api)
        if self.params["name"]:
            user = adapter.find(self.params)
            return [user] if user else []
        users = adapter.list(**dict((key, self.params[key]) for key in LIST_FILTERS + ("owner",)))
        return sorted(users, key=lambda user: (user["owner"], user["name"]))


def main():
    AhsayUserInfo().run()


if __name__ == "__main__":
    main()
