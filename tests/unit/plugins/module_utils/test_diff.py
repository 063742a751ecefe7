# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure comparison layer."""

import pytest

from ansible_collections.msp.accounts.plugins.module_utils import _diff, _spec


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("yes", True), ("No", False), ("TRUE", True), ("0", False), (1, True), (None, None), ("Y", True),
])
def test_to_bool(value, expected):
    assert _diff.to_bool(value) is expected


def test_to_bool_rejects_nonsense():
    with pytest.raises(ValueError):
        _diff.to_bool("maybe")


@pytest.mark.parametrize("value, expected", [
    (0, 0), (53687091200, 53687091200), ("50 GB", 53687091200), ("50GB", 53687091200), ("50 GiB", 53687091200),
    ("1.5 KB", 1536), ("2 tb", 2 * 1024 ** 4), ("123", 123), (None, None), ("50 MB", 52428800),
])
def test_to_bytes(value, expected):
    assert _diff.to_bytes(value) == expected


@pytest.mark.parametrize("value", [-1, "-5 GB", "ten", "5 XB", "0.3 B", True])
def test_to_bytes_rejects(value):
    with pytest.raises(ValueError):
        _diff.to_bytes(value)


def test_fold_and_ids():
    assert _diff.fold("Disabled") == _diff.fold("disabled")
    assert _diff.fold(3) == 3
    assert _diff.normalise_id(1) == _diff.normalise_id("1") == "1"
    assert _diff.normalise_id(None) is None


def test_changes_compares_only_what_the_user_set():
    spec = _spec.Spec("user", "Demo", wired=False, name=_spec.Option(key=True), status=_spec.Option(choices=["enabled", "disabled"]),
                      email=_spec.Option(), title=_spec.Option())
    current = {"status": "Enabled", "email": "a@example.com", "title": "Mr"}
    desired = spec.desired({"status": "enabled", "email": "b@example.com", "title": None}, current)
    assert desired == {"status": "enabled", "email": "b@example.com"}
    assert spec.changes(current, desired, {}, None) == {"email": "b@example.com"}
    assert spec.changes({}, {"email": "x"}, {}, None) == {"email": "x"}


def test_fields():
    assert _diff.BOOL.same("true", True)
    assert _diff.set_of(_diff.normalise_id).same([1, "2"], ["2", "1"])
    assert not _diff.SECRET.same("x", "x")
    emails = _diff.set_of(str.lower)
    assert emails.same(["A@x", "b@x"], ["b@x", "a@x"])
    assert not emails.same(["a@x"], ["a@x", "b@x"])


def test_same_set():
    a = [{"name": "n1", "email": "e1"}, {"name": "n2", "email": "e2"}]
    assert _diff.same_set(a, list(reversed(a)))
    assert not _diff.same_set(a, a[:1])
    assert _diff.same_set(None, [])


def test_diff_view_hides_secrets():
    before = {"email": "a", "status": "enabled", "unmanaged": 1}
    after = {"email": "b", "status": "enabled", "password": "Diff-Secret-3b7c9e1f2a!"}
    view = _diff.diff_view(before, after, ["email", "status", "password"], changed={"email", "password"}, secret_keys=("password",))
    assert view == {
        "before": {"email": "a", "status": "enabled", "password": _diff.HIDDEN},
        "after": {"email": "b", "status": "enabled", "password": _diff.CHANGED},
    }
    unchanged = _diff.diff_view({"password": "x"}, {"password": "x"}, ["password"], changed=(), secret_keys=("password",))
    assert unchanged == {"before": {"password": _diff.HIDDEN}, "after": {"password": _diff.HIDDEN}}
    created = _diff.diff_view(None, {"email": "b"}, ["email"])
    assert created == {"before": {}, "after": {"email": "b"}}


def test_merge_is_deep_and_pure():
    current = {"profile": {"email": "a", "phone": "1"}, "status": "Enabled"}
    merged = _diff.merge(current, {"profile": {"email": "b"}, "status": "Disabled"})
    assert merged == {"profile": {"email": "b", "phone": "1"}, "status": "Disabled"}
    assert current["profile"]["email"] == "a"


def test_json_patch_nested_changes():
    current = {"status": "Enabled", "profile": {"email": "a@example.com", "firstName": "Ann", "phone": None}, "tags": [1]}
    change = {"status": "Disabled", "profile": {"email": "b@example.com", "phone": "+1 555", "title": "Ms"}, "tags": [1, 2]}
    ops = _diff.json_patch(current, change)
    assert ops == [
        {"op": "replace", "path": "/status", "value": "Disabled"},
        {"op": "replace", "path": "/profile/email", "value": "b@example.com"},
        {"op": "add", "path": "/profile/phone", "value": "+1 555"},
        {"op": "add", "path": "/profile/title", "value": "Ms"},
        {"op": "replace", "path": "/tags", "value": [1, 2]},
    ]


def test_json_patch_skips_equal_values_and_escapes():
    assert _diff.json_patch({"a": 1}, {"a": 1}) == []
    assert _diff.json_patch({}, {"a/b": {"c~d": 1}}) == [{"op": "add", "path": "/a~1b", "value": {"c~d": 1}}]
    assert _diff.json_patch(None, {"x": {"y": 2}}) == [{"op": "add", "path": "/x", "value": {"y": 2}}]


def test_diff_view_shows_only_the_named_entries_of_dict_options():
    before = {"preferences": {"PageSize": "100", "DefaultDisplayID": "1"}, "email": "a"}
    after = {"preferences": {"PageSize": "50", "DefaultDisplayID": "1"}, "email": "a"}
    view = _diff.diff_view(before, after, ["preferences", "email"], managed={"preferences": {"PageSize": "50"}, "email": "a"})
    assert view == {"before": {"preferences": {"PageSize": "100"}, "email": "a"},
                    "after": {"preferences": {"PageSize": "50"}, "email": "a"}}
    # Without what the user asked for (state=absent), nothing is cut.
    assert _diff.diff_view(before, None, ["preferences"])["before"] == {"preferences": before["preferences"]}


def test_digest_compares_a_reported_digest():
    assert _diff.DIGEST.same("abc=", "abc=")
    assert not _diff.DIGEST.same("abc=", "abd=")
    assert not _diff.DIGEST.same(None, "abc=")  # nothing reported: a change
    assert not _diff.DIGEST.same("", "")
    assert not _diff.DIGEST.same("abc=", None)
