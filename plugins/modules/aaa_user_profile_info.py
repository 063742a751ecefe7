#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: aaa_user_profile_info
short_description: List Oracle Communications Unified Assurance users and their profiles
version_added: 0.1.0
author:
  - msp.accounts contributors (@msp-accounts)
description:
  - Returns one Unified Assurance user by name, or the users that match the filters, with their profile
    (group, authentication type, status, preferences and properties). Passwords are never returned.
  - Reads C(GET /api/AAA/Users) with a C(filter) and pages through the answer with C(start) and C(limit)
    until every matching user is read.
extends_documentation_fragment:
  - msp.accounts.aaa
  - msp.accounts.attributes
  - msp.accounts.attributes.INFO
  - msp.accounts.attributes.AAA_GROUP
options:
  name:
    description:
      - Return only the user with this name (one request), compared case-insensitively as Unified Assurance compares
        user names (V(Alice) finds C(alice); V(jdoe) never finds C(jdoe2)). The result is an empty list when there is
        none.
      - The other filters also apply.
    type: str
  user_group:
    description:
      - Return only users whose primary group has this name (case-insensitive) or numeric ID.
      - An ID is turned into the group's name with one C(GET /api/AAA/UserGroups) request.
    type: str
  enabled:
    description:
      - V(true) returns only enabled accounts, V(false) only disabled ones. Not set returns both.
    type: bool
notes:
  - Without filters every user is read, in pages of 500.
seealso:
  - module: msp.accounts.aaa_user_profile
"""

EXAMPLES = r"""
- name: Read one user
  msp.accounts.aaa_user_profile_info:
    api_url: https://ua.example.com
    api_username: api
    api_password: "{{ vault_ua_api_password }}"
    name: jdoe
  register: ua_user

- name: Show the user's page size preference
  ansible.builtin.debug:
    msg: "{{ ua_user.users[0].preferences.PageSize | default('not set') }}"
  when: ua_user.users | length > 0

- name: List the disabled members of the Operators group
  msp.accounts.aaa_user_profile_info:
    api_url: https://ua.example.com
    client_cert: /etc/pki/ua/User-api.crt
    client_key: /etc/pki/ua/User-api.key
    ca_path: /etc/pki/ua/BundleCA.crt
    user_group: Operators
    enabled: false
  register: disabled_operators
"""

RETURN = r"""
users:
  description: The matching users, without passwords.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The user ID (C(UserID)), also the ID of the user profile.
      type: int
      sample: 1001
    name:
      description: The user name.
      type: str
      sample: jdoe
    full_name:
      description: The full name.
      type: str
      sample: Jane Doe
    email:
      description: The e-mail address.
      type: str
      sample: jdoe@example.com
    enabled:
      description: Whether the account is enabled.
      type: bool
      sample: true
    user_group:
      description: The primary user group's name.
      type: str
      sample: Operators
    user_group_id:
      description: The primary user group's ID.
      type: int
      sample: 2
    subgroups:
      description: IDs of the subgroups.
      type: list
      elements: int
      sample: []
    authentication_type:
      description: The authentication type's name.
      type: str
      sample: Internal
    authentication_type_id:
      description: The authentication type's ID.
      type: int
      sample: 1
    account_expiration:
      description: The account expiration as the server returns it (C([Never]) or a date).
      type: str
      sample: "[Never]"
    password_expiration:
      description: UNIX timestamp when the password expires; V(0) means it must be changed at the next login, V(2147483647) never.
      type: str
      sample: "2147483647"
    password_change:
      description:
        - The password expiration read as V(never), V(immediate) or a date,
          as the O(msp.accounts.aaa_user_profile#module:password_change) option takes it.
      type: str
      sample: never
    preferences:
      description: The user's preferences, name to value (as text).
      type: dict
      sample: {"PageSize": "1000"}
    properties:
      description: The user's properties, name to value.
      type: dict
      sample: {"ResetQuestion": "Name of your first lab"}
    failed_login_count:
      description: Failed logins since the last successful one.
      type: int
      sample: 0
    last_login_success:
      description: Timestamp of the last successful login.
      type: int
      sample: 1767225600
    last_login_failed:
      description: Timestamp of the last failed login.
      type: int
      sample: 0
    support_username:
      description: The Oracle support site user name.
      type: str
      sample: ""
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
      sample: https://ua.example.com
    api_username:
      description: The user the module logged in as (O(api_username)); V(null) when it authenticated otherwise.
      type: str
      sample: api
"""

from ansible_collections.msp.accounts.plugins.module_utils._aaa import AaaApi, UserProfiles
from ansible_collections.msp.accounts.plugins.module_utils._base import InfoModule


class AaaUserProfileInfo(InfoModule):
    api_class = AaaApi
    selectors = ("name", "user_group")

    def __init__(self):
        super().__init__(dict(name=dict(type="str"), user_group=dict(type="str"), enabled=dict(type="bool")))

    def list_users(self):
        return UserProfiles(self.api).list(self.params["name"], self.params["user_group"], self.params["enabled"])


def main():
    AaaUserProfileInfo().run()


if __name__ == "__main__":
    main()
