#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: veeam_user
short_description: Manage portal users of Veeam Service Provider Console
version_added: 0.1.0
description:
  - Creates, changes and deletes a user of Veeam Service Provider Console (VSPC) through its REST API v3.
  - The user is found with one filtered C(GET /api/v3/users) (user name, compared case-insensitively, within the
    organization), created with C(POST /api/v3/users), changed with one C(PATCH /api/v3/users/{uid}) whose body is an
    RFC 6902 JSON Patch holding only the values that differ, and deleted with C(DELETE /api/v3/users/{uid}).
    Nothing is read back after a write; the answer of the write is returned.
  - Only the options you set are compared and sent; the user's other settings stay as they are.
  - The user name and the organization of a VSPC user cannot change. Asking for a different name or organization for
    the user given by O(uid) fails; the module never deletes and recreates a user on its own.
  - When the server queues a request (HTTP 202), the module follows its async action until it ends, at most
    O(wait_timeout) seconds. HTTP 429 answers are retried after the time the server asks for.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.veeam
  - msp.accounts.attributes
  - msp.accounts.attributes.ACTIONS
  - msp.accounts.attributes.VEEAM_GROUP
options:
  name:
    description:
      - User name (C(credentials.userName) on creation, C(userName) afterwards).
      - 'Compared case-insensitively. At most 256 characters, none of C(/\[]:;|=,+*?<>@"!#$%^&{}), no parentheses, and no
        trailing dot.'
      - Required unless O(uid) is given. Company and reseller users sign in as C(<organization alias>\<name>).
    type: str
    aliases: [user_name]
  uid:
    description:
      - UID (C(instanceUid)) of an existing user. When given, the user is read with C(GET /api/v3/users/{uid}) instead of
        being searched for by name.
      - With O(state=present) the user must exist. If O(name), O(organization) or O(organization_uid) is also given
        and differs from the user's, the module fails, because VSPC cannot rename a user or move it.
    type: str
    aliases: [user_uid]
  organization:
    description:
      - Name of the company, reseller or provider organization the user belongs to, resolved to its UID with one
        C(GET /api/v3/organizations) (name compared case-insensitively, organizations of every type searched). When
        several organizations of different types share the name, O(role) picks the one of the type it belongs to.
      - With O(state=present) and O(role) set, the organization must be of the type the role belongs to (a company for
        C(company_*) roles, a reseller for C(reseller_*) roles, the provider for portal and site roles). Otherwise the
        module fails before any write, naming the organization's type and the roles that fit it.
      - The search for the user is limited to this organization. Without O(organization) and O(organization_uid) the
        user name must be unique across all organizations the credentials can see.
      - Required (or O(organization_uid)) to create a user.
      - With O(state=absent), an organization that does not exist means there is nothing to delete.
    type: str
  organization_uid:
    description:
      - UID of the user's organization (C(organizationUid)); saves the request that resolves O(organization).
    type: str
  role:
    description:
      - Role of the user (C(role)). Required to create a user.
      - Each choice is the snake_case form of a C(UserRole) value, for example V(company_administrator) is
        C(CompanyAdministrator) and V(reseller_owner) is C(ResellerOwner). Company roles belong to companies, reseller
        roles to resellers, portal and site roles to the provider.
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
    choices: [enabled, disabled]
  first_name:
    description:
      - First name (C(profile.firstName)), at most 2048 characters.
      - Compared exactly. An empty string empties the field (VSPC's no value and an empty string count as the same).
    type: str
  last_name:
    description:
      - Last name (C(profile.lastName)), at most 2048 characters. Compared like O(first_name).
    type: str
  title:
    description:
      - Title (C(profile.title)), V(mr) for C(Mr) and so on; V(unknown) is what VSPC stores when no title was given.
      - Compared case-insensitively.
    type: str
    choices: [mr, mrs, miss, ms, unknown]
  email:
    description:
      - E-mail address (C(profile.email)). It must match the address pattern of the VSPC API (among others, the top-level
        domain has 2 to 6 letters), which is checked before any request is sent.
      - Compared exactly. It cannot be emptied once set.
    type: str
  address:
    description:
      - Postal address (C(profile.address)), at most 2048 characters. Compared like O(first_name).
    type: str
  phone:
    description:
      - Telephone number (C(profile.phone)), at most 512 characters. Compared like O(first_name).
    type: str
  mfa_policy:
    description:
      - Whether the user must configure multi-factor authentication for the portal (C(mfaPolicyStatus)).
      - V(enabled) is also satisfied when the user reports C(EnabledByInheritance) (MFA required by the organization's
        policy), so such a user is not changed.
      - V(disabled) cannot be reached for a user that reports C(EnabledByInheritance), because the organization's policy
        keeps MFA on whatever the user's own policy says; a patch would change nothing and the task would report a change
        on every run. The module fails instead, before sending anything (also in check mode), and names the organization.
        Leave O(mfa_policy) out for such users, or lift the organization's MFA requirement in VSPC first.
      - VSPC applies this policy to the web portal. A user who has configured a second factor can no longer use
        the password grant of the REST API; automation accounts should use API keys.
    type: str
    choices: [enabled, disabled]
  password:
    description:
      - Password of the user (C(credentials.password)), 1 to 128 characters. Required to create a user.
      - VSPC never returns passwords, so an existing user's password cannot be compared; see O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when the user is created.
      - V(always) sends O(password) (C(/credentials/password) in the patch) on every run, so the task then always
        reports a change.
    type: str
    choices: [always, on_create]
    default: on_create
  backup_resource:
    description:
      - Cloud Connect backup resource of a V(company_subtenant) user (C(backupResource) of C(UserInput)).
      - Sent with the user on creation. For an existing user it is read with
        C(GET /api/v3/users/{uid}/backupResource) (one more request, only when this option is set) and the keys you
        set are changed with C(PATCH /api/v3/users/{uid}/backupResource), an RFC 6902 patch that replaces the members
        the resource has and adds those it lacks.
      - Only the keys you set are compared; O(backup_resource.repository_uid) and O(backup_resource.site_uid)
        case-insensitively, the others exactly (O(backup_resource.quota) in bytes).
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
          - Setting it limits the resource (C(isStorageQuotaUnlimited=false)) unless O(backup_resource.unlimited_quota) says otherwise.
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
          - UID of a VMware Cloud Director organization user (C(vcdUserId)). Used on creation only; VSPC does not let it change.
        type: str
  state:
    description:
      - V(present) creates the user or brings the options you set to the wanted values.
      - V(absent) deletes the user. Nothing happens when there is no such user.
    type: str
    choices: [present, absent]
    default: present
  wait_timeout:
    description:
      - Seconds to wait for a request the server queued as an async action (HTTP 202) to finish.
    type: int
    default: 120
notes:
  - With O(api_username) and O(api_password) the module logs in once per task (C(POST /api/v3/token)). To log in once
    per play, use M(msp.accounts.veeam_login) and pass its token as O(api_token), for example through
    C(module_defaults).
  - When O(api_token) is rejected (HTTP 401, for example an expired access token) and O(api_username) and
    O(api_password) are also set, the module logs in once more and repeats the request once.
  - 'Requests per run with O(api_token): no change, one (the search); a change of the user, two (search and
    C(PATCH /api/v3/users/{uid})); a creation, two (search and C(POST /api/v3/users)); a creation of a disabled user,
    three (one more C(PATCH)); a deletion, two.'
  - O(organization) adds one request (C(GET /api/v3/organizations)). O(backup_resource) on an existing user adds the read
    of the resource and, when it differs, its C(PATCH /api/v3/users/{uid}/backupResource); so a run that changes both
    the user and its backup resource sends four requests, and one that changes only the resource sends three.
    With O(api_username) and O(api_password) instead of O(api_token), add the login.
seealso:
  - module: msp.accounts.veeam_login
  - module: msp.accounts.veeam_user_info
  - name: VSPC REST API reference, Users
    description: The Veeam Service Provider Console REST API v3 operations on users.
    link: https://helpcenter.veeam.com/references/vac/9.1/rest/tag/Accounts
"""

EXAMPLES = r"""
- name: Log in once (the result holds the token, so hide it)
  msp.accounts.veeam_login:
    api_url: https://vspc.example.com:1280
    api_username: "{{ vspc_username }}"
    api_password: "{{ vspc_password }}"
  register: vspc_auth
  no_log: true

- name: Manage users with the token
  module_defaults:
    group/msp.accounts.veeam:
      api_url: https://vspc.example.com:1280
      api_token: "{{ vspc_auth.token }}"
  block:
    - name: A company administrator
      msp.accounts.veeam_user:
        name: j.smith
        organization: Alpha Backup Ltd
        role: company_administrator
        first_name: John
        last_name: Smith
        title: mr
        email: j.smith@alpha.example.com
        password: "{{ vault_jsmith_initial_password }}"

    - name: Disable the user (only the status is compared and patched)
      msp.accounts.veeam_user:
        name: j.smith
        organization: Alpha Backup Ltd
        status: disabled

    - name: Require MFA and set a new e-mail address, organization given by UID
      msp.accounts.veeam_user:
        name: j.smith
        organization_uid: 0a093973-274b-4df8-83e2-1316dee0c9a9
        mfa_policy: enabled
        email: john.smith@alpha.example.com

    - name: Reset the password (reports a change on every run)
      msp.accounts.veeam_user:
        name: j.smith
        organization: Alpha Backup Ltd
        password: "{{ vault_jsmith_new_password }}"
        update_password: always

    - name: A subtenant with a 100 GB quota on the company's cloud repository
      msp.accounts.veeam_user:
        name: backup-hq
        organization: Alpha Backup Ltd
        role: company_subtenant
        password: "{{ vault_subtenant_password }}"
        backup_resource:
          repository_uid: bbd634fd-e881-4e03-8aaf-bec7beccd5fb
          friendly_name: HQ backups
          quota: 100 GB

    - name: Delete a user
      msp.accounts.veeam_user:
        name: former.employee
        organization: Alpha Backup Ltd
        state: absent
  always:
    - name: Revoke the token
      msp.accounts.veeam_login:
        api_url: https://vspc.example.com:1280
        api_token: "{{ vspc_auth.token }}"
        state: absent
      no_log: true

# Ad hoc, with the connection in VEEAM_API_URL, VEEAM_API_USERNAME and VEEAM_API_PASSWORD (or VEEAM_API_TOKEN):
#   ansible localhost -m msp.accounts.veeam_user -a "name=j.smith organization='Alpha Backup Ltd' status=enabled"
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
    - The user after the task, without password. After a creation or change, the server's answer to the write;
      in check mode, predicted from the current user and the options.
    - Empty after O(state=absent).
  returned: always
  type: dict
  contains:
    uid:
      description: UID of the user (C(instanceUid)).
      type: str
      returned: when known
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
      description: Role in snake_case, for example V(company_administrator).
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
      description: Whether the user has set up a second factor, V(configured) or V(not_configured).
      type: str
      returned: when known
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
    backup_resource:
      description: The backup resource options that were set (subtenant users), with O(backup_resource.quota) in bytes.
      type: dict
      returned: when O(backup_resource) is set
      sample: {"friendly_name": "HQ backups", "quota": 107374182400, "unlimited_quota": false}
"""

from ansible_collections.msp.accounts.plugins.module_utils import _veeam
from ansible_collections.msp.accounts.plugins.module_utils._base import AccountModule


class VeeamUser(AccountModule):
    adapter = _veeam.PortalUsers


def main():
    VeeamUser().run()


if __name__ == "__main__":
    main()
