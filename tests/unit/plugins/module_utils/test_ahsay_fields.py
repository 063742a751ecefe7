# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The backup-user field table of _ahsay (AddUser <-> UpdateUser <-> GetUser) and its payload builders.

The expected spellings below are typed in from the vendor's AddUser (v2) and UpdateUser (v2)
pages, independently of the table, so a typo in the table fails here.
"""

import pytest

from ansible_collections.msp.accounts.plugins.module_utils import _ahsay

# Every request key of the AddUser v2 page except the credentials and the two mobile quotas
# (v1 quota deprecated since 8.5, v2 quota fixed at 10 by the server).
ADD_USER_KEYS = {
    "LoginName", "Owner", "Password", "Email", "QuotaList", "Status", "ClientType", "Type", "UserHome",
    "ExchangeMailboxQuota", "MsVmQuota", "MsVmQuotaType", "VMwareQuota", "VMwareQuotaType",
    "RunDirectQuotaEnabled", "RunDirectQuota", "EnableOffice365Mail", "Office365MailQuota", "Language",
    "DisplayName", "Notes", "HostQuotaEnabled", "HostQuota", "EnableMobile", "EnableMobileV2",
    "EnableExchangeMailbox", "EnableMSSQL", "EnableMSExchange", "EnableOracle", "EnableLotusDomino",
    "EnableLotusNotes", "EnableMySQL", "EnableInFileDelta", "EnableShadowCopy", "EnableNASClient", "EnableQnap",
    "EnableMsVm", "EnableVMware", "EnableCDP", "EnableShadowProtectBareMetal", "EnableWinServer2008BareMetal",
    "EnableMsWinSysState", "EnableOpenDirect", "OpenDirectQuota", "EnableMariaDB", "EnableDeduplication",
    "QuotaType", "StorageQuota", "EnableAUA", "EnableTibero", "EnableLinuxBareMetal", "EnablePostgreSQL",
    "EnableProxmox",
}

# Every key of the UpdateUser v2 page (top level and the ModuleSettings, WindowsEventLogSettings,
# UserSuspendSettings and SecuritySettings objects) the module writes. The contact editing keys
# (AppendContact, ChangeContact, OldContact, NewContact) are produced by contacts_payload.
UPDATE_USER_KEYS = {
    "LoginName", "Owner", "Alias", "Status", "Type", "ClientType", "Password", "Language", "Notes", "QuotaList",
    "HostQuotaEnabled", "HostQuota", "RunDirectQuotaEnabled", "RunDirectQuota", "Contact", "QuotaType",
    "StorageQuota", "EnableAUA", "UserSuspendSettings",
    "SecuritySettings.Enabled", "SecuritySettings.PhoneList",
} | set("ModuleSettings." + key for key in (
    "MSExchangeMailboxBackupEnabled", "MSExMailboxQuota", "MSSQLBackupEnabled", "MSExchangeBackupEnabled",
    "OracleBackupEnabled", "LotusDominoBackupEnabled", "LotusNotesBackupEnabled", "MySQLBackupEnabled",
    "InFileDeltaEnabled", "ShadowCopyEnabled", "NasClientEnabled", "QnapEnabled", "DeltaMergeEnabled",
    "MSHyperVBackupEnabled", "MSHyperVVMQuota", "MSHyperVVMQuotaType", "VMwareBackupEnabled", "VMwareVMQuota",
    "VMwareVMQuotaType", "CDPEnabled", "ShadowProtectBackupEnabled", "MSWindowsSystemBackupEnabled",
    "MSWindowsSystemStateBackupEnabled", "Office365MailEnabled", "Office365MailQuota", "MobileEnabled",
    "MobileV2Enabled", "OpenDirectEnabled", "OpenDirectQuota", "MariaDBBackupEnabled", "DeduplicationEnabled",
    "TiberoBackupEnabled", "LinuxBareMetalBackupEnabled", "PostgreSQLBackupEnabled", "ProxmoxVEBackupEnabled",
)) | set("WindowsEventLogSettings." + key for key in (
    "Enabled", "LogError", "LogProfile", "LogServices", "LogUtilities", "LogBackup", "LogSoftwareUpdate",
    "LogReport", "LogLogInLogOut", "LogInfo", "LogBuy", "LogLicense", "LogWarn", "LogRestore",
))

# The pairs the two pages describe as the same add-on module (AddUser flag, ModuleSettings flag).
MODULE_PAIRS = {
    ("EnableExchangeMailbox", "MSExchangeMailboxBackupEnabled"), ("EnableMSSQL", "MSSQLBackupEnabled"),
    ("EnableMSExchange", "MSExchangeBackupEnabled"), ("EnableOracle", "OracleBackupEnabled"),
    ("EnableLotusDomino", "LotusDominoBackupEnabled"), ("EnableLotusNotes", "LotusNotesBackupEnabled"),
    ("EnableMySQL", "MySQLBackupEnabled"), ("EnableInFileDelta", "InFileDeltaEnabled"),
    ("EnableShadowCopy", "ShadowCopyEnabled"), ("EnableNASClient", "NasClientEnabled"), ("EnableQnap", "QnapEnabled"),
    (None, "DeltaMergeEnabled"), ("EnableMsVm", "MSHyperVBackupEnabled"), ("EnableVMware", "VMwareBackupEnabled"),
    ("EnableCDP", "CDPEnabled"), ("EnableShadowProtectBareMetal", "ShadowProtectBackupEnabled"),
    ("EnableWinServer2008BareMetal", "MSWindowsSystemBackupEnabled"),
    ("EnableMsWinSysState", "MSWindowsSystemStateBackupEnabled"), ("EnableOffice365Mail", "Office365MailEnabled"),
    ("EnableMobile", "MobileEnabled"), ("EnableMobileV2", "MobileV2Enabled"), ("EnableOpenDirect", "OpenDirectEnabled"),
    ("EnableMariaDB", "MariaDBBackupEnabled"), ("EnableDeduplication", "DeduplicationEnabled"),
    ("EnableTibero", "TiberoBackupEnabled"), ("EnableLinuxBareMetal", "LinuxBareMetalBackupEnabled"),
    ("EnablePostgreSQL", "PostgreSQLBackupEnabled"), ("EnableProxmox", "ProxmoxVEBackupEnabled"),
}

PASSWORD = "Unit-Ahsay-UserPass-7d2c9e41b8!"


def get_user_data(**overrides):
    """A GetUser v2 ``Data`` object as the simulator (and the UpdateUser spelling) gives it."""
    data = {
        "AccessToken": "Unit-Access-Token-0a9f3e5b7c", "Alias": "ACME", "ClientType": "OBM", "DataSize": 42,
        "ContactList": [
            {"ContactId": "1700000000001", "Name": "IT", "Email": "it@acme.example", "Company": "ACME",
             "Address": "", "Website": "", "Phone1": "", "Phone2": ""},
            {"ContactId": "1700000000002", "Name": "Jane", "Email": "jane@acme.example", "Company": "",
             "Address": "", "Website": "", "Phone1": "123", "Phone2": ""},
        ],
        "Email": "it@acme.example", "EnableAUA": False, "HostQuota": 0, "HostQuotaEnabled": False,
        "ID": "1700000000000", "Language": "en", "LoginName": "acme", "Notes": "", "Owner": "", "Online": False,
        "ModuleSettings": {"MSSQLBackupEnabled": True, "MSHyperVBackupEnabled": False, "MSHyperVVMQuota": 0,
                           "MSHyperVVMQuotaType": "GUESTVM", "OpenDirectQuota": "0", "DeltaMergeEnabled": False},
        "QuotaList": [
            {"Enabled": True, "Quota": 53687091200, "DestinationName": "AhsayCBS", "DestinationKey": "OBS"},
            {"Enabled": False, "Quota": 0, "DestinationName": "GoogleDrive-1", "DestinationKey": "-1532572601525"},
        ],
        "QuotaType": "PER_DESTINATION_QUOTA", "RunDirectQuota": 0, "RunDirectQuotaEnabled": False,
        "SecuritySettings": {"Enabled": False, "PhoneList": [
            {"Id": 1, "CountryCode": 44, "PhoneNumber": "7700900000", "Verified": False, "VerifiedTime": 0}]},
        "Status": "ENABLE", "StorageQuota": 100, "Type": "PAID", "UserHome": "/usr/local/cbs/user",
        "UserSuspendSettings": {"Enabled": False, "Date": 0},
        "WindowsEventLogSettings": {"Enabled": True, "LogError": True, "LogWarn": False},
    }
    data.update(overrides)
    return data


# -- the table -----------------------------------------------------------------------------


def test_every_add_user_key_has_exactly_one_row():
    spelled = [row.add for row in _ahsay.USER_FIELDS if row.add]
    assert len(spelled) == len(set(spelled))
    assert set(spelled) == ADD_USER_KEYS


def test_every_update_user_key_has_exactly_one_row():
    spelled = [row.update for row in _ahsay.USER_FIELDS if row.update]
    assert len(spelled) == len(set(spelled))
    assert set(spelled) == UPDATE_USER_KEYS


def test_module_flags_pair_as_on_the_vendor_pages():
    pairs = set((add, "ModuleSettings." + update) for add, update in _ahsay.MODULES.values())
    assert pairs == set((add, "ModuleSettings." + update) for add, update in MODULE_PAIRS)
    for name, (add, update) in _ahsay.MODULES.items():
        row = _ahsay.USER_FIELD["modules." + name]
        assert (row.add, row.update, row.kind) == (add, "ModuleSettings." + update, "bool")


@pytest.mark.parametrize("option, add, update, get", [
    ("name", "LoginName", "LoginName", "LoginName"),
    ("alias", "DisplayName", "Alias", "Alias"),
    ("email", "Email", None, None),
    ("status", "Status", "Status", "Status"),
    ("user_type", "Type", "Type", "Type"),
    ("user_home", "UserHome", None, "UserHome"),
    ("destination_quotas", "QuotaList", "QuotaList", "QuotaList"),
    ("auto_update_agent", "EnableAUA", "EnableAUA", None),
    ("exchange_mailbox_quota", "ExchangeMailboxQuota", "ModuleSettings.MSExMailboxQuota", "ModuleSettings.MSExMailboxQuota"),
    ("hyperv_quota", "MsVmQuota", "ModuleSettings.MSHyperVVMQuota", "ModuleSettings.MSHyperVVMQuota"),
    ("hyperv_quota_type", "MsVmQuotaType", "ModuleSettings.MSHyperVVMQuotaType", "ModuleSettings.MSHyperVVMQuotaType"),
    ("vmware_quota", "VMwareQuota", "ModuleSettings.VMwareVMQuota", "ModuleSettings.VMwareVMQuota"),
    ("office365_mail_quota", "Office365MailQuota", "ModuleSettings.Office365MailQuota", "ModuleSettings.Office365MailQuota"),
    ("contacts", None, "Contact", "ContactList"),
    ("suspend_at", None, "UserSuspendSettings", "UserSuspendSettings"),
    ("windows_event_log.warning", None, "WindowsEventLogSettings.LogWarn", "WindowsEventLogSettings.LogWarn"),
    ("password", "Password", "Password", None),
])
def test_spelling_of_each_api(option, add, update, get):
    row = _ahsay.USER_FIELD[option]
    assert (row.add, row.update, row.get) == (add, update, get)


def test_password_is_never_read():
    assert [row.option for row in _ahsay.USER_FIELDS if row.kind == "secret"] == ["password"]
    assert _ahsay.USER_FIELD["password"].get is None


def test_enum_tables_use_the_api_spelling():
    assert _ahsay.USER_STATUSES == {"enabled": "ENABLE", "suspended": "SUSPENDED"}
    assert _ahsay.QUOTA_TYPES == {"total": "TOTAL_QUOTA", "per_destination": "PER_DESTINATION_QUOTA"}
    assert _ahsay.VM_QUOTA_TYPES == {"guest_vm": "GUESTVM", "socket": "SOCKET"}
    assert _ahsay.USER_TYPES == {"trial": "TRIAL", "paid": "PAID"}


def test_required_quotas_name_existing_options():
    for switch, quota in _ahsay.REQUIRED_QUOTAS.items():
        assert switch in _ahsay.USER_FIELD and quota in _ahsay.USER_FIELD


SAMPLES = {
    "text": "Some text", "enum": None, "bool": True, "int": 7, "int_text": 3,
    "destinations": [{"key": "OBS", "enabled": True, "quota": 1024}],
    "contacts": [{"name": "A", "email": "a@example.com", "company": "", "address": "", "website": "",
                  "phone1": "1", "phone2": ""}],
    "suspend": "2030-06-30", "phones": [{"country_code": 44, "number": "7700900000"}],
}


@pytest.mark.parametrize("row", [row for row in _ahsay.USER_FIELDS if row.kind != "secret"], ids=repr)
def test_every_row_survives_a_round_trip(row):
    value = sorted(row.values)[0] if row.kind == "enum" else SAMPLES[row.kind]
    assert row.read(_ahsay.to_api(row, value)) == value


# -- reading -------------------------------------------------------------------------------


def test_user_from_api_gives_friendly_keys_and_no_secrets():
    user = _ahsay.user_from_api(get_user_data(Password="leak-me"))
    assert "Unit-Access-Token" not in repr(user) and "leak-me" not in repr(user)
    assert user["name"] == "acme" and user["owner"] == ""
    assert user["alias"] == "ACME"
    assert user["status"] == "enabled" and user["client_type"] == "obm" and user["user_type"] == "paid"
    assert user["quota_type"] == "per_destination"
    assert user["destination_quotas"] == [
        {"key": "OBS", "enabled": True, "quota": 53687091200, "name": "AhsayCBS"},
        {"key": "-1532572601525", "enabled": False, "quota": 0, "name": "GoogleDrive-1"},
    ]
    assert user["modules"] == {"mssql": True, "hyperv": False, "delta_merge": False}
    assert user["hyperv_quota_type"] == "guest_vm" and user["open_direct_quota"] == 0
    assert user["contacts"][1] == {"name": "Jane", "email": "jane@acme.example", "company": "", "address": "",
                                   "website": "", "phone1": "123", "phone2": ""}
    assert user["suspend_at"] == "never"
    assert user["mfa"] == {"enabled": False, "phones": [{"country_code": 44, "number": "7700900000"}]}
    assert user["windows_event_log"] == {"enabled": True, "error": True, "warning": False}
    assert user["data_size"] == 42 and user["user_id"] == "1700000000000"


def test_user_from_api_leaves_out_what_the_answer_lacks():
    user = _ahsay.user_from_api({"LoginName": "bare", "Status": "SUSPENDED"})
    assert user == {"name": "bare", "status": "suspended", "owner": ""}
    assert _ahsay.user_from_api(None) is None


def test_enum_reading_is_case_insensitive_and_keeps_unknown_values():
    row = _ahsay.USER_FIELD["user_type"]
    assert row.read("Paid") == "paid"
    assert row.read("RESELLER_TRIAL") == "reseller_trial"


def test_email_falls_back_to_the_first_contact():
    data = get_user_data()
    del data["Email"]
    assert _ahsay.user_from_api(data)["email"] == "it@acme.example"


# -- suspend dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("given, canonical", [
    ("2030-06-30", "2030-06-30"),
    ("2030-06-30T00:00:00Z", "2030-06-30"),
    ("2030-06-30 12:30", "2030-06-30T12:30:00Z"),
    ("2030-06-30T12:30:15", "2030-06-30T12:30:15Z"),
    ("never", "never"),
    ("", "never"),
])
def test_suspend_dates(given, canonical):
    assert _ahsay.suspend_date(given) == canonical


def test_suspend_date_rejects_other_text():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        _ahsay.suspend_date("next tuesday")


def test_suspend_settings_use_unix_milliseconds():
    row = _ahsay.USER_FIELD["suspend_at"]
    # 2036-10-01T00:00:00Z, the same order of magnitude as the vendor's example 2106396800000
    assert _ahsay.to_api(row, "2036-10-01") == {"Enabled": True, "Date": 2106432000000}
    assert _ahsay.to_api(row, "never") == {"Enabled": False}
    assert row.read({"Enabled": True, "Date": 2106432000000}) == "2036-10-01"
    assert row.read({"Enabled": False, "Date": 2106432000000}) == "never"


# -- AddUser ---------------------------------------------------------------------------------


def test_add_user_payload_matches_the_vendor_example():
    desired = {"password": PASSWORD, "email": "obm2@example.com", "user_type": "paid", "status": "enabled",
               "client_type": "obm",
               "destination_quotas": [{"key": "-1686812937526", "enabled": True, "quota": "50 GB"}]}
    body, rest = _ahsay.add_user_payload(desired)
    assert rest == {}
    assert body == {"Password": PASSWORD, "Email": "obm2@example.com", "Type": "PAID", "Status": "ENABLE",
                    "ClientType": "OBM",
                    "QuotaList": [{"DestinationKey": "-1686812937526", "Enabled": True, "Quota": 53687091200}]}


def test_add_user_payload_spells_modules_and_quotas_the_adduser_way():
    desired = {"alias": "ACME", "modules": {"hyperv": True, "mssql": False, "mobile": True},
               "hyperv_quota": 4, "hyperv_quota_type": "socket", "quota_type": "total", "storage_quota": 75,
               "open_direct_quota": 2, "host_quota_enabled": True, "host_quota": 3, "auto_update_agent": True}
    body, rest = _ahsay.add_user_payload(desired)
    assert rest == {}
    assert body == {"DisplayName": "ACME", "EnableMsVm": True, "EnableMSSQL": False, "EnableMobileV2": True,
                    "MsVmQuota": 4, "MsVmQuotaType": "SOCKET", "QuotaType": "TOTAL_QUOTA", "StorageQuota": 75,
                    "OpenDirectQuota": "2", "HostQuotaEnabled": True, "HostQuota": 3, "EnableAUA": True}


def test_add_user_payload_leaves_what_adduser_lacks_for_updateuser():
    desired = {"notes": "n", "modules": {"delta_merge": True, "cdp": True}, "suspend_at": "2030-01-01",
               "windows_event_log": {"enabled": True}, "mfa": {"enabled": True},
               "contacts": [{"email": "a@example.com"}]}
    body, rest = _ahsay.add_user_payload(desired)
    assert body == {"Notes": "n", "EnableCDP": True}
    assert rest == {"modules": {"delta_merge": True}, "suspend_at": "2030-01-01", "windows_event_log": {"enabled": True},
                    "mfa": {"enabled": True}, "contacts": [{"email": "a@example.com"}]}
    update = _ahsay.update_user_payload(rest)
    assert update == {
        "ModuleSettings": {"DeltaMergeEnabled": True},
        "UserSuspendSettings": {"Enabled": True, "Date": 1893456000000},
        "WindowsEventLogSettings": {"Enabled": True},
        "SecuritySettings": {"Enabled": True},
        "AppendContact": "N", "Contact": [{"Email": "a@example.com"}],
    }


# -- UpdateUser ------------------------------------------------------------------------------


def test_update_payload_sends_only_module_flags_that_differ():
    current = _ahsay.user_from_api(get_user_data())
    change = {"modules": {"mssql": True, "hyperv": True, "vmware": True}, "hyperv_quota": 5, "status": "suspended"}
    assert _ahsay.update_user_payload(change, current) == {
        "ModuleSettings": {"MSHyperVBackupEnabled": True, "VMwareBackupEnabled": True, "MSHyperVVMQuota": 5},
        "Status": "SUSPENDED",
    }


def test_update_payload_sends_the_whole_event_log_object():
    current = _ahsay.user_from_api(get_user_data())
    body = _ahsay.update_user_payload({"windows_event_log": {"warning": True}}, current)
    assert body == {"WindowsEventLogSettings": {"Enabled": True, "LogError": True, "LogWarn": True}}


def test_update_payload_keeps_the_date_when_switching_suspension_off():
    current = {"suspend_at": "2030-01-01"}
    body = _ahsay.update_user_payload({"suspend_at": "never"}, current)
    assert body == {"UserSuspendSettings": {"Enabled": False, "Date": 1893456000000}}


def test_update_payload_password_and_phones():
    body = _ahsay.update_user_payload({"password": PASSWORD, "mfa": {"phones": [{"country_code": 1, "number": "555"}]}}, {})
    assert body == {"Password": PASSWORD, "SecuritySettings": {"PhoneList": [{"CountryCode": 1, "PhoneNumber": "555"}]}}


# -- destination quotas -------------------------------------------------------------------------


def merge_destinations(current, wanted):
    """What the spec sends for destination_quotas: the wanted items cleaned, merged into the current list."""
    option = _ahsay.BACKUP_USER["destination_quotas"]
    return option.merge(current, option.clean(wanted), {})


def same_destinations(current, result):
    return _ahsay.BACKUP_USER["destination_quotas"].compare.same(current, result)


def test_merge_destinations_keeps_unlisted_and_unset_values():
    current = _ahsay.user_from_api(get_user_data())["destination_quotas"]
    result = merge_destinations(current, [{"key": "-1532572601525", "enabled": True, "quota": "10 GB"},
                                          {"key": "OBS", "enabled": True}])
    assert [(d["key"], d["enabled"], d["quota"]) for d in result] == [
        ("OBS", True, 53687091200), ("-1532572601525", True, 10737418240)]
    assert not same_destinations(current, result)
    assert same_destinations(current, merge_destinations(current, [{"key": "OBS", "enabled": True,
                                                                                  "quota": "50 GB"}]))
    body = _ahsay.update_user_payload({"destination_quotas": result}, {})
    assert body == {"QuotaList": [{"DestinationKey": "OBS", "Enabled": True, "Quota": 53687091200},
                                  {"DestinationKey": "-1532572601525", "Enabled": True, "Quota": 10737418240}]}


def test_merge_destinations_appends_new_keys():
    result = merge_destinations([{"key": "OBS", "enabled": True, "quota": 1}], [{"key": "-1", "enabled": False}])
    assert result == [{"key": "OBS", "enabled": True, "quota": 1}, {"key": "-1", "enabled": False}]


@pytest.mark.parametrize("quota", ["-5", -5, "lots", "5 parsecs", "0.5"])
def test_destination_rejects_bad_quotas(quota):
    with pytest.raises(ValueError):
        _ahsay.to_api(_ahsay.USER_FIELD["destination_quotas"], [{"key": "OBS", "enabled": True, "quota": quota}])


# -- contacts -------------------------------------------------------------------------------------


def merge_contacts(current, wanted, purge):
    option = _ahsay.BACKUP_USER["contacts"]
    return option.merge(current, option.clean(wanted), {"purge_contacts": purge})


def same_contacts(current, result):
    return _ahsay.BACKUP_USER["contacts"].compare.same(current, result)


def current_contacts():
    return _ahsay.user_from_api(get_user_data())["contacts"]


def test_contacts_in_another_order_are_the_same():
    wanted = [{"email": "JANE@acme.example", "name": "Jane", "phone1": "123"}, {"email": "it@acme.example"}]
    result = merge_contacts(current_contacts(), wanted, purge=True)
    assert same_contacts(current_contacts(), result)


def test_contacts_purge_replaces_the_list_keeping_unset_fields():
    wanted = [{"email": "it@acme.example", "phone1": "999"}]
    result = merge_contacts(current_contacts(), wanted, purge=True)
    assert result == [{"name": "IT", "email": "it@acme.example", "company": "ACME", "address": "", "website": "",
                       "phone1": "999", "phone2": ""}]
    body = _ahsay.update_user_payload({"contacts": result}, {"contacts": current_contacts()})
    assert body["AppendContact"] == "N"
    assert body["Contact"] == [{"Name": "IT", "Email": "it@acme.example", "Company": "ACME", "Address": "",
                                "Website": "", "Phone1": "999", "Phone2": ""}]


def test_contacts_without_purge_appends_only_the_missing_ones():
    wanted = [{"email": "jane@acme.example"}, {"email": "new@acme.example", "name": "New"}]
    result = merge_contacts(current_contacts(), wanted, purge=False)
    assert [c["email"] for c in result] == ["it@acme.example", "jane@acme.example", "new@acme.example"]
    body = _ahsay.update_user_payload({"contacts": result}, {"contacts": current_contacts()})
    assert body == {"AppendContact": "Y", "Contact": [{"Name": "New", "Email": "new@acme.example"}]}


def test_contacts_without_purge_that_change_a_contact_send_the_whole_list():
    wanted = [{"email": "jane@acme.example", "phone2": "456"}]
    result = merge_contacts(current_contacts(), wanted, purge=False)
    assert not same_contacts(current_contacts(), result)
    body = _ahsay.update_user_payload({"contacts": result}, {"contacts": current_contacts()})
    assert body["AppendContact"] == "N" and len(body["Contact"]) == 2


def test_empty_contact_list_with_purge_removes_all():
    result = merge_contacts(current_contacts(), [], purge=True)
    assert result == []
    assert _ahsay.update_user_payload({"contacts": result}, {"contacts": current_contacts()}) == {
        "AppendContact": "N", "Contact": []}


# -- ListUsers ------------------------------------------------------------------------------------


class ListUsersApi(object):
    """Records the ListUsers filters (the facade leaves out those that are None) and answers ``users``."""

    def __init__(self, users=()):
        self.users, self.filters = list(users), None

    def list_users(self, **filters):
        self.filters = dict((key, value) for key, value in filters.items() if value is not None)
        return self.users


def list_users_filters(**options):
    api = ListUsersApi()
    _ahsay.BackupUsers(api).list(**options)
    return api.filters


def test_list_users_filters():
    assert list_users_filters(search="acme", owner="reseller1", client_type="acb", user_group_id="1447039919940",
                              policy_group_id=None, registered_within_days=7) == {
        "searchStr": "acme", "reseller": "reseller1", "ClientType": "ACB", "UserGroupID": "1447039919940", "Date": "7"}
    assert list_users_filters() == {}


def test_list_users_reads_entries_and_skips_those_without_a_name():
    api = ListUsersApi([get_user_data(), {"Status": "ENABLE"}, "not an object"])
    assert [user["name"] for user in _ahsay.BackupUsers(api).list()] == ["acme"]


def test_an_option_without_api_spelling_is_refused_when_the_spec_is_built():
    options = dict(notes=_ahsay.Option(wire=_ahsay._api("Notes")), department=_ahsay.Option())
    with pytest.raises(ValueError, match="option department has no API spelling"):
        _ahsay.Spec("backup user", "AhsayCBS", **options)
    modules = _ahsay.Option("dict", options=dict(cdp=_ahsay.Option("bool", wire=_ahsay._api("EnableCDP")), ai=_ahsay.Option("bool")))
    with pytest.raises(ValueError, match=r"option modules\.ai has no API spelling"):
        _ahsay.Spec("backup user", "AhsayCBS", modules=modules)
    contacts = _ahsay.Option("list", elements="dict", wire=_ahsay._api(None, "Contact"), options=dict(fax=_ahsay.Option()))
    with pytest.raises(ValueError, match=r"option contacts\.fax has no API spelling"):
        _ahsay.Spec("backup user", "AhsayCBS", contacts=contacts)


def test_every_managed_option_has_a_wire_row():
    managed = set(_ahsay.BACKUP_USER.managed) - set(_ahsay.USER_DICT_OPTIONS)
    assert managed <= set(row.option for row in _ahsay.USER_FIELDS)
