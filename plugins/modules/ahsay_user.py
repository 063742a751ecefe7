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

from ansible_collections.msp.accounts.plugins.module_utils import _ahsay, _diff
from ansible_collections.msp.accounts.plugins.module_utils._base import AccountModule

# Options that AddUser takes but UpdateUser cannot change.
CREATE_ONLY = ("email", "user_home")
# Options GetUser does not report, so an existing user's value cannot be compared: set at creation only.
UNREADABLE = ("auto_update_agent",)


def _bool_subset(current, desired):
    """Every key the user gave has that boolean value (a flag the server does not report counts as off)."""
    current = current if isinstance(current, dict) else {}
    return all(bool(_diff.to_bool(current.get(key))) == value for key, value in desired.items())


def _same_mfa(current, desired):
    current = current if isinstance(current, dict) else {}
    if "enabled" in desired and bool(_diff.to_bool(current.get("enabled"))) != desired["enabled"]:
        return False
    return "phones" not in desired or _diff.same_set(current.get("phones"), desired["phones"])


def argument_spec():
    return dict(
        name=dict(type="str", required=True, aliases=["login_name"]),
        owner=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        status=dict(type="str", choices=sorted(_ahsay.USER_STATUSES)),
        password=dict(type="str", no_log=True),
        update_password=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
        alias=dict(type="str"),
        email=dict(type="str"),
        client_type=dict(type="str", choices=sorted(_ahsay.CLIENT_TYPES)),
        user_type=dict(type="str", choices=sorted(_ahsay.USER_TYPES)),
        language=dict(type="str"),
        notes=dict(type="str"),
        user_home=dict(type="str"),
        quota_type=dict(type="str", choices=sorted(_ahsay.QUOTA_TYPES)),
        storage_quota=dict(type="int"),
        destination_quotas=dict(type="list", elements="dict", options=dict(
            key=dict(type="str", required=True, no_log=False),
            enabled=dict(type="bool"),
            quota=dict(type="raw"),
        )),
        modules=dict(type="dict", options=dict((name, dict(type="bool")) for name in _ahsay.MODULES)),
        exchange_mailbox_quota=dict(type="int"),
        hyperv_quota=dict(type="int"),
        hyperv_quota_type=dict(type="str", choices=sorted(_ahsay.VM_QUOTA_TYPES)),
        vmware_quota=dict(type="int"),
        vmware_quota_type=dict(type="str", choices=sorted(_ahsay.VM_QUOTA_TYPES)),
        office365_mail_quota=dict(type="int"),
        open_direct_quota=dict(type="int"),
        host_quota_enabled=dict(type="bool"),
        host_quota=dict(type="int"),
        run_direct_quota_enabled=dict(type="bool"),
        run_direct_quota=dict(type="int"),
        auto_update_agent=dict(type="bool"),
        contacts=dict(type="list", elements="dict", options=dict(
            (key, dict(type="str", required=(key == "email"))) for key in _ahsay.CONTACT)),
        purge_contacts=dict(type="bool", default=True),
        suspend_at=dict(type="str"),
        windows_event_log=dict(type="dict", options=dict((key, dict(type="bool")) for key in _ahsay.EVENT_LOG)),
        mfa=dict(type="dict", options=dict(
            enabled=dict(type="bool"),
            phones=dict(type="list", elements="dict", options=dict(
                country_code=dict(type="int", required=True),
                number=dict(type="str", required=True),
            )),
        )),
    )


# Integer options that must not be negative.
COUNTS = ("storage_quota", "exchange_mailbox_quota", "hyperv_quota", "vmware_quota", "office365_mail_quota",
          "open_direct_quota", "host_quota", "run_direct_quota")


class AhsayUser(AccountModule):
    platform = "ahsay"
    api_class = _ahsay.AhsayApi
    selectors = ("name", "owner")
    secret_keys = ("password",)

    def __init__(self):
        super(AhsayUser, self).__init__(argument_spec())
        text = _diff.Field(normalise=lambda value: "" if value is None else str(value))
        number = _diff.Field(normalise=lambda value: None if value is None else int(value))
        self.fields = {
            "password": _diff.SECRET,
            "alias": text, "email": text, "language": text, "notes": text, "user_home": text,
            "status": _diff.ENUM, "client_type": _diff.ENUM, "user_type": _diff.ENUM, "quota_type": _diff.ENUM,
            "hyperv_quota_type": _diff.ENUM, "vmware_quota_type": _diff.ENUM,
            "host_quota_enabled": _diff.BOOL, "run_direct_quota_enabled": _diff.BOOL, "auto_update_agent": _diff.BOOL,
            "destination_quotas": _diff.Field(equal=lambda cur, want: _ahsay.same_destinations(
                cur, _ahsay.merge_destinations(cur, want))),
            "contacts": _diff.Field(equal=lambda cur, want: _ahsay.same_contacts(
                cur, _ahsay.merge_contacts(cur, want, self.params["purge_contacts"]))),
            "suspend_at": _diff.Field(normalise=lambda value: None if value is None else _ahsay.suspend_date(value)),
            "modules": _diff.Field(equal=_bool_subset),
            "windows_event_log": _diff.Field(equal=_bool_subset),
            "mfa": _diff.Field(equal=_same_mfa),
        }
        for key in COUNTS:
            self.fields[key] = number

    # -- input -------------------------------------------------------------------------

    def validate(self):
        params = self.params
        if params["password"] == "":
            self.fail("password must not be empty.")
        for key in COUNTS:
            if params[key] is not None and params[key] < 0:
                self.fail("%s must be 0 or more, got %d." % (key, params[key]))
        if params["quota_type"] == "total" and params["storage_quota"] is None:
            self.fail("quota_type=total requires storage_quota (the total quota in GB).")
        self._validate_destinations(params["destination_quotas"])
        flat = dict(("modules." + k, v) for k, v in (params["modules"] or {}).items())
        flat["run_direct_quota_enabled"] = params["run_direct_quota_enabled"]
        for switch, quota in sorted(_ahsay.REQUIRED_QUOTAS.items()):
            if flat.get(switch) and params[quota] is None:
                self.fail("%s=true requires %s (AddUser needs the quota of a module or limit it switches on)." % (switch, quota))
        emails = [_diff.fold(item["email"]) for item in params["contacts"] or []]
        duplicates = sorted(set(e for e in emails if emails.count(e) > 1))
        if duplicates:
            self.fail("contacts: each email may appear once (AhsayCBS refuses duplicate contacts); repeated: %s." % ", ".join(duplicates))
        if params["suspend_at"] is not None:
            try:
                _ahsay.suspend_date(params["suspend_at"])
            except ValueError as err:
                self.fail("suspend_at: %s." % err)

    def _validate_destinations(self, items):
        seen = set()
        for index, item in enumerate(items or []):
            where = "destination_quotas[%d] (key %s)" % (index, item["key"])
            if not str(item["key"]).strip():
                self.fail("destination_quotas[%d]: key must not be empty (OBS or a predefined destination key)." % index)
            if item["key"] in seen:
                self.fail("destination_quotas: key %s is listed more than once; each destination may appear once." % item["key"])
            seen.add(item["key"])
            if item["enabled"] is None:
                self.fail("%s: enabled is required (true or false); AhsayCBS refuses a destination without it." % where)
            if item["quota"] is not None:
                try:
                    _diff.to_bytes(item["quota"])
                except ValueError as err:
                    self.fail("%s: quota must be 0 or more bytes, or a size such as '50 GB': %s." % (where, err))

    def desired(self, current):
        wanted = super(AhsayUser, self).desired(current)
        for key in _ahsay.USER_DICT_OPTIONS:
            if key in wanted:
                given = dict((k, v) for k, v in wanted[key].items() if v is not None)
                if given:
                    wanted[key] = given
                else:
                    del wanted[key]
        if "destination_quotas" in wanted:
            wanted["destination_quotas"] = [_ahsay.destination(item) for item in wanted["destination_quotas"]]
        if "contacts" in wanted:
            wanted["contacts"] = [_ahsay.contact(item) for item in wanted["contacts"]]
        if "suspend_at" in wanted:
            wanted["suspend_at"] = _ahsay.suspend_date(wanted["suspend_at"])
        if "phones" in wanted.get("mfa", {}):
            wanted["mfa"]["phones"] = [{"country_code": p["country_code"], "number": p["number"]} for p in wanted["mfa"]["phones"]]
        if current is None and self.params["state"] == "present":
            self._check_creation(wanted)
        return wanted

    def _check_creation(self, wanted):
        """What AddUser needs; judged before the write and in check mode alike."""
        if wanted.get("password") is None:
            self.fail("password is required to create backup user %r." % self.params["name"])
        if wanted.get("quota_type") != "total" and not wanted.get("destination_quotas"):
            self.fail("destination_quotas is required to create backup user %r unless quota_type=total "
                      "(AddUser needs a QuotaList for per-destination quotas)." % self.params["name"])
        for index, item in enumerate(wanted.get("destination_quotas") or []):
            if item.get("enabled") and item.get("quota") is None:
                self.fail("destination_quotas[%d] (key %s): quota is required to create backup user %r with this destination "
                          "enabled (AddUser refuses an enabled destination without a quota)." % (index, item["key"], self.params["name"]))

    # -- hooks ---------------------------------------------------------------------------

    def find(self):
        return _ahsay.user_from_api(self.api.get_user(self.params["name"], self.params["owner"]))

    def compare(self, current, desired):
        desired = dict(desired)
        for key in UNREADABLE:
            if desired.pop(key, None) is not None:
                self.module.warn("%s is set when a backup user is created; AhsayCBS does not report it for an existing user, "
                                 "so the module cannot compare it and leaves it unchanged on %r." % (key, self.params["name"]))
        for key in CREATE_ONLY:
            value = desired.pop(key, None)
            if value is None or current.get(key) in (None, "") or current[key] == value:
                continue
            if key == "email":
                known = [_diff.fold(item.get("email")) for item in desired.get("contacts") or current.get("contacts") or []]
                if _diff.fold(value) not in known:
                    self.module.warn("email is only used when a backup user is created; to give %r another contact "
                                     "address, set contacts." % self.params["name"])
            else:
                self.module.warn("%s is only used when a backup user is created; %r keeps %s=%r." % (
                    key, self.params["name"], key, current[key]))
        change = _diff.changes(current, desired, self.fields)
        if "destination_quotas" in change:
            change["destination_quotas"] = _ahsay.merge_destinations(current.get("destination_quotas"), desired["destination_quotas"])
        if "contacts" in change:
            change["contacts"] = _ahsay.merge_contacts(current.get("contacts"), desired["contacts"], self.params["purge_contacts"])
        for key in ("modules", "windows_event_log"):
            if key in change:
                known = current.get(key) or {}
                change[key] = dict((k, v) for k, v in change[key].items() if bool(_diff.to_bool(known.get(k))) != v)
        if "mfa" in change:
            known = current.get("mfa") or {}
            change["mfa"] = dict((k, v) for k, v in change["mfa"].items() if not _same_mfa(known, {k: v}))
        return change

    def create(self, desired):
        body, rest = _ahsay.add_user_payload(desired)
        body["LoginName"] = self.params["name"]
        if self.params["owner"]:
            body["Owner"] = self.params["owner"]
        self.api.add_user(body)
        if rest:
            try:
                self.api.update_user(self.params["name"], _ahsay.update_user_payload(rest), self.params["owner"])
            except _ahsay.ApiError as err:
                # AddUser has no field for these: the user exists now, without them unless UpdateUser got through.
                err = err.replace(note="User %r was created, but setting %s failed: run the task again to finish." % (
                    self.params["name"], ", ".join(sorted(rest))))
                self.fail_api(err, changed=True, action="created")

    def update(self, current, change, desired):
        self.api.update_user(self.params["name"], _ahsay.update_user_payload(change, current), self.params["owner"])

    def delete(self, current):
        self.api.remove_user(self.params["name"], self.params["owner"])

    def public(self, obj):
        if not obj:
            return {}
        user = super(AhsayUser, self).public(obj)
        user["name"] = self.params["name"]
        user.setdefault("owner", self.params["owner"] or "")
        return user


def main():
    AhsayUser().run()


if __name__ == "__main__":
    main()
