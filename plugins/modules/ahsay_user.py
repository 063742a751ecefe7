#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: ahsay_user
short_description: Manage AhsayCBS backup users
version_added: 0.1.0
description:
  - Creates, changes, suspends and removes a backup user of AhsayCBS (the account an AhsayOBM or AhsayACB client
    backs up to). System users (administrators, API users, resellers) are managed by M(msp.accounts.ahsay_sysuser).
  - The module reads the user with one C(GetUser) (v2) call. A missing user is created with C(AddUser) (v2); an
    existing one is changed with one C(UpdateUser) (v2) call that carries only the values that differ; O(state=absent)
    removes it with C(RemoveUser). The result is predicted from what was sent, so nothing is read back after a write.
  - A run that changes nothing sends exactly one request. A change sends two (read and one write). A creation sends
    two, or three when options that C(AddUser) does not accept are set (O(contacts), O(suspend_at),
    O(windows_event_log), O(mfa), O(modules.delta_merge)); those are written with one C(UpdateUser) right after the
    creation.
  - Only the options you set are compared and sent; everything else on the user stays as it is.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.ahsay
  - msp.accounts.attributes
  - msp.accounts.attributes.ACTIONS
  - msp.accounts.attributes.AHSAY_GROUP
options:
  name:
    description:
      - Login name of the backup user (C(LoginName)). Compared exactly (case-sensitive).
    type: str
    required: true
    aliases: [login_name]
  owner:
    description:
      - Login name of the system user (reseller) that owns the backup user (C(Owner)).
      - Sent with every request when set, so the user is looked up, created, changed and removed under this owner.
        Leave it unset for users owned by the administrator.
    type: str
  state:
    description:
      - V(present) creates the user or brings the options you set to the wanted values.
      - V(absent) removes the user B(and all its backup data on the server). Nothing happens when there is no such user.
    type: str
    choices: [present, absent]
    default: present
  status:
    description:
      - V(enabled) (C(ENABLE)) lets the user back up and restore; V(suspended) (C(SUSPENDED)) blocks the account but keeps
        its data. Set through C(Status) of C(AddUser)/C(UpdateUser).
      - AhsayCBS itself suspends trial users whose trial period is over; such users cannot be re-enabled this way.
    type: str
    choices: [enabled, suspended]
  password:
    description:
      - Password of the backup user. Required to create a user.
      - AhsayCBS never returns a backup user's password, so it cannot be compared; see O(update_password).
      - Never shown in the result, the diff, warnings or errors.
    type: str
  update_password:
    description:
      - V(on_create) sends O(password) only when the user is created.
      - V(always) sends O(password) on every run; the task then reports a change every time.
    type: str
    choices: [on_create, always]
    default: on_create
  alias:
    description:
      - Display name of the user (C(DisplayName) of C(AddUser), C(Alias) of C(UpdateUser) and C(GetUser)).
      - On creation AhsayCBS also uses it as the name of the first contact.
    type: str
  email:
    description:
      - Contact email given at creation (C(Email) of C(AddUser)); AhsayCBS makes it the first contact.
      - C(UpdateUser) has no such field, so it is not compared on an existing user; the module warns when it differs.
        Use O(contacts) to change the contacts of an existing user.
    type: str
  client_type:
    description:
      - Backup client the user runs, V(obm) (AhsayOBM) or V(acb) (AhsayACB) (C(ClientType)).
    type: str
    choices: [obm, acb]
  user_type:
    description:
      - V(trial) or V(paid) (C(Type)). AhsayCBS makes a new user a trial user when this is not set.
    type: str
    choices: [trial, paid]
  language:
    description:
      - Language code of the user's interface and reports (C(Language)), for example V(en) or V(de). Compared exactly.
    type: str
  notes:
    description:
      - Free-text notes on the account (C(Notes)). Compared exactly; V("") clears them.
    type: str
  user_home:
    description:
      - User home (storage path on the server) of a new user (C(UserHome)); AhsayCBS picks the first user home when unset.
      - Only used at creation (C(UpdateUser) cannot move a user); the module warns when an existing user's home differs.
    type: str
  quota_type:
    description:
      - V(per_destination) (C(PER_DESTINATION_QUOTA)) limits each destination by its O(destination_quotas) entry;
        V(total) (C(TOTAL_QUOTA)) limits all destinations together by O(storage_quota).
      - AhsayCBS uses V(per_destination) when it is not set at creation.
    type: str
    choices: [total, per_destination]
  storage_quota:
    description:
      - Total storage quota in GB (C(StorageQuota)), used with O(quota_type=total), which requires it.
      - AhsayCBS uses 100 when it is not set at creation.
    type: int
  destination_quotas:
    description:
      - Quota per backup destination (C(QuotaList)).
      - Creating a user needs at least one entry unless O(quota_type=total), as C(AddUser) requires a C(QuotaList).
      - Destinations are matched by O(destination_quotas[].key); destinations you do not list are kept as they are,
        so disable one with O(destination_quotas[].enabled=false) rather than leaving it out.
      - On a change the whole resulting list is sent, so the server cannot drop destinations you did not mention.
    type: list
    elements: dict
    suboptions:
      key:
        description:
          - Destination key (C(DestinationKey)) - V(OBS) for the AhsayCBS server itself, or the key of a predefined
            destination (a negative 13-digit number such as V(-1532572601525)).
          - M(msp.accounts.ahsay_user_info) shows the keys in use.
        type: str
        required: true
      enabled:
        description:
          - Whether the user may back up to this destination (C(Enabled)). Required in every entry, as AhsayCBS refuses
            an entry without it.
        type: bool
      quota:
        description:
          - Quota on this destination, in bytes or as a size such as V(50 GB) or V(1.5 TB) (units are powers of 1024).
          - Must not be negative. When unset, an existing destination keeps its quota.
        type: raw
  modules:
    description:
      - Add-on modules to switch on (V(true)) or off (V(false)); modules you do not name are left as they are.
      - Each name maps to the C(Enable*) flag of C(AddUser) and the C(ModuleSettings) flag of C(UpdateUser) and
        C(GetUser) (for example O(modules.mssql) is C(EnableMSSQL) and C(ModuleSettings.MSSQLBackupEnabled)).
      - Some modules need a quota when they are switched on - O(modules.exchange_mailbox) needs
        O(exchange_mailbox_quota), O(modules.hyperv) needs O(hyperv_quota), O(modules.vmware) needs O(vmware_quota)
        and O(modules.office365_mail) needs O(office365_mail_quota).
      - An unknown name fails before any request, listing the valid names.
    type: dict
    suboptions:
      cdp:
        description: Continuous Data Protection (C(EnableCDP), C(CDPEnabled)).
        type: bool
      deduplication:
        description: Deduplication (C(EnableDeduplication), C(DeduplicationEnabled)).
        type: bool
      delta_merge:
        description:
          - Delta merge (C(DeltaMergeEnabled)). C(AddUser) has no flag for it, so on creation it is set by the
            C(UpdateUser) call that follows.
        type: bool
      exchange:
        description: Microsoft Exchange Server (C(EnableMSExchange), C(MSExchangeBackupEnabled)).
        type: bool
      exchange_mailbox:
        description: Microsoft Exchange mailbox level (C(EnableExchangeMailbox), C(MSExchangeMailboxBackupEnabled)).
        type: bool
      hyperv:
        description: Microsoft Hyper-V (C(EnableMsVm), C(MSHyperVBackupEnabled)).
        type: bool
      in_file_delta:
        description: In-File Delta, for clients before v9 (C(EnableInFileDelta), C(InFileDeltaEnabled)).
        type: bool
      linux_bare_metal:
        description: Linux bare-metal backup (C(EnableLinuxBareMetal), C(LinuxBareMetalBackupEnabled)).
        type: bool
      lotus_domino:
        description: Lotus Domino (C(EnableLotusDomino), C(LotusDominoBackupEnabled)).
        type: bool
      lotus_notes:
        description: Lotus Notes (C(EnableLotusNotes), C(LotusNotesBackupEnabled)).
        type: bool
      mariadb:
        description: MariaDB database server (C(EnableMariaDB), C(MariaDBBackupEnabled)).
        type: bool
      mobile:
        description: Ahsay Mobile (C(EnableMobileV2), C(MobileV2Enabled)); its quota is fixed at 10 by AhsayCBS.
        type: bool
      mobile_legacy:
        description:
          - The old AhsayMOB v1 module (C(EnableMobile), C(MobileEnabled)), deprecated since AhsayCBS 8.5.
          - AhsayCBS no longer switches it on; only V(false) is useful.
        type: bool
      mssql:
        description: Microsoft SQL Server (C(EnableMSSQL), C(MSSQLBackupEnabled)).
        type: bool
      mysql:
        description: MySQL (C(EnableMySQL), C(MySQLBackupEnabled)).
        type: bool
      nas_qnap:
        description: QNAP NAS client (C(EnableQnap), C(QnapEnabled)).
        type: bool
      nas_synology:
        description: Synology NAS client (C(EnableNASClient), C(NasClientEnabled)).
        type: bool
      office365_mail:
        description: Microsoft 365 mail (C(EnableOffice365Mail), C(Office365MailEnabled)).
        type: bool
      open_direct:
        description: OpenDirect (C(EnableOpenDirect), C(OpenDirectEnabled)).
        type: bool
      oracle:
        description: Oracle database (C(EnableOracle), C(OracleBackupEnabled)).
        type: bool
      postgresql:
        description: PostgreSQL server (C(EnablePostgreSQL), C(PostgreSQLBackupEnabled)).
        type: bool
      proxmox:
        description: Proxmox VE (C(EnableProxmox), C(ProxmoxVEBackupEnabled)).
        type: bool
      shadow_copy:
        description: Volume Shadow Copy (C(EnableShadowCopy), C(ShadowCopyEnabled)).
        type: bool
      shadowprotect:
        description: ShadowProtect system backup (C(EnableShadowProtectBareMetal), C(ShadowProtectBackupEnabled)).
        type: bool
      tibero:
        description: Tibero database server (C(EnableTibero), C(TiberoBackupEnabled)).
        type: bool
      vmware:
        description: VMware (C(EnableVMware), C(VMwareBackupEnabled)).
        type: bool
      windows_system:
        description: Windows system backup (C(EnableWinServer2008BareMetal), C(MSWindowsSystemBackupEnabled)).
        type: bool
      windows_system_state:
        description: Windows system state backup (C(EnableMsWinSysState), C(MSWindowsSystemStateBackupEnabled)).
        type: bool
  exchange_mailbox_quota:
    description:
      - Number of Exchange mailboxes the user may back up (C(ExchangeMailboxQuota), C(ModuleSettings.MSExMailboxQuota)).
      - Required when O(modules.exchange_mailbox=true).
    type: int
  hyperv_quota:
    description:
      - Hyper-V quota, counted as set by O(hyperv_quota_type) (C(MsVmQuota), C(ModuleSettings.MSHyperVVMQuota)).
      - Required when O(modules.hyperv=true).
    type: int
  hyperv_quota_type:
    description:
      - What O(hyperv_quota) counts - V(guest_vm) (C(GUESTVM), guest virtual machines) or V(socket) (C(SOCKET), CPU sockets
        of the host). AhsayCBS uses V(guest_vm) when it is not set at creation.
    type: str
    choices: [guest_vm, socket]
  vmware_quota:
    description:
      - VMware quota, counted as set by O(vmware_quota_type) (C(VMwareQuota), C(ModuleSettings.VMwareVMQuota)).
      - Required when O(modules.vmware=true).
    type: int
  vmware_quota_type:
    description:
      - What O(vmware_quota) counts - V(guest_vm) (C(GUESTVM)) or V(socket) (C(SOCKET)).
        AhsayCBS uses V(guest_vm) when it is not set at creation.
    type: str
    choices: [guest_vm, socket]
  office365_mail_quota:
    description:
      - Number of Microsoft 365 mailboxes the user may back up (C(Office365MailQuota)).
      - Required when O(modules.office365_mail=true).
    type: int
  open_direct_quota:
    description:
      - Number of OpenDirect restores allowed (C(OpenDirectQuota), sent as text). Only AhsayCBS before 9.13 uses it.
    type: int
  host_quota_enabled:
    description:
      - Whether the number of client computers is limited (C(HostQuotaEnabled)).
    type: bool
  host_quota:
    description:
      - Maximum number of client computers when O(host_quota_enabled=true) (C(HostQuota)).
    type: int
  run_direct_quota_enabled:
    description:
      - Whether the number of virtual machines running directly from backup is limited (C(RunDirectQuotaEnabled)).
      - V(true) requires O(run_direct_quota).
    type: bool
  run_direct_quota:
    description:
      - Maximum number of Run Direct virtual machines (C(RunDirectQuota)).
    type: int
  auto_update_agent:
    description:
      - Whether the user's clients update themselves automatically (C(EnableAUA)).
      - Only used at creation. C(GetUser) does not return this setting, so the module cannot tell an existing user's
        value; it leaves it unchanged and warns instead of reporting a change on every run.
    type: bool
  contacts:
    description:
      - Contacts of the user (C(Contact) of C(UpdateUser), C(ContactList) of C(GetUser)).
      - Contacts are matched by email address (case-insensitive), so the order does not matter; fields you leave out
        of an entry keep the value of the current contact with that address.
      - With O(purge_contacts=true) the list is the whole truth and replaces the current contacts (C(AppendContact=N))
        when it differs. With O(purge_contacts=false) contacts that are missing are appended (C(AppendContact=Y)) and
        others are kept.
      - V([]) with O(purge_contacts=true) removes every contact.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the contact.
        type: str
      email:
        description: Email address of the contact; identifies the contact, and must be unique within the list.
        type: str
        required: true
      company:
        description: Company of the contact.
        type: str
      address:
        description: Postal address of the contact.
        type: str
      website:
        description: Web site of the contact.
        type: str
      phone1:
        description: Phone number of the contact.
        type: str
      phone2:
        description: Alternate phone number of the contact.
        type: str
  purge_contacts:
    description:
      - Whether contacts that are not in O(contacts) are removed. Has no effect when O(contacts) is not set.
    type: bool
    default: true
  suspend_at:
    description:
      - Date and time at which AhsayCBS suspends the user (C(UserSuspendSettings)), in UTC, as V(YYYY-MM-DD) (midnight) or
        V(YYYY-MM-DDTHH:MM:SSZ); V(never) switches the automatic suspension off.
      - Quote the date in YAML so it stays text.
    type: str
  windows_event_log:
    description:
      - Which events the user's clients write to the Windows event log (C(WindowsEventLogSettings)).
      - Only the keys you set are compared; the whole settings object is sent when one differs.
    type: dict
    suboptions:
      enabled:
        description: Whether events are written to the Windows event log at all (C(Enabled)).
        type: bool
      error:
        description: Log errors (C(LogError)).
        type: bool
      warning:
        description: Log warnings (C(LogWarn)).
        type: bool
      info:
        description: Log information messages (C(LogInfo)).
        type: bool
      license:
        description: Log license messages (C(LogLicense)).
        type: bool
      backup:
        description: Log backup events (C(LogBackup)).
        type: bool
      restore:
        description: Log restore events (C(LogRestore)).
        type: bool
      buy:
        description: Log purchase events (C(LogBuy)).
        type: bool
      login_logout:
        description: Log sign-in and sign-out (C(LogLogInLogOut)).
        type: bool
      profile:
        description: Log profile changes (C(LogProfile)).
        type: bool
      report:
        description: Log report events (C(LogReport)).
        type: bool
      services:
        description: Log service events (C(LogServices)).
        type: bool
      software_update:
        description: Log software updates (C(LogSoftwareUpdate)).
        type: bool
      utilities:
        description: Log utility events (C(LogUtilities)).
        type: bool
  mfa:
    description:
      - Two-factor authentication settings of the user (C(SecuritySettings) of C(UpdateUser)).
      - AhsayCBS accepts them only while its global MFA setting is on; otherwise it ignores them and the task keeps
        reporting a change.
    type: dict
    suboptions:
      enabled:
        description: Whether two-factor authentication is on for the user (C(Enabled)).
        type: bool
      phones:
        description:
          - Phone numbers for SMS codes (C(PhoneList)), compared without regard to order; a change replaces the whole list.
          - AhsayCBS refuses to remove the number used for the most recent successful sign-in.
        type: list
        elements: dict
        suboptions:
          country_code:
            description: Country calling code, for example V(44).
            type: int
            required: true
          number:
            description: Phone number without the country code.
            type: str
            required: true
notes:
  - Removing a backup user deletes their backup data on the server. Suspend first (O(status=suspended)) when in doubt.
  - Validation happens before any request and mirrors the rules of C(AddUser) - duplicate destination keys, a destination
    entry without O(destination_quotas[].enabled), a negative or non-numeric quota, a module switched on without its
    quota, O(quota_type=total) without O(storage_quota) and unknown choices each fail with a message naming the option.
  - AhsayCBS answers errors with its own message (for example C([UserCacheManager.NoSuchUserExpt] ...) or the
    expired-password text); the module shows it with the endpoint and a hint. The C(ExptType) of the answer is shown
    but never relied on.
  - Field spellings follow the vendor's C(AddUser) and C(UpdateUser) pages; for the part of the C(GetUser) answer the
    vendor does not document, the module reads the C(UpdateUser) spelling.
seealso:
  - module: msp.accounts.ahsay_user_info
  - module: msp.accounts.ahsay_sysuser
  - name: AddUser API
    description: The AhsayCBS API call that creates a backup user.
    link: https://www.ahsay.com/en/support/help-centre/doc/cbs/v10/api/user/backup-user/add-user
  - name: UpdateUser API
    description: The AhsayCBS API call that changes a backup user.
    link: https://www.ahsay.com/en/support/help-centre/doc/cbs/v10/api/user/backup-user/update-user-profile
"""

EXAMPLES = r"""
- name: Manage AhsayCBS backup users
  module_defaults:
    group/msp.accounts.ahsay:
      api_url: https://backup.example.com
      api_username: "{{ ahsay_api_username }}"
      api_password: "{{ ahsay_api_password }}"
  block:
    - name: Create a paid AhsayOBM user with 50 GB on the AhsayCBS server
      msp.accounts.ahsay_user:
        name: acme-fileserver
        password: "{{ vault_acme_backup_password }}"
        alias: ACME file server
        email: it@acme.example
        client_type: obm
        user_type: paid
        language: en
        destination_quotas:
          - key: OBS
            enabled: true
            quota: 50 GB

    - name: One total quota of 200 GB over the server and a predefined destination
      msp.accounts.ahsay_user:
        name: acme-fileserver
        quota_type: total
        storage_quota: 200
        destination_quotas:
          - key: OBS
            enabled: true
          - key: "-1532572601525"
            enabled: true
            quota: 107374182400

    - name: Switch on SQL Server and Hyper-V (10 guest VMs), switch off VMware
      msp.accounts.ahsay_user:
        name: acme-fileserver
        modules:
          mssql: true
          hyperv: true
          vmware: false
        hyperv_quota: 10
        hyperv_quota_type: guest_vm

    - name: Limit client computers and Run Direct VMs
      msp.accounts.ahsay_user:
        name: acme-fileserver
        host_quota_enabled: true
        host_quota: 3
        run_direct_quota_enabled: true
        run_direct_quota: 2
        auto_update_agent: true

    - name: Exactly these two contacts (any order)
      msp.accounts.ahsay_user:
        name: acme-fileserver
        contacts:
          - name: ACME IT
            email: it@acme.example
            company: ACME Ltd
          - name: Jane Doe
            email: jane.doe@acme.example
            phone1: "+44 20 7946 0000"

    - name: Add a contact and keep the others
      msp.accounts.ahsay_user:
        name: acme-fileserver
        contacts:
          - name: Night shift
            email: night@acme.example
        purge_contacts: false

    - name: Suspend automatically at the end of the contract
      msp.accounts.ahsay_user:
        name: acme-fileserver
        suspend_at: "2027-06-30"

    - name: Suspend a user now
      msp.accounts.ahsay_user:
        name: acme-fileserver
        status: suspended

    - name: Enable the user again
      msp.accounts.ahsay_user:
        name: acme-fileserver
        status: enabled

    - name: Reset the password (reports a change on every run)
      msp.accounts.ahsay_user:
        name: acme-fileserver
        password: "{{ vault_acme_new_password }}"
        update_password: always

    - name: A user owned by a reseller
      msp.accounts.ahsay_user:
        name: globex-laptop
        owner: reseller-globex
        password: "{{ vault_globex_password }}"
        client_type: acb
        destination_quotas:
          - key: OBS
            enabled: true
            quota: 20 GB

    - name: Remove a user and all of its backup data
      msp.accounts.ahsay_user:
        name: acme-old-server
        state: absent
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
    - The backup user after the task (predicted in check mode), with friendly keys and without any password or token.
    - Empty after O(state=absent).
    - After a creation or change the values are those sent merged into the user as read, not read back from the server.
  returned: always
  type: dict
  contains:
    name:
      description: Login name.
      type: str
      sample: acme-fileserver
    owner:
      description: Owning system user; empty for users of the administrator.
      type: str
      sample: ""
    alias:
      description: Display name.
      type: str
      returned: when known
    email:
      description: First contact's email address.
      type: str
      returned: when known
    status:
      description: V(enabled) or V(suspended).
      type: str
      returned: when known
      sample: enabled
    client_type:
      description: V(obm) or V(acb).
      type: str
      returned: when known
    user_type:
      description: V(trial) or V(paid).
      type: str
      returned: when known
    language:
      description: Language code.
      type: str
      returned: when known
    notes:
      description: Notes.
      type: str
      returned: when known
    user_home:
      description: User home on the server.
      type: str
      returned: when known
    quota_type:
      description: V(total) or V(per_destination).
      type: str
      returned: when known
    storage_quota:
      description: Total quota in GB.
      type: int
      returned: when known
    destination_quotas:
      description: Quota per destination, each with C(key), C(enabled), C(quota) in bytes and, when known, C(name).
      type: list
      elements: dict
      returned: when known
      sample: [{"key": "OBS", "enabled": true, "quota": 53687091200, "name": "AhsayCBS"}]
    modules:
      description: Add-on module name -> whether it is on.
      type: dict
      returned: when known
      sample: {"mssql": true, "hyperv": true, "vmware": false}
    contacts:
      description: Contacts, each with C(name), C(email), C(company), C(address), C(website), C(phone1), C(phone2).
      type: list
      elements: dict
      returned: when known
    suspend_at:
      description: Automatic suspension date (UTC) or V(never).
      type: str
      returned: when known
      sample: "2027-06-30"
    windows_event_log:
      description: Windows event log settings with the keys of O(windows_event_log).
      type: dict
      returned: when known
    mfa:
      description: Two-factor settings, C(enabled) and C(phones).
      type: dict
      returned: when known
    host_quota_enabled:
      description: Whether the number of client computers is limited.
      type: bool
      returned: when known
    host_quota:
      description: Maximum number of client computers.
      type: int
      returned: when known
    run_direct_quota_enabled:
      description: Whether Run Direct VMs are limited.
      type: bool
      returned: when known
    run_direct_quota:
      description: Maximum number of Run Direct VMs.
      type: int
      returned: when known
    auto_update_agent:
      description: Whether clients update themselves.
      type: bool
      returned: when known
    hyperv_quota:
      description: Hyper-V quota.
      type: int
      returned: when known
    hyperv_quota_type:
      description: V(guest_vm) or V(socket).
      type: str
      returned: when known
    vmware_quota:
      description: VMware quota.
      type: int
      returned: when known
    vmware_quota_type:
      description: V(guest_vm) or V(socket).
      type: str
      returned: when known
    exchange_mailbox_quota:
      description: Exchange mailbox quota.
      type: int
      returned: when known
    office365_mail_quota:
      description: Microsoft 365 mailbox quota.
      type: int
      returned: when known
    open_direct_quota:
      description: OpenDirect quota.
      type: int
      returned: when known
    data_size:
      description: Bytes of backup data stored, as reported by the server.
      type: int
      returned: when the user existed before the task
    last_backup_date:
      description: Time of the last backup in milliseconds since 1970 (0 when never), as reported by the server.
      type: int
      returned: when the user existed before the task
    online:
      description: Whether a client of the user is connected, as reported by the server.
      type: bool
      returned: when the user existed before the task
    client_version:
      description: Version of the client the user last ran, as reported by the server.
      type: str
      returned: when the user existed before the task
    user_id:
      description: ID AhsayCBS gave the user.
      type: str
      returned: when the user existed before the task
"""

from ansible_collections.msp.accounts.plugins.module_utils import _ahsay
from ansible_collections.msp.accounts.plugins.module_utils._base import AccountModule


class AhsayUser(AccountModule):
    adapter = _ahsay.BackupUsers


def main():
    AhsayUser().run()


if __name__ == "__main__":
    main()
