#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: veeam_user_info
short_description: List portal users of Veeam Service Provider Console
version_added: 0.1.0
description:
  - Lists the users of Veeam Service Provider Console (VSPC) that the credentials can see, all of them or those of one
    organization, optionally filtered by name, role and status.
  - The filters are sent to the server (C(GET /api/v3/users?filter=...)) and every page is read (500 users a page), so
    the result is complete however many users there are.
  - Passwords are never returned (VSPC does not return them either).
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.veeam
  - msp.accounts.attributes
  - msp.accounts.attributes.INFO
  - msp.accounts.attributes.VEEAM_GROUP
options:
  name:
    description:
      - Only the user with this user name (compared case-insensitively).
    type: str
    aliases: [user_name]
  uid:
    description:
      - Only the user with this UID, read with C(GET /api/v3/users/{uid}). The other filters still apply.
    type: str
    aliases: [user_uid]
  organization:
    description:
      - Only users of the company, reseller or provider organization with this name, resolved to its UID with one
        C(GET /api/v3/organizations) (compared case-insensitively). The module fails when there is no such organization.
    type: str
  organization_uid:
    description:
      - Only users of the organization with this UID.
    type: str
  role:
    description:
      - Only users with this role (snake_case of the C(UserRole) value, as in M(msp.accounts.veeam_user)).
    type: str
    choices:
      - company_administrator
      - company_invoice_auditor
      - company_location_administrator
      - company_location_user
      - company_owner
      - company_subtenant
      - company_tenant
      - portal_administrator
      - portal_operator
      - portal_readonly_operator
      - reseller_administrator
      - reseller_invoice_auditor
      - reseller_operator
      - reseller_owner
      - reseller_user
      - site_administrator
  status:
    description:
      - Only enabled or only disabled users.
    type: str
    choices: [enabled, disabled]
  wait_timeout:
    description:
      - Seconds to wait when the server answers a read as an async action (HTTP 202).
    type: int
    default: 120
notes:
  - With O(api_token) the module sends one request per 500 users; O(organization) adds one request, and O(api_username)
    adds the login.
seealso:
  - module: msp.accounts.veeam_user
  - module: msp.accounts.veeam_login
"""

EXAMPLES = r"""
- name: All users of one company
  msp.accounts.veeam_user_info:
    api_url: https://vspc.example.com:1280
    api_token: "{{ vspc_api_key }}"
    organization: Alpha Backup Ltd
  register: alpha_users

- name: Disabled company administrators anywhere
  msp.accounts.veeam_user_info:
    api_url: https://vspc.example.com:1280
    api_token: "{{ vspc_api_key }}"
    role: company_administrator
    status: disabled
  register: disabled_admins

- name: Print their names
  ansible.builtin.debug:
    msg: "{{ disabled_admins.users | map(attribute='name') | list }}"
"""

RETURN = r"""
users:
  description: The matching users, in the order the server lists them.
  returned: always
  type: list
  elements: dict
  contains:
    uid:
      description: UID of the user (C(instanceUid)).
      type: str
      sample: 2927487f-079e-4d1e-826a-220dc7a7fa6b
    name:
      description: User name.
      type: str
      sample: j.smith
    organization_uid:
      description: UID of the user's organization.
      type: str
      sample: 0a093973-274b-4df8-83e2-1316dee0c9a9
    role:
      description: Role in snake_case, for example V(company_administrator); values newer than this collection are
        converted the same way.
      type: str
      sample: company_administrator
    status:
      description: V(enabled) or V(disabled).
      type: str
      sample: enabled
    mfa_policy:
      description: V(enabled), V(disabled) or V(enabled_by_inheritance).
      type: str
      sample: disabled
    mfa_configuration:
      description: V(configured) or V(not_configured).
      type: str
      sample: not_configured
    first_name:
      description: First name.
      type: str
      sample: John
    last_name:
      description: Last name.
      type: str
      sample: Smith
    title:
      description: V(mr), V(mrs), V(miss), V(ms) or V(unknown).
      type: str
      sample: mr
    email:
      description: E-mail address.
      type: str
      sample: j.smith@alpha.example.com
    address:
      description: Postal address.
      type: str
      sample: 1 Main Street, Springfield
    phone:
      description: Telephone number.
      type: str
      sample: +1 555 0100
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
      sample: https://vspc.example.com:1280
    api_username:
      description: The user the module logged in as (O(api_username)); V(null) when it authenticated otherwise.
      type: str
      sample: api-reader
"""

from ansible_collections.msp.accounts.plugins.module_utils import _veeam
from ansible_collections.msp.accounts.plugins.module_utils._base import InfoModule

FILTERS = ("name", "uid", "organization", "organization_uid", "role", "status")


class VeeamUserInfo(InfoModule):
    api_class = _veeam.VeeamApi
    selectors = ("name", "uid", "organization", "organization_uid")

    def __init__(self):
        # The filters are options of veeam_user: the same aliases and choices.
        options = dict((key, _veeam.PORTAL_USER[key].argument()) for key in FILTERS + ("wait_timeout",))
        super(VeeamUserInfo, self).__init__(options, mutually_exclusive=[("organization", "organization_uid")])

    def validate(self):
        _veeam.PORTAL_USER.validate(self.params)  # a UID must be one

    def list_users(self):
        filters = dict((key, self.params[key]) for key in FILTERS)
        filters["user_uid"] = filters.pop("uid")
        return _veeam.PortalUsers(self.api).list(**filters)


def main():
    VeeamUserInfo().run()


if __name__ == "__main__":
    main()
