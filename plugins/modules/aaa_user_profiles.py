#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: aaa_user_profiles
short_description: Converge many Unified Assurance users in one task
version_added: 0.3.0
description:
  - Brings every Unified Assurance user listed in O(users) to the state its entry describes, in one task. Each entry
    takes the options of M(msp.accounts.aaa_user_profile) and is judged the same way.
  - The users within O(scope) are read with paged C(GET /api/AAA/Users) requests, and the user groups, authentication
    types, preference and property names once for all entries; a run that changes nothing sends only those reads.
    Each changed account then gets the same writes as with M(msp.accounts.aaa_user_profile), O(parallel) at a time.
  - Every entry is checked before the first request; an invalid one fails the task, naming its position and name. A
    failed write does not stop the other accounts; the task fails at the end and names each failed account.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.aaa
  - msp.accounts.attributes
  - msp.accounts.attributes.BULK
  - msp.accounts.attributes.AAA_GROUP
options:
  users:
    description:
      - The users to converge. Each entry takes the options of M(msp.accounts.aaa_user_profile); O(users[].name) is
        required and may appear once.
    type: list
    elements: dict
    required: true
  # BEGIN users: generated from aaa_user_profile by `make bulk-docs`; do not edit by hand
    suboptions:
      name:
        description:
        - The user name (C(UserName)). Matched exactly, including case.
        - Unified Assurance treats user names case-insensitively. If a user exists whose name differs from O(users[].name)
          only in case, the module fails and names that user instead of creating a second one.
        type: str
        required: true
      state:
        description:
        - V(present) creates the user if needed and makes the options you set match.
        - V(absent) deletes the user (C(DELETE /api/AAA/Users/{id})) when it exists.
        type: str
        choices:
        - present
        - absent
        default: present
      full_name:
        description:
        - The user's full name (C(FullName)). Required when the user is created.
        - Compared exactly.
        type: str
      user_group:
        description:
        - The primary user group, by name or by numeric ID (group names are never all digits). The user inherits its
          roles, properties and preferences.
        - Required when the user is created.
        - A name is compared case-insensitively with the group's name, an ID with the group's ID. A name is turned into
          an ID with C(GET /api/AAA/UserGroups) only when the group has to be written.
        - In check mode, an ID that is not the user's current group is also looked up (one C(GET /api/AAA/UserGroups)),
          so that the predicted the single module's C(user) names the group and an unknown ID fails as the real run
          would.
        type: str
      subgroups:
        description:
        - Further groups of the user, by name or numeric ID. The user inherits only their restrictive access properties.
        - The list is the whole truth and is compared as a set. V([]) removes every subgroup.
        - The API returns subgroups as IDs only. Give IDs to keep a run that changes nothing at one request; names cost
          one C(GET /api/AAA/UserGroups) request on each run.
        - The primary group (O(users[].user_group)) cannot be a subgroup as well.
        type: list
        elements: str
      authentication_type:
        description:
        - The authentication type instance, by name (for example V(Internal) or V(LDAP)) or numeric ID.
        - Defaults to V(Internal) (ID 1) when the user is created.
        - A name is compared case-insensitively. V(Internal) maps to ID 1 without a request. Other names are turned
          into an ID with C(GET /api/AAA/AuthTypes) only when the type has to be written.
        - In check mode, an ID other than V(1) that is not the user's current type is looked up the same way.
        type: str
      email:
        description:
        - The e-mail address (C(EmailAddress)). V("") clears it.
        - Compared exactly, except that no address is the same whether the server returns an empty text or V(null).
        type: str
      enabled:
        description:
        - Whether the account is enabled (C(AccountStatus) V(1)) or disabled (V(0)). A disabled user cannot log in.
        - Defaults to V(true) when the user is created.
        type: bool
      password:
        description:
        - The password, sent as both C(Password) and C(RepeatPassword).
        - Only users with Internal authentication have a password. Setting one for another authentication type fails
          before any request is sent, or, for an existing user, before any change.
        - Required when an Internal user is created.
        - The API never returns a password, so it cannot be compared. See O(users[].update_password).
        type: str
      update_password:
        description:
        - V(on_create) sets O(users[].password) only when the user is created.
        - V(always) sends O(users[].password) on every run. Such runs always report a change.
        type: str
        choices:
        - on_create
        - always
        default: on_create
      preferences:
        description:
        - User preferences as a dictionary that maps preference names to values, for example C(PageSize) to V(50). Names
          are matched case-insensitively. Values are compared as text.
        - Only the preferences you name are changed. The user's other preferences are sent back as they are.
        - A name the user has no entry for yet is looked up in C(GET /api/AAA/Preferences). An unknown name fails before
          any change, and the message lists the known names.
        - A preference locked by the user group (C(Override) V(1)) cannot be given a different value. The module fails
          before any change.
        type: dict
      properties:
        description:
        - User properties as a dictionary that maps property names to values, for example C(ResetQuestion) to V(First
          pet?). Names are matched case-insensitively. Values are compared as text.
        - Only the properties you name are changed. The user's other properties are sent back as they are.
        - A name the user has no entry for yet is looked up in C(GET /api/AAA/UserProperties). An unknown name fails
          before any change, and the message lists the known names.
        type: dict
      account_expiration:
        description:
        - When the account expires. Use V(never), a date V(YYYY-MM-DD) or a date and time V(YYYY-MM-DD HH:MM:SS). V(HH:MM),
          a V(T) between date and time and one-digit months, days and hours are accepted too. Anything else fails before
          any request.
        - The value is compared and sent in one form, for example V(2027-1-5 7:05) as C(2027-01-05 07:05:00) and V(never)
          as C(0).
        - The server's C([Never]) and C(0) count as V(never). A time of V(00:00:00) is the same as the date alone.
        - Defaults to V(never) when the user is created.
        type: str
      password_change:
        description:
        - When the user must change the password. Use V(never), V(immediate) (at the next login) or a date V(YYYY-MM-DD)
          from V(1970-01-02) to V(2038-01-19) (the days a C(PasswordExpiration) timestamp can say). One-digit months
          and days are accepted and sent as two digits (V(2027-2-3) as C(2027-02-03)). Anything else fails before any
          request.
        - V(never) and a date are compared with the C(PasswordExpiration) timestamp the server returns. A date is compared
          by day.
        - V(immediate) is applied when the user is created and each time O(users[].password) is sent. It is not compared
          otherwise, so it does not force another change after the user has set their own password.
        - Defaults to V(never) when the user is created.
        type: str
  # END users
  scope:
    description:
      - Which users O(unlisted) considers. Without it, every one.
    type: dict
    suboptions:
      user_group:
        description:
          - Only users of this user group (name or ID), as the C(UserGroupID) filter of the user list selects them.
            Entries of O(users) without O(users[].user_group) are created in this group.
        type: str
  unlisted:
    description:
      - What happens to users within O(scope) that O(users) does not list.
      - V(keep) only reports them; V(suspend) disables them; V(remove) deletes them.
      - The account the module logs in with (O(api_username)) is never suspended or removed, so V(suspend) and
        V(remove) need O(api_username) and O(api_password).
    type: str
    choices: [keep, suspend, remove]
    default: keep
"""

EXAMPLES = r"""
- name: Converge the operators group from the HR export
  msp.accounts.aaa_user_profiles:
    scope:
      user_group: Operators
    users: "{{ hr_operators }}"
    unlisted: suspend

- name: The same from a JSON file (faster than a vars file for thousands of users)
  msp.accounts.aaa_user_profiles:
    scope:
      user_group: Operators
    users: "{{ lookup('ansible.builtin.file', 'exports/operators.json') | from_json }}"
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
  description: The users within O(scope) not in O(users), each with C(action) V(kept), V(suspended), V(removed) or V(failed).
  returned: always
  type: list
  elements: dict
  sample: [{name: departed, action: suspended}]
"""

from ansible_collections.msp.accounts.plugins.module_utils import _aaa
from ansible_collections.msp.accounts.plugins.module_utils._base import BulkModule


class AaaUserProfiles(BulkModule):
    adapter = _aaa.UserProfiles
    scope = dict(user_group=dict(type="str"))
    suspended = {"enabled": False}


def main():
    AaaUserProfiles().run()


if __name__ == "__main__":
    main()
