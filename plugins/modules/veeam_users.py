#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: veeam_users
short_description: Converge many VSPC portal users in one task
version_added: 0.3.0
description:
  - Brings every VSPC portal user listed in O(users) to the state its entry describes, in one task. Each entry takes
    the options of M(msp.accounts.veeam_user) and is judged the same way.
  - The users within O(scope) are read with paged C(GET /users) requests (500 a page, filtered by organization), and
    each organization name once for all entries; the backup resource of a subtenant is read only for entries that set
    O(users[].backup_resource). A run that changes nothing sends only those reads. Each changed account then gets the
    same writes as with M(msp.accounts.veeam_user), O(parallel) at a time; HTTP 429 answers pause every worker.
  - Every entry is checked before the first request; an invalid one fails the task, naming its position and name. A
    failed write does not stop the other accounts; the task fails at the end and names each failed account.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.veeam
  - msp.accounts.attributes
  - msp.accounts.attributes.BULK
  - msp.accounts.attributes.VEEAM_GROUP
options:
  users:
    description:
      - The users to converge. Each entry takes the options of M(msp.accounts.veeam_user) but O(wait_timeout), which
        the task takes once; O(users[].name) is required and may appear once.
    type: list
    elements: dict
    required: true
  # BEGIN users: generated from veeam_user by `make bulk-docs`; do not edit by hand
    suboptions:
      name:
        description:
        - User name (C(credentials.userName) on creation, C(userName) afterwards).
        - Compared case-insensitively. At most 256 characters, none of C(/\[]:;|=,+*?<>@"!#$%^&{}), no parentheses,
          and no trailing dot.
        - Required unless O(users[].uid) is given. Company and reseller users sign in as C(<organization alias>\<name>).
        type: str
        aliases:
        - user_name
        required: true
      uid:
        description:
        - UID (C(instanceUid)) of an existing user. When given, the user is read with C(GET /api/v3/users/{uid}) instead
          of being searched for by name.
        - With O(users[].state=present) the user must exist. If O(users[].name), O(users[].organization) or O(users[].organization_uid)
          is also given and differs from the user's, the module fails, because VSPC cannot rename a user or move it.
        type: str
        aliases:
        - user_uid
      organization:
        description:
        - Name of the company, reseller or provider organization the user belongs to, resolved to its UID with one C(GET
          /api/v3/organizations) (name compared case-insensitively, organizations of every type searched). When several
          organizations of different types share the name, O(users[].role) picks the one of the type it belongs to.
        - With O(users[].state=present) and O(users[].role) set, the organization must be of the type the role belongs
          to (a company for C(company_*) roles, a reseller for C(reseller_*) roles, the provider for portal and site
          roles). Otherwise the module fails before any write, naming the organization's type and the roles that fit
          it.
        - The search for the user is limited to this organization. Without O(users[].organization) and O(users[].organization_uid)
          the user name must be unique across all organizations the credentials can see.
        - Required (or O(users[].organization_uid)) to create a user.
        - With O(users[].state=absent), an organization that does not exist means there is nothing to delete.
        type: str
      organization_uid:
        description:
        - UID of the user's organization (C(organizationUid)); saves the request that resolves O(users[].organization).
        type: str
      role:
        description:
        - Role of the user (C(role)). Required to create a user.
        - Each choice is the snake_case form of a C(UserRole) value, for example V(company_administrator) is C(CompanyAdministrator)
          and V(reseller_owner) is C(ResellerOwner). Company roles belong to companies, reseller roles to resellers,
          portal and site roles to the provider.
        - Compared case-insensitively with the current role.
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
        - V(enabled) or V(disabled) (C(status)). A disabled user cannot sign in.
        - VSPC creates users enabled; a new user with V(disabled) is created and then disabled with a second request.
        - Compared case-insensitively.
        type: str
        choices:
        - enabled
        - disabled
      first_name:
        description:
        - First name (C(profile.firstName)), at most 2048 characters.
        - Compared exactly. An empty string empties the field (VSPC's no value and an empty string count as the same).
        type: str
      last_name:
        description:
        - Last name (C(profile.lastName)), at most 2048 characters. Compared like O(users[].first_name).
        type: str
      title:
        description:
        - Title (C(profile.title)), V(mr) for C(Mr) and so on; V(unknown) is what VSPC stores when no title was given.
        - Compared case-insensitively.
        type: str
        choices:
        - mr
        - mrs
        - miss
        - ms
        - unknown
      email:
        description:
        - E-mail address (C(profile.email)). It must match the address pattern of the VSPC API (among others, the top-level
          domain has 2 to 6 letters), which is checked before any request is sent.
        - Compared exactly. It cannot be emptied once set.
        type: str
      address:
        description:
        - Postal address (C(profile.address)), at most 2048 characters. Compared like O(users[].first_name).
        type: str
      phone:
        description:
        - Telephone number (C(profile.phone)), at most 512 characters. Compared like O(users[].first_name).
        type: str
      mfa_policy:
        description:
        - Whether the user must configure multi-factor authentication for the portal (C(mfaPolicyStatus)).
        - V(enabled) is also satisfied when the user reports C(EnabledByInheritance) (MFA required by the organization's
          policy), so such a user is not changed.
        - V(disabled) cannot be reached for a user that reports C(EnabledByInheritance), because the organization's
          policy keeps MFA on whatever the user's own policy says; a patch would change nothing and the task would report
          a change on every run. The module fails instead, before sending anything (also in check mode), and names the
          organization. Leave O(users[].mfa_policy) out for such users, or lift the organization's MFA requirement in
          VSPC first.
        - VSPC applies this policy to the web portal. A user who has configured a second factor can no longer use the
          password grant of the REST API; automation accounts should use API keys.
        type: str
        choices:
        - enabled
        - disabled
      password:
        description:
        - Password of the user (C(credentials.password)), 1 to 128 characters. Required to create a user.
        - VSPC never returns passwords, so an existing user's password cannot be compared; see O(users[].update_password).
        type: str
      update_password:
        description:
        - V(on_create) sets O(users[].password) only when the user is created.
        - V(always) sends O(users[].password) (C(/credentials/password) in the patch) on every run, so the task then
          always reports a change.
        type: str
        choices:
        - always
        - on_create
        default: on_create
      backup_resource:
        description:
        - Cloud Connect backup resource of a V(company_subtenant) user (C(backupResource) of C(UserInput)).
        - Sent with the user on creation. For an existing user it is read with C(GET /api/v3/users/{uid}/backupResource)
          (one more request, only when this option is set) and the keys you set are changed with C(PATCH /api/v3/users/{uid}/backupResource),
          an RFC 6902 patch that replaces the members the resource has and adds those it lacks.
        - Only the keys you set are compared; O(users[].backup_resource.repository_uid) and O(users[].backup_resource.site_uid)
          case-insensitively, the others exactly (O(users[].backup_resource.quota) in bytes).
        type: dict
        suboptions:
          repository_uid:
            description:
            - UID of the company's tenant backup resource the subtenant's storage is taken from (C(tenantBackupResourceUid)).
            - Required to create the user.
            type: str
          friendly_name:
            description:
            - Name of the subtenant backup resource as the subtenant sees it (C(resourceFriendlyName)).
            - Required to create the user.
            type: str
          site_uid:
            description:
            - UID of the Cloud Connect site (C(siteUid)). May be left out only when the company has a single tenant.
            type: str
          quota:
            description:
            - Storage quota, as bytes or a size such as V(50 GB) (units are powers of 1024; at least 1 GB).
            - Setting it limits the resource (C(isStorageQuotaUnlimited=false)) unless O(users[].backup_resource.unlimited_quota)
              says otherwise.
            type: raw
          unlimited_quota:
            description:
            - Whether the subtenant's storage is unlimited (C(isStorageQuotaUnlimited)). VSPC's default is unlimited.
            type: bool
          description:
            description:
            - Description of the subtenant (C(description)).
            type: str
          vcd_user_id:
            description:
            - UID of a VMware Cloud Director organization user (C(vcdUserId)). Used on creation only; VSPC does not
              let it change.
            type: str
      state:
        description:
        - V(present) creates the user or brings the options you set to the wanted values.
        - V(absent) deletes the user. Nothing happens when there is no such user.
        type: str
        choices:
        - present
        - absent
        default: present
  # END users
  wait_timeout:
    description:
      - Seconds to wait for each request the server queued as an async action (HTTP 202) to finish.
    type: int
    default: 120
  scope:
    description:
      - Which users O(unlisted) considers. Without it, every one.
    type: dict
    suboptions:
      organization:
        description:
          - Only users of the organization (company or reseller) of this name. Entries of O(users) without
            O(users[].organization) or O(users[].organization_uid) are created in it.
        type: str
      organization_uid:
        description:
          - Only users of the organization with this UID; the same as O(scope.organization), without the lookup.
        type: str
  unlisted:
    description:
      - What happens to users within O(scope) that O(users) does not list.
      - V(keep) only reports them; V(suspend) disables them; V(remove) deletes them.
      - The account the module logs in with (O(api_username); for C(alias\name), the name) is never suspended or
        removed, so V(suspend) and V(remove) need O(api_username) and O(api_password).
    type: str
    choices: [keep, suspend, remove]
    default: keep
"""

EXAMPLES = r"""
- name: Converge the portal users of one company, disabling the ones that left
  msp.accounts.veeam_users:
    # unlisted=suspend needs the user name: the module never disables the account it logs in with.
    api_username: "{{ vspc_api_user }}"
    api_password: "{{ vspc_api_password }}"
    scope:
      organization: ACME Corp
    users: "{{ acme_portal_users }}"
    unlisted: suspend

- name: Converge a company's users from a JSON export
  msp.accounts.veeam_users:
    scope:
      organization: ACME Corp
    users: "{{ lookup('ansible.builtin.file', 'exports/acme-portal-users.json') | from_json }}"

- name: Report, without changing them, the users of a company that the list does not name
  msp.accounts.veeam_users:
    api_token: "{{ vspc_token }}"
    scope:
      organization: ACME Corp
    users: "{{ acme_portal_users }}"
  register: acme
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

from ansible_collections.msp.accounts.plugins.module_utils import _veeam
from ansible_collections.msp.accounts.plugins.module_utils._base import BulkModule
from ansible_collections.msp.accounts.plugins.module_utils._http import InputError


class VeeamUsers(BulkModule):
    adapter = _veeam.PortalUsers
    scope = dict(organization=dict(type="str"), organization_uid=dict(type="str"))
    suspended = {"status": "disabled"}
    extra_options = dict(wait_timeout=_veeam.PORTAL_USER["wait_timeout"].argument())

    def validate(self):
        if (self.params["scope"] or {}).get("organization") and self.params["scope"].get("organization_uid"):
            raise InputError("scope takes organization or organization_uid, not both.")
        super(VeeamUsers, self).validate()


def main():
    VeeamUsers().run()


if __name__ == "__main__":
    main()
