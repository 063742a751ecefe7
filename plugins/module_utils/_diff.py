# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure comparison helpers (private: not a public API). No I/O happens here.

Each option of an account spec (``_spec``) is compared by a :class:`Field` (how to
normalise and compare it); keyed lists are merged and compared here; :func:`diff_view` /
:func:`json_patch` turn a change into Ansible's ``diff`` and an RFC 6902 patch.
"""

import hmac
import re

HIDDEN = "<hidden>"
CHANGED = "<changed>"

_TRUE = frozenset(("true", "yes", "y", "on", "1", "enable", "enabled"))
_FALSE = frozenset(("false", "no", "n", "off", "0", "disable", "disabled", ""))

# Size units (lower case), powers of 1024: b, then k, kb, kib ... p, pb, pib.
_UNITS = dict((prefix + suffix, 1024 ** power) for power, prefix in enumerate("kmgtp", 1) for suffix in ("", "b", "ib"))
_UNITS.update({"": 1, "b": 1})
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$")


def to_bool(value):
    """A bool from a bool, number or the usual strings; ``None`` stays ``None``."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("%r is not a boolean" % (value,))


def to_bytes(value):
    """Bytes from an integer or a size such as ``50 GB`` (units are powers of 1024).

    Raises ``ValueError`` for negative, fractional-byte or unreadable values.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("%r is not a size" % (value,))
    if isinstance(value, int):
        number, unit = value, ""
    else:
        match = _SIZE.match(str(value))
        if not match:
            raise ValueError("%r is not a size; use bytes or a number with KB, MB, GB, TB or PB" % (value,))
        number, unit = float(match.group(1)), match.group(2).lower()
        if unit not in _UNITS:
            raise ValueError("%r has an unknown unit %r; use KB, MB, GB, TB or PB" % (value, match.group(2)))
    if number < 0:
        raise ValueError("%r is negative" % (value,))
    size = number * _UNITS[unit]
    if size != int(size):
        raise ValueError("%r is not a whole number of bytes" % (value,))
    return int(size)


def fold(value):
    """Case-insensitive form of an enum value (``None`` stays ``None``)."""
    return value.casefold() if isinstance(value, str) else value


def normalise_id(value):
    """IDs arrive as ``"1"`` in some answers and ``1`` in others: compare them as text."""
    return value if value is None or isinstance(value, bool) else str(value).strip()


def _freeze(value):
    """A hashable, order-free form of a JSON value, for set comparison."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def same_set(current, desired):
    """Two lists with the same items, in any order."""
    return sorted(map(_freeze, current or []), key=repr) == sorted(map(_freeze, desired or []), key=repr)


class Field(object):
    """How one managed field is compared: ``same(current, desired)``.

    ``normalise`` maps a value to its comparable form (applied to both sides);
    ``equal(current, desired)`` replaces the comparison (e.g. a password hash check).
    """

    def __init__(self, normalise=None, equal=None):
        normalise = normalise or (lambda value: value)
        self.same = equal or (lambda current, desired: normalise(current) == normalise(desired))


PLAIN = Field()
ENUM = Field(normalise=fold)
BOOL = Field(normalise=to_bool)
FLAG = Field(normalise=lambda value: bool(to_bool(value)))  # a flag the server does not report counts as off
# A write-only value the API never returns (a password): when given, it is a change.
SECRET = Field(equal=lambda current, desired: False)


def same_digest(current, desired):
    """A digest the server reports against the desired one, in constant time; none reported is a change."""
    if not current or desired is None:
        return False
    return hmac.compare_digest(str(current).encode("utf-8"), str(desired).encode("utf-8"))


# A secret the server reports as a digest (the desired value is turned into the same form first).
DIGEST = Field(equal=same_digest)


def enum_or(**also):
    """An enum compared case-insensitively, where a wanted value is also met by the current
    values ``also`` lists for it: ``enum_or(enabled=("enabled_by_inheritance",))``."""
    return Field(equal=lambda current, desired: fold(current) in (fold(desired),) + tuple(also.get(fold(desired), ())))


def set_of(normalise=None):
    """A list compared without regard to order (each item normalised first)."""
    normalise = normalise or (lambda value: value)
    return Field(equal=lambda current, desired: same_set(
        [normalise(v) for v in current or []], [normalise(v) for v in desired or []]))


def diff_view(before, after, keys, changed=(), secret_keys=(), managed=None):
    """Ansible's ``{'before': ..., 'after': ...}`` restricted to ``keys``.

    ``before``/``after`` may be ``None`` (object absent). A secret field never shows its
    value: ``<changed>`` on the after side when it is in ``changed``, else ``<hidden>``.
    A dict value whose key is a dict in ``managed`` (what the user asked for) shows only
    the entries the user named, so unmanaged entries stay out of the diff.
    """
    def view(obj, side):
        if obj is None:
            return {}
        shown = {}
        for key in keys:
            if key in secret_keys:
                if key in changed:
                    shown[key] = CHANGED if side == "after" else HIDDEN
                elif key in obj:
                    shown[key] = HIDDEN
            elif key in obj:
                value = obj[key]
                named = (managed or {}).get(key)
                if isinstance(value, dict) and isinstance(named, dict):
                    value = dict((k, v) for k, v in value.items() if k in named)
                shown[key] = value
        return shown

    return {"before": view(before, "before"), "after": view(after, "after")}


def merge(current, change):
    """``current`` with the (possibly nested) ``change`` applied; neither is modified."""
    result = dict(current or {})
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def _pointer(parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def json_patch(current, change, prefix=()):
    """RFC 6902 operations that turn ``current`` into ``merge(current, change)``.

    Nested dicts are walked so that only changed leaves are written: ``replace`` where
    the path exists in ``current``, ``add`` where it does not. Lists are replaced whole.
    """
    current = current or {}
    operations = []
    for key, value in change.items():
        path = tuple(prefix) + (key,)
        exists = isinstance(current, dict) and key in current and current[key] is not None
        if isinstance(value, dict) and exists and isinstance(current[key], dict):
            operations.extend(json_patch(current[key], value, path))
        elif not exists or current[key] != value:
            operations.append({"op": "replace" if exists else "add", "path": _pointer(path), "value": value})
    return operations


def _mark(item, key, casefold):
    value = item.get(key)
    value = "" if value is None else str(value)
    return value.casefold() if casefold else value


def merge_by_key(current, desired, key, purge=False, casefold=False):
    """The list that results from applying ``desired`` items to ``current``, matched on ``key``.

    Fields an item leaves out keep the current item's value. With ``purge`` the result is
    exactly the desired items; without it, current items stay in place (updated when
    desired) and new ones are appended.
    """
    def mark(item):
        return _mark(item, key, casefold)
    by_key = dict((mark(item), item) for item in current or [])
    wanted = [dict(by_key.get(mark(item), {}), **item) for item in desired or []]
    if purge:
        return wanted
    wanted_by = dict((mark(item), item) for item in wanted)
    result = [wanted_by.pop(mark(item), item) for item in current or []]
    return result + [item for item in wanted if mark(item) in wanted_by]


def same_items(fields, casefold=()):
    """A :class:`Field` for lists of dicts compared on ``fields``, in any order (a missing field equals ``""``)."""
    def frozen(item):
        return tuple(_mark(item, field, True) if field in casefold else repr("" if item.get(field) is None else item[field])
                     for field in fields)
    return set_of(frozen)


def same_entries(normalise=None):
    """A :class:`Field` for a dict compared only on the entries given: each exists with the
    desired value (``normalise`` applied to the desired side)."""
    normalise = normalise or (lambda value: value)
    return Field(equal=lambda current, desired: all(
        name in (current or {}) and current[name] == normalise(value) for name, value in (desired or {}).items()))
