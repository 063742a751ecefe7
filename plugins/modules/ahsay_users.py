#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: ahsay_users
short_description: Converge many AhsayCBS backup users in one task
version_added: 0.3.0
description:
  - Brings every backup user listed in O(users) to the state its entry describes, in one task. Each entry takes the
    options of M(msp.accounts.ahsay_user) and is judged the same way.
  - One C(ListUsers) (v2) call reads every backup user within O(scope); its entries carry every managed field, so a run
    that changes nothing sends that one request. Each changed account then gets the same writes as with
    M(msp.accounts.ahsay_user), O(parallel) at a time.
  - Every entry is checked before the first request; an invalid one fails the task, naming its position and name. A
    failed write does not stop the other accounts; the task fails at the end and names each failed account.
  - Backup users within O(scope) that O(users) does not list are reported, and suspended or removed only when
    O(unlisted) says so.
author:
  - msp.accounts contributors (@msp-accounts)
extends_documentation_fragment:
  - msp.accounts.ahsay
  - msp.accounts.attributes
  - msp.accounts.attributes.BULK
  - msp.accounts.attributes.AHSAY_GROUP
options:
  users:
    description:
      - The backup users to converge. Each entry takes the options of M(msp.accounts.ahsay_user); O(users[].name) is
        required and may appear once.
    type: list
    elements: dict
    required: true
  # BEGIN users: generated from ahsay_user by `make bulk-docs`; do not edit by hand
    suboptions:
      name:
        description:
        - Login name of the backup user (C(LoginName)). Compared exactly (case-sensitive).
        type: str
        required: true
        aliases:
        - login_name
      owner:
        description:
        - Login name of the system user (reseller) that owns the backup user (C(Owner)).
        - Sent with every request when set, so the user is looked up, created, changed and removed under this owner.
          Leave it unset for users owned by the administrator.
        type: str
      state:
        description:
        - V(present) creates the user or brings the options you set to the wanted values.
        - V(absent) removes the user B(and all its backup data on the server). Nothing happens when there is no such
          user.
        type: str
        choices:
        - present
        - absent
        default: present
      status:
        description:
        - V(enabled) (C(ENABLE)) lets the user back up and restore; V(suspended) (C(SUSPENDED)) blocks the account but
          keeps its data. Set through C(Status) of C(AddUser)/C(UpdateUser).
        - AhsayCBS itself suspends trial users whose trial period is over; such users cannot be re-enabled this way.
        type: str
        choices:
        - enabled
        - suspended
      password:
        description:
        - Password of the backup user. Required to create a user.
        - AhsayCBS never returns a backup user's password, so it cannot be compared; see O(users[].update_password).
        - Never shown in the result, the diff, warnings or errors.
        type: str
      update_password:
        description:
        - V(on_create) sends O(users[].password) only when the user is created.
        - V(always) sends O(users[].password) on every run; the task then reports a change every time.
        type: str
        choices:
        - on_create
        - always
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
          Use O(users[].contacts) to change the contacts of an existing user.
        type: str
      client_type:
        description:
        - Backup client the user runs, V(obm) (AhsayOBM) or V(acb) (AhsayACB) (C(ClientType)).
        type: str
        choices:
        - obm
        - acb
      user_type:
        description:
        - V(trial) or V(paid) (C(Type)). AhsayCBS makes a new user a trial user when this is not set.
        type: str
        choices:
        - trial
        - paid
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
        - User home (storage path on the server) of a new user (C(UserHome)); AhsayCBS picks the first user home when
          unset.
        - Only used at creation (C(UpdateUser) cannot move a user); the module warns when an existing user's home differs.
        type: str
      quota_type:
        description:
        - V(per_destination) (C(PER_DESTINATION_QUOTA)) limits each destination by its O(users[].destination_quotas)
          entry; V(total) (C(TOTAL_QUOTA)) limits all destinations together by O(users[].storage_quota).
        - AhsayCBS uses V(per_destination) when it is not set at creation.
        type: str
        choices:
        - total
        - per_destination
      storage_quota:
        description:
        - Total storage quota in GB (C(StorageQuota)), used with O(users[].quota_type=total), which requires it.
        - AhsayCBS uses 100 when it is not set at creation.
        type: int
      destination_quotas:
        description:
        - Quota per backup destination (C(QuotaList)).
        - Creating a user needs at least one entry unless O(users[].quota_type=total), as C(AddUser) requires a C(QuotaList).
        - Destinations are matched by O(users[].destination_quotas[].key); destinations you do not list are kept as
          they are, so disable one with O(users[].destination_quotas[].enabled=false) rather than leaving it out.
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
        - Each name maps to the C(Enable*) flag of C(AddUser) and the C(ModuleSettings) flag of C(UpdateUser) and C(GetUser)
          (for example O(users[].modules.mssql) is C(EnableMSSQL) and C(ModuleSettings.MSSQLBackupEnabled)).
        - Some modules need a quota when they are switched on - O(users[].modules.exchange_mailbox) needs O(users[].exchange_mailbox_quota),
          O(users[].modules.hyperv) needs O(users[].hyperv_quota), O(users[].modules.vmware) needs O(users[].vmware_quota)
          and O(users[].modules.office365_mail) needs O(users[].office365_mail_quota).
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
            - Delta merge (C(DeltaMergeEnabled)). C(AddUser) has no flag for it, so on creation it is set by the C(UpdateUser)
              call that follows.
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
        - Required when O(users[].modules.exchange_mailbox=true).
        type: int
      hyperv_quota:
        description:
        - Hyper-V quota, counted as set by O(users[].hyperv_quota_type) (C(MsVmQuota), C(ModuleSettings.MSHyperVVMQuota)).
        - Required when O(users[].modules.hyperv=true).
        type: int
      hyperv_quota_type:
        description:
        - What O(users[].hyperv_quota) counts - V(guest_vm) (C(GUESTVM), guest virtual machines) or V(socket) (C(SOCKET),
          CPU sockets of the host). AhsayCBS uses V(guest_vm) when it is not set at creation.
        type: str
        choices:
        - guest_vm
        - socket
      vmware_quota:
        description:
        - VMware quota, counted as set by O(users[].vmware_quota_type) (C(VMwareQuota), C(ModuleSettings.VMwareVMQuota)).
        - Required when O(users[].modules.vmware=true).
        type: int
      vmware_quota_type:
        description:
        - What O(users[].vmware_quota) counts - V(guest_vm) (C(GUESTVM)) or V(socket) (C(SOCKET)). AhsayCBS uses V(guest_vm)
          when it is not set at creation.
        type: str
        choices:
        - guest_vm
        - socket
      office365_mail_quota:
        description:
        - Number of Microsoft 365 mailboxes the user may back up (C(Office365MailQuota)).
        - Required when O(users[].modules.office365_mail=true).
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
        - Maximum number of client computers when O(users[].host_quota_enabled=true) (C(HostQuota)).
        type: int
      run_direct_quota_enabled:
        description:
        - Whether the number of virtual machines running directly from backup is limited (C(RunDirectQuotaEnabled)).
        - V(true) requires O(users[].run_direct_quota).
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
        - With O(users[].purge_contacts=true) the list is the whole truth and replaces the current contacts (C(AppendContact=N))
          when it differs. With O(users[].purge_contacts=false) contacts that are missing are appended (C(AppendContact=Y))
          and others are kept.
        - V([]) with O(users[].purge_contacts=true) removes every contact.
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
        - Whether contacts that are not in O(users[].contacts) are removed. Has no effect when O(users[].contacts) is
          not set.
        type: bool
        default: true
      suspend_at:
        description:
        - Date and time at which AhsayCBS suspends the user (C(UserSuspendSettings)), in UTC, as V(YYYY-MM-DD) (midnight)
          or V(YYYY-MM-DDTHH:MM:SSZ); V(never) switches the automatic suspension off.
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
            - Phone numbers for SMS codes (C(PhoneList)), compared without regard to order; a change replaces the whole
              list.
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
  # END users
  scope:
    description:
      - Which backup users O(unlisted) considers. Without it, every backup user.
    type: dict
    suboptions:
      owner:
        description:
          - Only backup users owned by this system user (reseller), as the C(reseller) filter of C(ListUsers) selects
            them. Entries of O(users) without O(users[].owner) are created and looked up under this owner.
        type: str
  unlisted:
    description:
      - What happens to backup users within O(scope) that O(users) does not list.
      - V(keep) only reports them; V(suspend) sets their status to suspended; V(remove) removes them, which deletes their
        backup data and needs O(remove_backup_data=true).
    type: str
    choices: [keep, suspend, remove]
    default: keep
  remove_backup_data:
    description:
      - Confirms that O(unlisted=remove) may remove backup users, and with them their backup data.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Converge the backup users of one reseller from a CMDB export
  msp.accounts.ahsay_users:
    scope:
      owner: reseller-eu
    users: "{{ cmdb_backup_users }}"
    unlisted: suspend
    unlisted_limit: 5

# A long list is fastest read from a JSON file (see docs/bulk.md: a vars file is slower to load).
- name: Converge every backup user of a JSON export
  msp.accounts.ahsay_users:
    users: "{{ lookup('ansible.builtin.file', 'exports/backup-users.json') | from_json }}"

# A CSV export with the columns name, alias and storage_quota (strings are converted as the options say).
- name: Read the billing system's CSV export
  community.general.read_csv:
    path: exports/billing.csv
  register: billing

- name: Give each billed user its quota
  msp.accounts.ahsay_users:
    users: "{{ billing.list | map('combine', {'quota_type': 'total'}) | list }}"

- name: Two users, ad hoc
  msp.accounts.ahsay_users:
    users:
      - name: acme-fileserver
        password: "{{ vault_acme_password }}"
        quota_type: total
        storage_quota: 500
      - name: old-customer
        state: absent
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
  sample: [{name: acme-fileserver, action: created, msg: "user 'acme-fileserver' created"}]
unlisted:
  description: The backup users within O(scope) not in O(users), each with C(action) V(kept), V(suspended), V(removed) or V(failed).
  returned: always
  type: list
  elements: dict
  sample: [{name: departed-customer, action: suspended}]
"""

from ansible_collections.msp.accounts.plugins.module_utils import _ahsay
from ansible_collections.msp.accounts.plugins.module_utils._base import BulkModule
from ansible_collections.msp.accounts.plugins.module_utils._http import InputError


class AhsayUsers(BulkModule):
    adapter = _ahsay.BackupUsers
    scope = dict(owner=dict(type="str"))
    suspended = {"status": "suspended"}
    extra_options = dict(remove_backup_data=dict(type="bool", default=False))

    def validate(self):
        if self.params["unlisted"] == "remove" and not self.params["remove_backup_data"]:
            raise InputError("unlisted=remove removes backup users and their backup data: set remove_backup_data=true to "
                             "confirm, or use unlisted=suspend.")
        super(AhsayUsers, self).validate()


def main():
    AhsayUsers().run()


if __name__ == "__main__":
    main()
