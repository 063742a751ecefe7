# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The access review of the msp.accounts.access_review role, as pure functions.

``access_review`` turns what the ``*_info`` modules read into one report: every account in one
shape, the people the accounts belong to, and the findings (the access_review_render filter, beside
this file, writes a report as JSON, CSV or one self-contained HTML page). Nothing here talks to a
server or touches a file; the role reads and writes, these functions decide.
"""

DOCUMENTATION = r"""
name: access_review
author:
  - msp.accounts contributors (@msp-accounts)
version_added: 0.3.0
short_description: Correlate the accounts read from AhsayCBS, VSPC and Unified Assurance into people and judge them
description:
  - The logic of the role C(msp.accounts.access_review).
    It turns the registered results of M(msp.accounts.ahsay_user_info), M(msp.accounts.ahsay_sysuser_info),
    M(msp.accounts.veeam_user_info) and M(msp.accounts.aaa_user_profile_info) into one report with every account,
    the people they belong to and the findings. It reads and writes nothing.
  - 'Correlation: an account belongs to a person of O(users) by e-mail address (case-insensitive), else by login name
    (case-insensitive; the entry''s C(name) on every platform, a platform dictionary''s C(name) on that platform), else by
    the entry''s explicit mapping C(accounts). A step that points to several people decides nothing. Service accounts are
    never matched to a person; the other accounts of no listed person are grouped into people by shared e-mail address
    or login name.'
  - 'Findings: C(departed_enabled) (high), C(orphan) (high, only when O(users) is given), C(privileged) (medium),
    C(no_mfa) (medium), C(password_expired) (medium), C(inactive) (low) and C(stale_disabled) (low). The severity of
    C(orphan), C(privileged), C(no_mfa) and C(password_expired) is V(low) for a disabled account.'
  - A result whose message says that C(api_url) is missing marks the platform as skipped; any other failed result
    marks it as failed. An AhsayCBS read refused with C(Your password has expired) adds a C(password_expired) finding
    for the system user the connection logs in with.
  - Only named fields are copied from the results, so no password, hash, token or key reaches the report.
positional: _input
options:
  _input:
    description:
      - 'The registered results by platform and kind: C({ahsay: {backup_user: R, system_user: R}, veeam: {portal_user: R},
        aaa: {user: R}}). A missing or skipped result is a platform not read.'
    type: dict
    required: true
  users:
    description:
      - The source of truth, entries as for the C(access_review_users) variable of the role (C(name), C(email),
        C(ahsay), C(veeam), C(aaa) with C(name) and C(email), and the explicit mapping C(accounts)).
    type: list
    elements: dict
  departed:
    description: Names or e-mail addresses of people who left.
    type: list
    elements: str
  service_accounts:
    description:
      - Login names that belong to no person, on any platform. The C(connection.api_username) of each result (the
        user the info module logged in as) is added for its platform.
    type: list
    elements: str
  stale_days:
    description: Days after which an enabled account is C(inactive) and a disabled one C(stale_disabled).
    type: int
    default: 90
  privileged:
    description:
      - 'What counts as privileged, merged over C({ahsay: [admin], veeam: [portal_administrator, company_owner,
        company_administrator], aaa: [Administrators]}).'
    type: dict
  now:
    description: The time of the review, as C(YYYY-MM-DDTHH:MM:SSZ) or seconds since the epoch (default the current time).
    type: raw
  render:
    description:
      - Formats to render the report in (V(json), V(csv), V(html), as P(msp.accounts.access_review_render#filter) does).
      - When given, the filter returns only the small parts of the report (C(generated_at), C(stale_days),
        C(source_of_truth), C(platforms), C(summary)) and the texts of the formats under C(rendered), so that a review of
        tens of thousands of accounts never becomes a large Ansible variable. The role uses this.
    type: list
    elements: str
  connections:
    description:
      - 'C({platform: {api_url, api_username}}) for results without C(connection) (for example a task that failed
        before the module ran).'
    type: dict
"""

EXAMPLES = r"""
- name: Judge the accounts read before
  ansible.builtin.set_fact:
    review: >-
      {{ {'ahsay': {'backup_user': ahsay_users, 'system_user': ahsay_sysusers},
          'veeam': {'portal_user': vspc_users}, 'aaa': {'user': ua_users}}
         | msp.accounts.access_review(users=people, departed=['j.smith@example.com'], stale_days=60) }}

- name: Show the findings
  ansible.builtin.debug:
    msg: "{{ review.findings | map(attribute='reason') | list }}"
"""

RETURN = r"""
_value:
  description:
    - With O(render), the small parts of the report and C(rendered) (format to text).
    - Otherwise the report, with the keys C(generated_at), C(stale_days), C(source_of_truth), C(platforms) (per platform
      C(label), C(url), C(status) V(read)/V(skipped)/V(failed), C(reason), C(service_account), C(kinds), C(counts)),
      C(summary) (counts, per finding kind), C(accounts) (C(platform), C(kind), C(login), C(email), C(status),
      C(enabled), C(role), C(organization), C(last_activity), C(disabled_since), C(mfa), C(password_expires),
      C(person), C(person_source), C(matched_by), C(findings)), C(people) (each with its C(accounts)) and C(findings)
      (C(kind), C(severity), C(platform), C(account_kind), C(login), C(person), C(reason)).
  type: dict
"""

import datetime
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible.module_utils.six import string_types

from ansible_collections.msp.accounts.plugins.plugin_utils import _access_review_render as renderer

# Platforms, their names in reports, and the kinds of account read on each (in report order).
PLATFORMS = (
    ("ahsay", "AhsayCBS", ("backup_user", "system_user")),
    ("veeam", "VSPC", ("portal_user",)),
    ("aaa", "Unified Assurance", ("user",)),
)
PLATFORM_LABELS = dict((name, label) for name, label, _kinds in PLATFORMS)
PLATFORM_KINDS = dict((name, kinds) for name, _label, kinds in PLATFORMS)
KIND_LABELS = {"backup_user": "backup user", "system_user": "system user", "portal_user": "portal user", "user": "user"}
ENV_PREFIX = {"ahsay": "AHSAY", "veeam": "VEEAM", "aaa": "AAA"}

# Finding kinds in report order, their base severity and what they mean (for the summary).
FINDINGS = (
    ("departed_enabled", "high", "A person who left still has an enabled account."),
    ("orphan", "high", "An account of no one in the source of truth (service accounts aside)."),
    ("privileged", "medium", "An administrative account: AhsayCBS admin system users, VSPC portal administrators, company "
                             "owners and administrators, Unified Assurance users in an administrative group."),
    ("no_mfa", "medium", "A VSPC user whose MFA policy the API reports as not enabled."),
    ("password_expired", "medium", "A Unified Assurance user whose password has expired (or must be changed at the next "
                                   "login), or the AhsayCBS system user of the connection, whose password AhsayCBS reports "
                                   "as expired."),
    ("inactive", "low", "An enabled account without a login (Unified Assurance) or backup (AhsayCBS) for longer than the "
                        "stale period."),
    ("stale_disabled", "low", "An account disabled for longer than the stale period, where the platform gives a date."),
)
FINDING_KINDS = tuple(kind for kind, _severity, _text in FINDINGS)
BASE_SEVERITY = dict((kind, severity) for kind, severity, _text in FINDINGS)
FINDING_TEXT = dict((kind, text) for kind, _severity, text in FINDINGS)
SEVERITIES = ("high", "medium", "low")

# What counts as privileged: AhsayCBS system-user roles, VSPC roles (snake_case, as the modules return them),
# Unified Assurance primary user groups (compared case-insensitively).
DEFAULT_PRIVILEGED = {
    "ahsay": ["admin"],
    "veeam": ["portal_administrator", "company_owner", "company_administrator"],
    "aaa": ["Administrators"],
}

# The AhsayCBS answer to every API call (but UpdateSysUser) of a system user whose password has expired.
AHSAY_EXPIRED = "your password has expired"
# The modules' message when neither the option nor the environment variable gives api_url.
NO_URL = re.compile(r"^api_url (is|and .* are) required")
# Unified Assurance PasswordExpiration: never expires.
AAA_NEVER = 2147483647


# -- small helpers -------------------------------------------------------------------------------

def _text(value):
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _fold(value):
    return str(value).strip().casefold()


def _utc(value):
    """A timezone-aware UTC datetime from a datetime, an ISO 8601 text or seconds since the epoch."""
    if value is None or value == "":
        return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    parsed = _parse_date(str(value))
    if parsed is None:
        raise AnsibleFilterError("access_review: now must be a date and time such as 2026-01-31T12:00:00Z, got %r" % (value,))
    return parsed


def _parse_date(text):
    """A date as the platforms write them (``2026-01-31``, ``2026-01-31 12:00:00``, ``...T...Z``), in UTC, or None."""
    text = str(text).strip()
    if text.endswith("Z"):
        text = text[:-1]
    for layout in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, layout).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            continue
    return None


def _epoch(value, millis=False):
    """A timestamp of an API (seconds, or milliseconds with ``millis``) as a UTC datetime; 0 and empty are None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if number <= 0:
        return None
    if millis or number > 100000000000:  # later than the year 5138 in seconds: milliseconds
        number //= 1000
    return datetime.datetime.fromtimestamp(number, datetime.timezone.utc)


def _iso(moment):
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _days(now, moment):
    return int((now - moment).total_seconds() // 86400)


def _names(value, what):
    """A list of non-empty texts from a text or a list of texts."""
    if value is None or value == "":
        return []
    if isinstance(value, string_types):
        value = [value]
    if not is_sequence(value):
        raise AnsibleFilterError("access_review: %s must be a list of texts, got %r" % (what, value))
    out = []
    for item in value:
        if isinstance(item, string_types) or isinstance(item, (int, float)) and not isinstance(item, bool):
            if str(item).strip():
                out.append(str(item).strip())
        elif item is not None:
            raise AnsibleFilterError("access_review: %s must be a list of texts, got the item %r" % (what, item))
    return out


# -- accounts ------------------------------------------------------------------------------------

def _account(platform, kind, user, now):
    """One account of an ``*_info`` module in the report's shape. Only the fields below are copied:
    no password, hash, token or key can reach a report."""
    account = {
        "id": "%s/%s/%s" % (platform, kind, user.get("name")),
        "platform": platform,
        "kind": kind,
        "login": _text(user.get("name")) or "",
        "email": None,
        "status": None,
        "enabled": None,
        "role": None,
        "organization": None,
        "last_activity": None,
        "last_activity_kind": None,
        "disabled_since": None,
        "mfa": None,
        "password_expires": None,
        "person": None,
        "person_source": None,
        "matched_by": None,
        "findings": [],
    }
    status = _text(user.get("status"))
    if platform == "ahsay" and kind == "backup_user":
        account["email"] = _text(user.get("email"))
        account["status"] = status
        account["enabled"] = status == "enabled" if status else None
        account["organization"] = _text(user.get("owner"))
        account["last_activity_kind"] = "backup"
        last = _epoch(user.get("last_backup_date"), millis=True)
        account["last_activity"] = _iso(last)
        account["_last"] = last
        account["_registered"] = _epoch(user.get("registration_date"), millis=True)
        suspend_at = _text(user.get("suspend_at"))
        since = _parse_date(suspend_at) if suspend_at and suspend_at != "never" else None
        if account["enabled"] is False and since is not None and since <= now:
            account["disabled_since"] = _iso(since)
    elif platform == "ahsay":
        account["status"] = status
        account["enabled"] = status == "enabled" if status else None
        account["role"] = _text(user.get("role"))
    elif platform == "veeam":
        account["email"] = _text(user.get("email"))
        account["status"] = status
        account["enabled"] = status == "enabled" if status else None
        account["role"] = _text(user.get("role"))
        account["organization"] = _text(user.get("organization_uid"))
        account["mfa"] = _text(user.get("mfa_policy"))
    else:
        account["email"] = _text(user.get("email"))
        enabled = user.get("enabled")
        expires = _text(user.get("account_expiration"))
        expired_at = _parse_date(expires) if expires else None
        if expired_at is not None and expired_at <= now:
            account["status"] = "expired"
            account["enabled"] = False
            account["disabled_since"] = _iso(expired_at)
        else:
            account["status"] = None if enabled is None else ("enabled" if enabled else "disabled")
            account["enabled"] = enabled
        account["role"] = _text(user.get("user_group"))
        account["last_activity_kind"] = "login"
        last = _epoch(user.get("last_login_success"))
        account["last_activity"] = _iso(last)
        account["_last"] = last
        password = _text(user.get("password_expiration"))
        if password is not None:
            try:
                stamp = int(password)
            except ValueError:
                stamp = None
            if stamp == 0:
                account["password_expires"] = "at next login"
                account["_password_expired"] = True
            elif stamp is not None and stamp < AAA_NEVER:
                moment = _epoch(stamp)
                account["password_expires"] = _iso(moment)
                account["_password_expired"] = moment <= now
            elif stamp is not None:
                account["password_expires"] = "never"
    return account


# -- people --------------------------------------------------------------------------------------

class _Person(object):
    def __init__(self, name, source, index=None):
        self.name = name
        self.source = source  # listed | departed | unlisted | service
        self.index = index
        self.departed = source == "departed"
        self.departed_as = None
        self.emails = []
        self.logins = {}  # platform (or "*") -> set of folded logins
        self.mapping = []  # (platform or None, kind or None, folded login)
        self.accounts = []

    def add_email(self, email):
        email = _text(email)
        if email and _fold(email) not in [_fold(e) for e in self.emails]:
            self.emails.append(email)

    def add_login(self, platform, login):
        login = _text(login)
        if login:
            self.logins.setdefault(platform, set()).add(_fold(login))


def _listed_people(users):
    """The people of the source of truth (``access_review_users``, entries as for onboard_user)."""
    people = []
    seen = set()
    if users is None:
        return people
    if not is_sequence(users):
        raise AnsibleFilterError("access_review: access_review_users must be a list of dictionaries")
    for position, entry in enumerate(users):
        where = "access_review_users[%d]" % position
        if not isinstance(entry, dict):
            raise AnsibleFilterError("access_review: %s must be a dictionary, got %r" % (where, entry))
        name = _text(entry.get("name"))
        if not name:
            raise AnsibleFilterError("access_review: %s has no name; every person needs one" % where)
        if _fold(name) in seen:
            raise AnsibleFilterError("access_review: %s: the name %r appears twice; every person must appear once" % (where, name))
        seen.add(_fold(name))
        person = _Person(name, "listed", position)
        person.add_login("*", name)
        for email in _names(entry.get("email"), where + ".email"):
            person.add_email(email)
        for platform in PLATFORM_LABELS:
            options = entry.get(platform)
            if options is None:
                continue
            if not isinstance(options, dict):
                raise AnsibleFilterError("access_review: %s.%s must be a dictionary, got %r" % (where, platform, options))
            person.add_login(platform, options.get("name"))
            for email in _names(options.get("email"), "%s.%s.email" % (where, platform)):
                person.add_email(email)
        for number, item in enumerate(entry.get("accounts") or []):
            item_where = "%s.accounts[%d]" % (where, number)
            if isinstance(item, string_types):
                item = {"login": item}
            if not isinstance(item, dict) or not _text(item.get("login")):
                raise AnsibleFilterError("access_review: %s must be a login name or a dictionary with login (and optionally "
                                         "platform and kind), got %r" % (item_where, item))
            platform = _text(item.get("platform"))
            kind = _text(item.get("kind"))
            if platform is not None and platform not in PLATFORM_LABELS:
                raise AnsibleFilterError("access_review: %s.platform must be one of %s, got %r"
                                         % (item_where, ", ".join(PLATFORM_LABELS), platform))
            kinds = PLATFORM_KINDS[platform] if platform else tuple(KIND_LABELS)
            if kind is not None and kind not in kinds:
                raise AnsibleFilterError("access_review: %s.kind must be one of %s, got %r" % (item_where, ", ".join(kinds), kind))
            person.mapping.append((platform, kind, _fold(item["login"])))
        people.append(person)
    return people


def _index(people):
    emails, logins, mapping = {}, {}, {}
    for person in people:
        for email in person.emails:
            emails.setdefault(_fold(email), []).append(person)
        for platform, names in person.logins.items():
            for login in names:
                logins.setdefault((platform, login), []).append(person)
        for platform, kind, login in person.mapping:
            mapping.setdefault(login, []).append((platform, kind, person))
    return emails, logins, mapping


def _unique(candidates):
    unique = []
    for person in candidates:
        if person not in unique:
            unique.append(person)
    return unique


def _match(account, indexes):
    """The person an account belongs to: by e-mail (case-insensitive), then by login name, then by the explicit
    mapping. A step whose answer is several people decides nothing. Returns (person or None, how, note)."""
    emails, logins, mapping = indexes
    notes = []
    if account["email"]:
        found = _unique(emails.get(_fold(account["email"]), []))
        if len(found) == 1:
            return found[0], "email", None
        if found:
            notes.append("e-mail %s belongs to %s" % (account["email"], ", ".join(sorted(p.name for p in found))))
    login = _fold(account["login"])
    found = _unique(logins.get((account["platform"], login), []) + logins.get(("*", login), []))
    if len(found) == 1:
        return found[0], "login", None
    if found:
        notes.append("login %s belongs to %s" % (account["login"], ", ".join(sorted(p.name for p in found))))
    found = _unique(person for platform, kind, person in mapping.get(login, [])
                    if platform in (None, account["platform"]) and kind in (None, account["kind"]))
    if len(found) == 1:
        return found[0], "mapping", None
    if found:
        notes.append("the mapping of %s names %s" % (account["login"], ", ".join(sorted(p.name for p in found))))
    return None, None, "; ".join(notes) or None


def correlate(accounts, users=None, departed=None, service_accounts=None):
    """Tie every account to a person. Returns the people (listed ones in source order, then departed people who
    are not in the source of truth, then unlisted and service accounts grouped by e-mail or login name).

    Sets ``person``, ``person_source`` and ``matched_by`` on each account (``matched_by``: email, login, mapping,
    service_account, or unlisted)."""
    people = _listed_people(users)
    departed = _names(departed, "access_review_departed")
    for ident in departed:
        folded = _fold(ident)
        hits = [p for p in people if _fold(p.name) == folded or folded in [_fold(e) for e in p.emails]]
        for person in hits:
            person.departed = True
            person.departed_as = ident
        if not hits:
            person = _Person(ident, "departed")
            person.departed_as = ident
            if "@" in ident:
                person.add_email(ident)
            else:
                person.add_login("*", ident)
            people.append(person)
    services = {}
    for platform, names in (service_accounts or {}).items():
        for name in _names(names, "access_review_service_accounts"):
            services.setdefault(_fold(name), set()).add(platform)
    indexes = _index(people)
    unlisted = []
    service_people = {}
    for account in accounts:
        login = _fold(account["login"])
        where = services.get(login, set())
        if "*" in where or account["platform"] in where:
            person = service_people.get(login)
            if person is None:
                person = service_people[login] = _Person(account["login"], "service")
            person.accounts.append(account)
            account.update(person=person.name, person_source="service", matched_by="service_account")
            continue
        person, how, note = _match(account, indexes)
        if person is None:
            account.update(matched_by="unlisted")
            if note:
                account["match_note"] = "ambiguous: " + note
            unlisted.append(account)
            continue
        person.accounts.append(account)
        account.update(person=person.name, person_source=person.source, matched_by=how)
    people.extend(_group_unlisted(unlisted))
    people.extend(service_people[key] for key in sorted(service_people))
    return people


def _group_unlisted(accounts):
    """Accounts of no known person, grouped into people who share an e-mail address or a login name."""
    parent = list(range(len(accounts)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = {}
    for i, account in enumerate(accounts):
        keys = [("login", _fold(account["login"]))]
        if account["email"]:
            keys.append(("email", _fold(account["email"])))
        for key in keys:
            if key in first:
                parent[root(i)] = root(first[key])
            else:
                first[key] = i
    groups = {}
    for i, account in enumerate(accounts):
        groups.setdefault(root(i), []).append(account)
    people = []
    for members in groups.values():
        person = _Person(members[0]["login"], "unlisted")
        for account in members:
            person.add_email(account["email"])
            person.accounts.append(account)
            account.update(person=person.name, person_source="unlisted")
        people.append(person)
    people.sort(key=lambda p: (_fold(p.name), p.name))
    return people


# -- findings ------------------------------------------------------------------------------------

def _finding(account, kind, reason, severity=None):
    if severity is None:
        severity = BASE_SEVERITY[kind] if account["enabled"] is not False else "low"
    return {
        "kind": kind,
        "severity": severity,
        "platform": account["platform"],
        "account_kind": account["kind"],
        "login": account["login"],
        "person": account["person"],
        "reason": reason,
    }


def _privileged_reason(account, privileged):
    role = account["role"]
    if not role:
        return None
    wanted = [_fold(r) for r in privileged.get(account["platform"], [])]
    if _fold(role) not in wanted:
        return None
    if account["platform"] == "ahsay" and account["kind"] == "system_user":
        return "AhsayCBS system user with the %s role" % role
    if account["platform"] == "veeam":
        return "VSPC portal user with the %s role" % role
    if account["platform"] == "aaa":
        return "Unified Assurance user in the administrative group %s" % role
    return None


def account_findings(account, now, stale_days, listed, privileged, people_by_name=None):
    """The findings of one correlated account (see FINDINGS)."""
    findings = []
    enabled = account["enabled"]
    label = "%s %s" % (PLATFORM_LABELS[account["platform"]], KIND_LABELS[account["kind"]])
    if listed and account["person_source"] == "unlisted":
        findings.append(_finding(account, "orphan", "%s %s belongs to no one in access_review_users%s" % (
            "enabled" if enabled else ("disabled" if enabled is False else "status unknown:"), label,
            " (%s)" % account["match_note"] if account.get("match_note") else "")))
    person = (people_by_name or {}).get((account["person_source"], account["person"]))
    if person is not None and person.departed and enabled:
        how = {"email": "by e-mail", "login": "by login name", "mapping": "by the explicit mapping"}.get(account["matched_by"], "")
        findings.append(_finding(account, "departed_enabled", "%s is still enabled; it belongs (%s) to %s, who left" % (
            label, how, person.name)))
    reason = _privileged_reason(account, privileged)
    if reason:
        findings.append(_finding(account, "privileged", reason + ("" if enabled is not False else " (disabled)")))
    if account["platform"] == "veeam" and account["mfa"] == "disabled":
        findings.append(_finding(account, "no_mfa", "VSPC reports the MFA policy as disabled (mfaPolicyStatus)%s" % (
            "" if enabled is not False else "; the account is disabled")))
    if account.get("_password_expired"):
        text = ("must change its password at the next login (PasswordExpiration 0)" if account["password_expires"] == "at next login"
                else "password expired on %s (PasswordExpiration)" % account["password_expires"][:10])
        findings.append(_finding(account, "password_expired", "Unified Assurance user " + text))
    if account.get("_api_password_expired"):
        findings.append(_finding(account, "password_expired", "AhsayCBS refuses this system user's API calls: \"Your password "
                                                              "has expired and must be changed\""))
    if enabled and account["last_activity_kind"]:
        activity = "backup" if account["last_activity_kind"] == "backup" else "login"
        field = "LastBackupDate" if activity == "backup" else "LastLoginSuccess"
        last = account.get("_last")
        if last is not None:
            if _days(now, last) > stale_days:
                findings.append(_finding(account, "inactive", "enabled, last %s %d days ago (%s, %s)" % (
                    activity, _days(now, last), last.strftime("%Y-%m-%d"), field)))
        elif activity == "backup":
            registered = account.get("_registered")
            if registered is None:
                findings.append(_finding(account, "inactive", "enabled, never backed up (LastBackupDate 0; "
                                                              "registration date unknown)"))
            elif _days(now, registered) > stale_days:
                findings.append(_finding(account, "inactive", "enabled, never backed up, registered %d days ago (%s)" % (
                    _days(now, registered), registered.strftime("%Y-%m-%d"))))
        else:
            findings.append(_finding(account, "inactive", "enabled, never logged in (LastLoginSuccess 0; Unified Assurance "
                                                          "gives no creation date)"))
    if enabled is False and account["disabled_since"]:
        since = _parse_date(account["disabled_since"])
        if _days(now, since) > stale_days:
            what = ("account expired" if account["status"] == "expired" else "suspended")
            field = "AccountExpiration" if account["platform"] == "aaa" else "UserSuspendSettings"
            findings.append(_finding(account, "stale_disabled", "%s since %s, %d days ago (%s)" % (
                what, since.strftime("%Y-%m-%d"), _days(now, since), field)))
    return findings


# -- reads ---------------------------------------------------------------------------------------

def _read_state(result):
    """(state, users, message) of one registered ``*_info`` result: read | skipped | failed."""
    if not isinstance(result, dict) or not result or result.get("skipped"):
        return "skipped", None, "not read (the task was skipped)"
    if isinstance(result.get("users"), list) and not result.get("failed"):
        return "read", result["users"], None
    message = _text(result.get("msg")) or "the read failed without a message"
    if NO_URL.search(message):
        return "skipped", None, message
    return "failed", None, message


def _connection(result):
    """api_url and api_username of a read: what the info module returns as ``connection`` (also on failure)."""
    if not isinstance(result, dict):
        return {}
    return result.get("connection") or {}


def _safe_url(url):
    """A URL without user and password (an api_url may carry them)."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1", url) if url else url


def collect(reads, now, connections=None):
    """Accounts and platform summaries from the registered results of the info modules.

    ``reads``: ``{platform: {kind: registered result}}``; ``connections``: ``{platform: {api_url, api_username}}``
    given as role variables or environment variables (used where a result does not say)."""
    accounts, platforms, services = [], {}, {}
    connections = connections or {}
    for platform, label, kinds in PLATFORMS:
        given = (reads or {}).get(platform) or {}
        conn = connections.get(platform) or {}
        entry = {"label": label, "url": None, "status": None, "reason": None, "service_account": None,
                 "kinds": {}, "counts": {"accounts": 0, "enabled": 0, "disabled": 0}}
        states = []
        for kind in kinds:
            result = given.get(kind)
            state, users, message = _read_state(result)
            args = _connection(result)
            entry["url"] = entry["url"] or _safe_url(_text(args.get("api_url")) or _text(conn.get("api_url")))
            entry["service_account"] = entry["service_account"] or _text(args.get("api_username")) or _text(conn.get("api_username"))
            kind_entry = {"status": state, "count": None if users is None else len(users)}
            if message:
                kind_entry["reason"] = message
            entry["kinds"][kind] = kind_entry
            states.append(state)
            for user in users or []:
                if isinstance(user, dict) and _text(user.get("name")):
                    account = _account(platform, kind, user, now)
                    accounts.append(account)
                    entry["counts"]["accounts"] += 1
                    if account["enabled"]:
                        entry["counts"]["enabled"] += 1
                    elif account["enabled"] is False:
                        entry["counts"]["disabled"] += 1
                    entry["counts"][kind] = entry["counts"].get(kind, 0) + 1
            if platform == "ahsay" and state == "failed" and AHSAY_EXPIRED in message.lower() and entry["service_account"]:
                if not any(a["platform"] == "ahsay" and a["kind"] == "system_user" and a.get("_api_password_expired")
                           for a in accounts):
                    account = _account("ahsay", "system_user", {"name": entry["service_account"], "status": "enabled"}, now)
                    account["_api_password_expired"] = True
                    account["seen_only_as_api_login"] = True
                    accounts.append(account)
        if all(state == "skipped" for state in states):
            entry["status"] = "skipped"
            entry["service_account"] = None
            if any(NO_URL.search(k.get("reason") or "") for k in entry["kinds"].values()) or not given:
                entry["reason"] = ("no connection: api_url is not set (role variable access_review_%s_api_url, module_defaults "
                                   "of group/msp.accounts.%s, or the %s_API_URL environment variable)"
                                   % (platform, platform, ENV_PREFIX[platform]))
            else:
                entry["reason"] = "not read"
        elif any(state == "failed" for state in states):
            entry["status"] = "failed"
            failed = [(KIND_LABELS[k] + "s", v["reason"].rstrip(".")) for k, v in entry["kinds"].items() if v["status"] == "failed"]
            if len(set(reason for _kind, reason in failed)) == 1:
                failed = [(" and ".join(kind for kind, _reason in failed), failed[0][1])]
            entry["reason"] = "; ".join("reading the %s failed: %s" % item for item in failed)
        else:
            entry["status"] = "read"
        if entry["service_account"]:
            services[platform] = [entry["service_account"]]
        platforms[platform] = entry
    return accounts, platforms, services


# -- the report ----------------------------------------------------------------------------------

def _public(account):
    return dict((k, v) for k, v in account.items() if not k.startswith("_"))


def build_report(reads, users=None, departed=None, service_accounts=None, stale_days=90, privileged=None, now=None,
                 connections=None):
    """The whole review: see the module docstring and access_review.yml."""
    now = _utc(now)
    try:
        stale_days = int(stale_days)
    except (TypeError, ValueError):
        raise AnsibleFilterError("access_review: stale_days must be a whole number of days, got %r" % (stale_days,))
    if stale_days < 1:
        raise AnsibleFilterError("access_review: stale_days must be 1 or more, got %d" % stale_days)
    wanted = dict(DEFAULT_PRIVILEGED)
    for key, value in (privileged or {}).items():
        if key not in wanted:
            raise AnsibleFilterError("access_review: privileged has the key %r; use ahsay, veeam or aaa" % (key,))
        wanted[key] = _names(value, "privileged.%s" % key)
    accounts, platforms, services = collect(reads, now, connections)
    all_services = dict(services)
    extra = _names(service_accounts, "access_review_service_accounts")
    if extra:
        all_services["*"] = extra
    listed = bool(users)
    people = correlate(accounts, users if listed else None, departed, all_services)
    by_name = dict(((p.source, p.name), p) for p in people)
    findings = []
    for account in accounts:
        found = account_findings(account, now, stale_days, listed, wanted, by_name)
        account["findings"] = [f["kind"] for f in found]
        account["finding_reasons"] = ["%s: %s" % (f["kind"], f["reason"]) for f in found]
        findings.extend(found)
    order = dict((kind, i) for i, kind in enumerate(FINDING_KINDS))
    findings.sort(key=lambda f: (SEVERITIES.index(f["severity"]), order[f["kind"]], f["platform"], _fold(f["login"])))
    summary = {}
    for kind in FINDING_KINDS:
        entry = {"count": 0, "meaning": FINDING_TEXT[kind]}
        entry.update((s, 0) for s in SEVERITIES)
        summary[kind] = entry
    for finding in findings:
        summary[finding["kind"]]["count"] += 1
        summary[finding["kind"]][finding["severity"]] += 1
    report = {
        "generated_at": _iso(now),
        "stale_days": stale_days,
        "source_of_truth": listed,
        "platforms": platforms,
        "summary": {"accounts": len(accounts), "people": len(people), "findings": len(findings), "by_kind": summary},
        "accounts": [_public(a) for a in accounts],
        "people": [_person_view(p) for p in people],
        "findings": findings,
    }
    return report


def _person_view(person):
    return {
        "name": person.name,
        "source": person.source,
        "departed": person.departed,
        "emails": list(person.emails),
        "accounts": [{"platform": a["platform"], "kind": a["kind"], "login": a["login"], "status": a["status"],
                      "matched_by": a["matched_by"], "findings": list(a["findings"])} for a in person.accounts],
    }


# -- the filters ---------------------------------------------------------------------------------

# The parts of a report that stay small however many accounts there are.
SMALL_KEYS = ("generated_at", "stale_days", "source_of_truth", "platforms", "summary")


def access_review(reads, users=None, departed=None, service_accounts=None, stale_days=90, privileged=None, now=None,
                  connections=None, render=None):
    if not isinstance(reads, dict):
        raise AnsibleFilterError("access_review: the input must be a dictionary {platform: {kind: registered result}}")
    formats = _names(render, "render")
    for output_format in formats:
        if output_format not in renderer.RENDERERS:
            raise AnsibleFilterError("access_review: render takes json, csv and html, got %r" % (output_format,))
    report = build_report(reads, users=users, departed=departed, service_accounts=service_accounts, stale_days=stale_days,
                          privileged=privileged, now=now, connections=connections)
    if not formats:
        return renderer.as_data(report)
    # A large review stays out of Ansible's variables: its files as texts, and the small parts of the report.
    out = dict((key, report[key]) for key in SMALL_KEYS)
    out["rendered"] = dict((output_format, renderer.RENDERERS[output_format](report)) for output_format in formats)
    return renderer.as_data(out)


class FilterModule(object):
    def filters(self):
        return {"access_review": access_review}
