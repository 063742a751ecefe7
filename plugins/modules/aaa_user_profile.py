#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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

import re

from ansible_collections.msp.accounts.plugins.module_utils import _aaa
from ansible_collections.msp.accounts.plugins.module_utils import _diff
from ansible_collections.msp.accounts.plugins.module_utils._aaa import AaaApi
from ansible_collections.msp.accounts.plugins.module_utils._base import LegacyAccountModule, InputError

# Managed options whose only writer is PUT /api/AAA/Users/{id}; the rest are profile fields.
USERS_ONLY = ("full_name", "user_group", "subgroups", "account_expiration", "password_change")
PASSWORD_CHANGES = ("never", "immediate")


def is_id(value):
    return bool(re.match(r"^[0-9]+$", str(value).strip()))


def int_id(value):
    """An ID as an integer (``1``, ``"1"``, ``{"id": "1"}``), or ``None`` when there is no readable one."""
    text = _aaa.ref_id(value)
    return int(text) if text is not None and is_id(text) else None


def status_flag(value):
    """``AccountStatus`` as ``0``/``1``, or ``None`` when the value is missing or unknown."""
    flag = int_id(value)
    return flag if flag in (0, 1) else None


def _no_blank(value):
    """No value and an empty text are the same (a cleared e-mail may read back as null or "")."""
    return None if value in (None, "") else value


def _mapping_equal(current, desired):
    """Every named entry has the same value as text (other entries are not compared)."""
    current = current or {}
    return all(name in current and current[name] == _aaa.value_text(value) for name, value in (desired or {}).items())


FIELDS = {
    "name": _diff.PLAIN,
    "full_name": _diff.PLAIN,
    "email": _diff.Field(normalise=_no_blank),
    "enabled": _diff.BOOL,
    "user_group": _diff.ENUM,
    "subgroups": _diff.set_of(_diff.normalise_id),
    "authentication_type": _diff.ENUM,
    "account_expiration": _diff.Field(normalise=_aaa.account_expiration_text),
    "password_change": _diff.ENUM,
    "preferences": _diff.Field(equal=_mapping_equal),
    "properties": _diff.Field(equal=_mapping_equal),
    "password": _diff.SECRET,
}


class AaaUserProfile(LegacyAccountModule):
    platform = "aaa"
    api_class = AaaApi
    fields = FIELDS

    def __init__(self):
        super(AaaUserProfile, self).__init__(dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            full_name=dict(type="str"),
            user_group=dict(type="str"),
            subgroups=dict(type="list", elements="str"),
            authentication_type=dict(type="str"),
            email=dict(type="str"),
            enabled=dict(type="bool"),
            password=dict(type="str", no_log=True),
            update_password=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
            preferences=dict(type="dict"),
            properties=dict(type="dict"),
            account_expiration=dict(type="str"),
            password_change=dict(type="str", no_log=False),
        ))
        self.record = None
        self.ids = {}
        self.definitions = {}

    # -- input checks (no request) ---------------------------------------------------------

    def validate(self):
        p = self.params
        if p["state"] == "absent":
            return
        if p["full_name"] is not None and not p["full_name"].strip():
            self.fail("full_name must not be empty")
        if p["email"] and not re.match(r"^[^@\s]+@[^@\s]+$", p["email"].strip()):
            self.fail("email %r is not an e-mail address (name@domain), or use \"\" to clear it" % p["email"])
        for key in ("user_group", "authentication_type"):
            if p[key] is not None and not p[key].strip():
                self.fail("%s must be a name or a numeric ID, not empty" % key)
        if p["subgroups"] and any(not (s or "").strip() for s in p["subgroups"]):
            self.fail("subgroups must list group names or numeric IDs; an entry is empty")
        if p["user_group"] and p["subgroups"] and any(_diff.fold(s.strip()) == _diff.fold(p["user_group"].strip())
                                                      for s in p["subgroups"]):
            self.fail("user_group %s cannot be one of the subgroups as well" % p["user_group"])
        if p["password"] is not None and not p["password"]:
            self.fail("password must not be empty")
        auth = p["authentication_type"]
        if p["password"] and auth and not _aaa.is_internal_ref(auth):
            self.fail("password can only be set for Internal authentication (authentication_type Internal or 1), "
                      "not for authentication_type %s; remove password" % auth)
        for key in ("preferences", "properties"):
            for name, value in (p[key] or {}).items():
                if not str(name).strip():
                    self.fail("%s: a name is empty" % key)
                if value is None or isinstance(value, (dict, list)):
                    self.fail("%s: the value of %s must be a string or number, not %r" % (key, name, value))
        expiration = p["account_expiration"]
        if expiration is not None and not (expiration.strip().lower() == "never" or _aaa.canonical_moment(expiration)):
            self.fail("account_expiration must be never, a date YYYY-MM-DD or a date and time YYYY-MM-DD HH:MM:SS "
                      "(HH:MM also accepted), not %r" % expiration)
        change = p["password_change"]
        if change is not None and not (change.strip().lower() in PASSWORD_CHANGES or _aaa.password_change_day_ok(change)):
            self.fail("password_change must be never, immediate or a date YYYY-MM-DD from 1970-01-02 to 2038-01-19, not %r"
                      % change)

    # -- read ----------------------------------------------------------------------------------

    def find(self):
        self.record = self.api.find_user(self.params["name"].strip())
        return None if self.record is None else _aaa.user_view(self.record)

    # -- what the user asked for, in the server's terms ----------------------------------------

    def desired(self, current):
        wanted = super(AaaUserProfile, self).desired(current)
        wanted["name"] = self.params["name"].strip()
        if self.params["state"] == "absent":
            return wanted
        for key in ("full_name", "email"):
            if key in wanted:
                wanted[key] = wanted[key].strip()
        if "account_expiration" in wanted:
            # Compared and sent in one form: 2027-1-5 7:05 is 2027-01-05 07:05:00.
            text = wanted["account_expiration"].strip()
            wanted["account_expiration"] = "never" if text.lower() == "never" else _aaa.canonical_moment(text)
        if "password_change" in wanted:
            wanted["password_change"] = _aaa.password_change_text(wanted["password_change"])
            # "immediate" goes with a password being set; it never forces a second change.
            if wanted["password_change"] == "immediate" and current is not None and "password" not in wanted:
                del wanted["password_change"]
        if current is None:
            self._check_required(wanted)
        self._resolve_group(wanted, current)
        self._resolve_auth_type(wanted, current)
        self._resolve_subgroups(wanted, current)
        for kind in ("preferences", "properties"):
            if kind in wanted:
                wanted[kind] = self._resolve_entries(kind, wanted[kind], current)
        self._check_password(wanted, current)
        return wanted

    def _resolve_group(self, wanted, current):
        value = wanted.get("user_group")
        if value is None:
            if current is not None:
                self.ids["user_group"] = current["user_group_id"]
            return
        value = value.strip()
        if current is not None and (str(current["user_group_id"]) == value if is_id(value)
                                    else _diff.fold(current["user_group"]) == _diff.fold(value)):
            wanted["user_group"] = current["user_group"]
            self.ids["user_group"] = current["user_group_id"]
        elif is_id(value) and not self.module.check_mode:
            # The write needs only the ID; the server's answer names the group.
            wanted["user_group"] = value
            self.ids["user_group"] = int(value)
        else:
            # A name, or (check mode) an ID: read the group so the prediction carries its name and ID.
            group = self.api.user_group(value)
            wanted["user_group"] = group["UserGroupName"]
            self.ids["user_group"] = _aaa.as_int(group["UserGroupID"])

    def _resolve_auth_type(self, wanted, current):
        value = wanted.get("authentication_type")
        if value is None:
            self.ids["authentication_type"] = current["authentication_type_id"] if current else _aaa.INTERNAL_AUTH_TYPE_ID
            return
        value = value.strip()
        if current is not None and (str(current["authentication_type_id"]) == value if is_id(value)
                                    else _diff.fold(current["authentication_type"]) == _diff.fold(value)):
            wanted["authentication_type"] = current["authentication_type"]
            self.ids["authentication_type"] = current["authentication_type_id"]
        elif _aaa.is_internal_ref(value):
            wanted["authentication_type"] = _aaa.INTERNAL_AUTH_TYPE_NAME
            self.ids["authentication_type"] = _aaa.INTERNAL_AUTH_TYPE_ID
        elif is_id(value) and not self.module.check_mode:
            wanted["authentication_type"] = value
            self.ids["authentication_type"] = int(value)
        else:
            auth = self.api.auth_type(value)
            wanted["authentication_type"] = auth["AuthenticationTypeName"]
            self.ids["authentication_type"] = _aaa.as_int(auth["AuthenticationTypeID"])

    def _resolve_subgroups(self, wanted, current):
        values = wanted.get("subgroups")
        if values is None:
            return
        values = [v.strip() for v in values]
        if all(is_id(v) for v in values):
            ids = [int(v) for v in values]
        else:
            groups = self.api.list_user_groups()
            ids = [int(v) if is_id(v) else _aaa.as_int(AaaApi.pick(groups, v, "UserGroupID", "UserGroupName", "user group")["UserGroupID"])
                   for v in values]
        wanted["subgroups"] = sorted(set(ids))
        primary = int_id(self.ids.get("user_group"))
        if primary is not None and primary in wanted["subgroups"]:
            raise InputError("user_group %s cannot be one of the subgroups as well" % (wanted.get("user_group") or primary))

    def _resolve_entries(self, kind, given, current):
        """Preference/property names in the server's spelling; unknown names fail listing the known ones."""
        have = dict((_diff.fold(n), n) for n in ((current or {}).get(kind) or {}))
        resolved = {}
        missing = [name for name in given if _diff.fold(str(name).strip()) not in have]
        known = {}
        if missing:
            known = self._definitions(kind)
            folded = dict((_diff.fold(n), n) for n in known)
            unknown = [name for name in missing if _diff.fold(str(name).strip()) not in folded]
            if unknown:
                names = sorted(set(known) | set(have.values()))
                raise InputError("%s: unknown name%s %s; known: %s" % (
                    kind, "s" if len(unknown) > 1 else "", ", ".join(sorted(str(u) for u in unknown)),
                    ", ".join(names) or "none"))
            have.update(folded)
        for name, value in given.items():
            resolved[have[_diff.fold(str(name).strip())]] = _aaa.value_text(value)
        if kind == "preferences" and self.record is not None:
            for item in self.record.get("Preferences") or []:
                name = item.get("PreferenceName")
                if name in resolved and str(item.get("Override", 0)) == "1" \
                        and _aaa.value_text(item.get("PreferenceValue")) != _aaa.value_text(resolved[name]):
                    raise InputError("preferences: %s is locked by user group %s (value %s); it cannot be changed for this user"
                                     % (name, current.get("user_group"), _aaa.value_text(item.get("PreferenceValue"))))
        return resolved

    def _definitions(self, kind):
        if kind not in self.definitions:
            self.definitions[kind] = self.api.known_names(kind)
        return self.definitions[kind]

    def _check_password(self, wanted, current):
        if "password" not in wanted:
            return
        auth_id = self.ids.get("authentication_type")
        if auth_id is None:
            return  # the record names no authentication type: the server judges the password
        if str(auth_id) != str(_aaa.INTERNAL_AUTH_TYPE_ID):
            name = wanted.get("authentication_type") or (current or {}).get("authentication_type") or auth_id
            raise InputError("password can only be set for Internal authentication; user %s uses %s. "
                             "Remove password (or set update_password: on_create)" % (wanted["name"], name))

    def _check_required(self, wanted):
        """Creation needs these (checked before any lookup, in check mode too)."""
        missing = [key for key in ("full_name", "user_group") if not wanted.get(key)]
        internal = wanted.get("authentication_type") is None or _aaa.is_internal_ref(wanted["authentication_type"])
        if internal and not wanted.get("password"):
            missing.append("password")
        if missing:
            raise InputError("user %s does not exist; creating it needs full_name, user_group and, for Internal "
                             "authentication, password (missing: %s)" % (wanted["name"], ", ".join(missing)))

    # -- writes ----------------------------------------------------------------------------------

    def create(self, desired):
        change = desired.get("password_change") or "never"
        body = {
            "UserName": desired["name"],
            "FullName": desired["full_name"],
            "UserGroup": self.ids["user_group"],
            "Subgroups": desired.get("subgroups") or [],
            "AuthenticationType": self.ids["authentication_type"],
            "AccountStatus": "0" if desired.get("enabled") is False else "1",
            "AccountExpiration": _aaa.account_expiration_body(desired.get("account_expiration")),
            "PasswordChange": change,
            "PasswordExpiration": _aaa.password_expiration_for(change),
            "Preferences": self._entries("preferences", desired.get("preferences") or {}, []),
            "Properties": self._entries("properties", desired.get("properties") or {}, []),
        }
        if desired.get("email") is not None:
            body["EmailAddress"] = desired["email"]
        if desired.get("password"):
            body["Password"] = body["RepeatPassword"] = desired["password"]
        record = self.api.create_user(body)
        return self._result(record, desired)

    def execute(self):
        result = super(AaaUserProfile, self).execute()
        for view in (result.get("diff") or {}).values():
            # Both sides in the module's terms, so that check mode and a real run show the same diff
            # ("[Never]" as read and "never" as predicted are both "never"; subgroups are a set).
            if "account_expiration" in view:
                view["account_expiration"] = _aaa.account_expiration_text(view["account_expiration"])
            if isinstance(view.get("subgroups"), list):
                view["subgroups"] = sorted(view["subgroups"], key=str)
        if self.module.check_mode and self.params["state"] == "present" and result.get("user"):
            result["user"] = self._with_ids(result["user"])
        return result

    def update(self, current, change, desired):
        """One PUT: the record as read with ``change`` applied; keys the record lacks are left out."""
        record = self.record or {}
        body = {}
        if "enabled" in change:
            status = 1 if _diff.to_bool(change["enabled"]) else 0
        else:
            status = status_flag(record.get("AccountStatus"))
        if status is not None:
            body["AccountStatus"] = status
        auth = int_id(self.ids.get("authentication_type"))
        if auth is not None:
            body["AuthenticationType"] = auth
        email = change["email"] if "email" in change else record.get("EmailAddress")
        if email is not None:
            body["EmailAddress"] = email
        body["Preferences"] = self._entries("preferences", change.get("preferences") or {}, record.get("Preferences") or [])
        body["Properties"] = self._entries("properties", change.get("properties") or {}, record.get("Properties") or [])
        if "password" in change:
            body["Password"] = body["RepeatPassword"] = change["password"]
        if not any(key in change for key in USERS_ONLY):
            answer = self.api.update_user_profile(self._user_id(current), body)
            return self._result(answer, _diff.merge(current, change))
        # The Users body takes AccountStatus as text ("0"/"1").
        if "AccountStatus" in body:
            body["AccountStatus"] = str(body["AccountStatus"])
        body["UserName"] = current["name"]
        full_name = change.get("full_name", record.get("FullName"))
        if full_name is not None:
            body["FullName"] = full_name
        group = int_id(self.ids.get("user_group"))
        if group is not None:
            body["UserGroup"] = group
        if "subgroups" in change:
            body["Subgroups"] = change["subgroups"]
        elif isinstance(record.get("Subgroups"), list):
            body["Subgroups"] = [_aaa.as_int(_aaa.ref_id(item)) for item in record["Subgroups"]]
        expiration = change.get("account_expiration", record.get("AccountExpiration"))
        if expiration is not None:
            body["AccountExpiration"] = _aaa.account_expiration_body(expiration)
        if "password_change" in change:
            body["PasswordChange"] = change["password_change"]
        answer = self.api.update_user(self._user_id(current), body)
        return self._result(answer, _diff.merge(current, change))

    def delete(self, current):
        self.api.delete_user(self._user_id(current))

    def _user_id(self, current):
        user_id = int_id(current.get("id"))
        if user_id is None:
            raise InputError("the server's record of user %s has no readable UserID (%r); it cannot be changed or deleted"
                             % (current.get("name"), current.get("id")))
        return user_id

    # -- helpers ---------------------------------------------------------------------------------

    def _entries(self, kind, values, items):
        """The whole Preferences/Properties array: ``items`` as read with ``values`` applied."""
        if kind == "preferences":
            name_key, value_key, id_key = "PreferenceName", "PreferenceValue", "PreferenceID"
        else:
            name_key, value_key, id_key = "PropertyName", "PropertyValue", "PropertyID"
        values = dict(values)
        result = []
        for item in items:
            item = dict(item)
            name = item.get(name_key)
            if name in values:
                item[value_key] = _aaa.value_like(values.pop(name), item.get(value_key))
            result.append(item)
        known = self.definitions.get(kind) or {}
        for name, value in values.items():
            entry = {id_key: _aaa.as_int(known[name])} if known.get(name) is not None else {}
            entry[name_key] = name
            # Preference values are integers in the documented write schema, property values text.
            entry[value_key] = _aaa.value_like(value, 0) if kind == "preferences" else _aaa.value_text(value)
            result.append(entry)
        return result

    def _result(self, record, predicted):
        """The friendly user from the server's answer, or ``predicted`` when the answer carries no record."""
        if isinstance(record, dict) and record.get("UserName"):
            return _aaa.user_view(record)
        return self._with_ids(predicted)

    def _with_ids(self, user):
        """A predicted user whose ``*_id`` keys follow the group and authentication type being written."""
        user = dict(user)
        for key in ("user_group", "authentication_type"):
            ident = int_id(self.ids.get(key))
            if ident is not None:
                user[key + "_id"] = ident
        if user.get("authentication_type") is None and user.get("authentication_type_id") == _aaa.INTERNAL_AUTH_TYPE_ID:
            user["authentication_type"] = _aaa.INTERNAL_AUTH_TYPE_NAME
        return user


def main():
    AaaUserProfile().run()


if __name__ == "__main__":
    main()
