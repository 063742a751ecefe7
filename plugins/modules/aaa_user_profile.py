#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: aaa_user_profile
short_description: Manage Oracle Communications Unified Assurance users and their profiles
version_added: 0.1.0
author:
  - msp.accounts contributors (@msp-accounts)
description:
  - Creates, updates and deletes a user of Oracle Communications Unified Assurance (formerly Assure1)
    through the AAA area of its Core REST API, including the user's profile (e-mail, status,
    authentication type, password, preferences and properties).
  - The user is looked up with one filtered C(GET /api/AAA/Users) request (operator C(eq)); the
    name is then matched exactly, so a user whose name merely starts with or contains O(name) is
    never picked.
  - A user is created with C(POST /api/AAA/Users) and deleted with C(DELETE /api/AAA/Users/{id}).
  - Changes to profile fields only (O(email), O(enabled), O(authentication_type), O(password),
    O(preferences), O(properties)) are sent with C(PUT /api/AAA/UserProfiles/{id}). When O(full_name),
    O(user_group), O(subgroups), O(account_expiration) or O(password_change) change as well, one
    C(PUT /api/AAA/Users/{id}) carries all the changes instead.
  - Every update is a read-modify-write. The body is the user as read with the changes applied, and the
    C(Preferences) and C(Properties) arrays are sent whole. Entries you do not manage keep their values.
    A field the server's record does not carry (for example no C(AccountStatus)) is left out of the body
    unless you change it, so the server keeps its own value.
  - Only the options you set are compared and changed. A run that changes nothing sends one request.
extends_documentation_fragment:
  - msp.accounts.aaa
  - msp.accounts.attributes
  - msp.accounts.attributes.ACTIONS
  - msp.accounts.attributes.AAA_GROUP
options:
  name:
    description:
      - The user name (C(UserName)). Matched exactly, including case.
      - Unified Assurance treats user names case-insensitively. If a user exists whose name differs
        from O(name) only in case, the module fails and names that user instead of creating a second one.
    type: str
    required: true
  state:
    description:
      - V(present) creates the user if needed and makes the options you set match.
      - V(absent) deletes the user (C(DELETE /api/AAA/Users/{id})) when it exists.
    type: str
    choices: [present, absent]
    default: present
  full_name:
    description:
      - The user's full name (C(FullName)). Required when the user is created.
      - Compared exactly.
    type: str
  user_group:
    description:
      - The primary user group, by name or by numeric ID (group names are never all digits).
        The user inherits its roles, properties and preferences.
      - Required when the user is created.
      - A name is compared case-insensitively with the group's name, an ID with the group's ID. A name
        is turned into an ID with C(GET /api/AAA/UserGroups) only when the group has to be written.
      - In check mode, an ID that is not the user's current group is also looked up (one C(GET /api/AAA/UserGroups)),
        so that the predicted RV(user) names the group and an unknown ID fails as the real run would.
    type: str
  subgroups:
    description:
      - Further groups of the user, by name or numeric ID. The user inherits only their restrictive
        access properties.
      - The list is the whole truth and is compared as a set. V([]) removes every subgroup.
      - The API returns subgroups as IDs only. Give IDs to keep a run that changes nothing at one request;
        names cost one C(GET /api/AAA/UserGroups) request on each run.
      - The primary group (O(user_group)) cannot be a subgroup as well.
    type: list
    elements: str
  authentication_type:
    description:
      - The authentication type instance, by name (for example V(Internal) or V(LDAP)) or numeric ID.
      - Defaults to V(Internal) (ID 1) when the user is created.
      - A name is compared case-insensitively. V(Internal) maps to ID 1 without a request. Other names are
        turned into an ID with C(GET /api/AAA/AuthTypes) only when the type has to be written.
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
      - Only users with Internal authentication have a password. Setting one for another authentication
        type fails before any request is sent, or, for an existing user, before any change.
      - Required when an Internal user is created.
      - The API never returns a password, so it cannot be compared. See O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when the user is created.
      - V(always) sends O(password) on every run. Such runs always report a change.
    type: str
    choices: [on_create, always]
    default: on_create
  preferences:
    description:
      - User preferences as a dictionary that maps preference names to values, for example C(PageSize) to V(50).
        Names are matched case-insensitively. Values are compared as text.
      - Only the preferences you name are changed. The user's other preferences are sent back as they are.
      - A name the user has no entry for yet is looked up in C(GET /api/AAA/Preferences). An unknown name
        fails before any change, and the message lists the known names.
      - A preference locked by the user group (C(Override) V(1)) cannot be given a different value. The
        module fails before any change.
    type: dict
  properties:
    description:
      - User properties as a dictionary that maps property names to values, for example C(ResetQuestion) to V(First pet?).
        Names are matched case-insensitively. Values are compared as text.
      - Only the properties you name are changed. The user's other properties are sent back as they are.
      - A name the user has no entry for yet is looked up in C(GET /api/AAA/UserProperties). An unknown name
        fails before any change, and the message lists the known names.
    type: dict
  account_expiration:
    description:
      - When the account expires. Use V(never), a date V(YYYY-MM-DD) or a date and time V(YYYY-MM-DD HH:MM:SS).
        V(HH:MM), a V(T) between date and time and one-digit months, days and hours are accepted too.
        Anything else fails before any request.
      - The value is compared and sent in one form, for example V(2027-1-5 7:05) as C(2027-01-05 07:05:00)
        and V(never) as C(0).
      - The server's C([Never]) and C(0) count as V(never). A time of V(00:00:00) is the same as the date alone.
      - Defaults to V(never) when the user is created.
    type: str
  password_change:
    description:
      - When the user must change the password. Use V(never), V(immediate) (at the next login) or a date V(YYYY-MM-DD)
        from V(1970-01-02) to V(2038-01-19) (the days a C(PasswordExpiration) timestamp can say). One-digit months and
        days are accepted and sent as two digits (V(2027-2-3) as C(2027-02-03)). Anything else fails before any request.
      - V(never) and a date are compared with the C(PasswordExpiration) timestamp the server returns.
        A date is compared by day.
      - V(immediate) is applied when the user is created and each time O(password) is sent. It is not
        compared otherwise, so it does not force another change after the user has set their own password.
      - Defaults to V(never) when the user is created.
    type: str
notes:
  - Unified Assurance answers some failures with HTTP 200 and C(success) V(false). The module treats them as
    errors and shows the server's C(message) and C(errors), with the method, endpoint and status.
  - "Requests: a run that changes nothing sends 1 (the filtered user read, which carries the profile). A change
    sends 2. A creation sends 2. Group, subgroup or authentication type names that have to be resolved and
    preferences or properties that are new to the user add one read each."
  - Credentials are checked before any request. Without O(api_username) and O(api_password) or O(client_cert)
    the module fails and names both ways in; an empty E(AAA_API_USERNAME) or E(AAA_API_PASSWORD) counts as not set.
  - The diff shows O(account_expiration) as V(never) or C(YYYY-MM-DD[ HH:MM:SS]) on both sides, and O(subgroups) sorted,
    so check mode and a real run show the same diff.
seealso:
  - module: msp.accounts.aaa_user_profile_info
"""

EXAMPLES = r"""
- name: Manage Unified Assurance users
  module_defaults:
    group/msp.accounts.aaa:
      api_url: https://ua.example.com
      api_username: api
      api_password: "{{ vault_ua_api_password }}"
      ca_path: /etc/pki/ua/BundleCA.crt
  block:
    - name: Create an operator with an initial password that must be changed at first login
      msp.accounts.aaa_user_profile:
        name: jdoe
        full_name: Jane Doe
        email: jdoe@example.com
        user_group: Operators
        password: "{{ vault_jdoe_initial_password }}"
        password_change: immediate
        preferences:
          PageSize: 100

    - name: Disable the user and set one preference; other preferences stay as they are
      msp.accounts.aaa_user_profile:
        name: jdoe
        enabled: false
        preferences:
          DefaultDisplayID: 5

    - name: Reset the password now (reports a change on every run)
      msp.accounts.aaa_user_profile:
        name: jdoe
        password: "{{ vault_jdoe_new_password }}"
        update_password: always
        password_change: immediate

    - name: Move the user to another group, with subgroups by ID
      msp.accounts.aaa_user_profile:
        name: jdoe
        user_group: Administrators
        subgroups: ["1001"]

    - name: Remove the user
      msp.accounts.aaa_user_profile:
        name: jdoe
        state: absent

- name: Authenticate with a client certificate instead of a password
  msp.accounts.aaa_user_profile:
    api_url: https://ua.example.com
    client_cert: /etc/pki/ua/User-api.crt
    client_key: /etc/pki/ua/User-api.key
    ca_path: /etc/pki/ua/BundleCA.crt
    name: ldapuser
    full_name: LDAP User
    user_group: Operators
    authentication_type: LDAP
    properties:
      ResetQuestion: Name of your first lab
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
    - The user after the task, without any password. Empty after V(absent).
    - After a creation or update it is the server's answer.
    - In check mode it is predicted. For an update, it is the user as read with the changes applied. RV(user.user_group_id)
      and RV(user.authentication_type_id) follow the change, and a group or type given by ID carries its name. For a
      creation, it holds only the options you set plus the IDs (no RV(user.id), no server defaults or login counters).
      A changed RV(user.account_expiration) is in the module's form (V(never) or C(YYYY-MM-DD[ HH:MM:SS])) where the
      server would answer C([Never]) or its own text.
    - If the server answers a write without the record, the user is predicted the same way, but without any lookup,
      so a group or type given by ID is named by its ID.
  returned: always
  type: dict
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
      sample: [3]
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
      description: O(password_change) as read from RV(user.password_expiration) (V(never), V(immediate) or a date).
      type: str
      sample: never
    preferences:
      description: The user's preferences, name to value (as text).
      type: dict
      sample: {"PageSize": "100", "DefaultDisplayID": "1"}
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
      sample: 0
    last_login_failed:
      description: Timestamp of the last failed login.
      type: int
      sample: 0
    support_username:
      description: The Oracle support site user name.
      type: str
      sample: ""
"""

from ansible_collections.msp.accounts.plugins.module_utils._aaa import UserProfiles
from ansible_collections.msp.accounts.plugins.module_utils._base import AccountModule


class AaaUserProfile(AccountModule):
    adapter = UserProfiles


def main():
    AaaUserProfile().run()


if __name__ == "__main__":
    main()
