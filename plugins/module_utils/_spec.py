# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One declarative spec per account type (private: not a public API). Pure: no I/O.

An :class:`Option` holds every fact about one option: its Ansible type, choices (a dict
maps the friendly value to the API's spelling), its API spelling (``wire``, read by the
platform's adapter), how it is compared, and flags. A :class:`Spec` derives from them the
argument spec of the single module, the element spec of the bulk module, the desired
object, the change set and the diff, so that an option is declared in one place.
"""

from ansible_collections.msp.accounts.plugins.module_utils import _diff
from ansible_collections.msp.accounts.plugins.module_utils._http import InputError

_TEXT = _diff.Field(normalise=lambda value: "" if value is None else str(value))
_NUMBER = _diff.Field(normalise=lambda value: None if value is None else int(value))


class Option(object):
    """Every fact about one option of an account type.

    ``control`` options steer the module (``state``, ``update_password``) and are never
    compared; ``key`` options select the account and must not be empty; ``secret`` values
    are compared as always different and never shown; ``create_only`` values are sent only
    by the creating call; ``unreadable`` ones cannot be read back, so they are not compared.
    ``merge(current, desired, params)`` gives the whole value to send for a list option.
    ``view`` maps a value as the diff shows it (both sides); a ``shown`` key is part of the desired
    object and the diff, but never compared (it names the account found).
    """

    def __init__(self, type="str", choices=None, default=None, aliases=None, required=False, no_log=None,
                 elements=None, options=None, wire=None, compare=None, normalise=None, merge=None,
                 key=False, control=False, secret=False, create_only=False, unreadable=False,
                 minimum=None, nonempty=False, unique=None, allowed=None, view=None, shown=False):
        self.type, self.default, self.aliases, self.required = type, default, aliases, required
        self.values = choices if isinstance(choices, dict) else None
        self.choices = sorted(choices) if choices else None
        self.no_log = True if secret else no_log
        self.elements, self.options, self.wire = elements, options, wire
        self.normalise, self.merge = normalise, merge
        self.key, self.control, self.secret = key, control, secret
        self.create_only, self.unreadable = create_only, unreadable
        self.minimum, self.nonempty, self.unique = minimum, nonempty or key, unique
        self.view, self.shown = view, shown
        self.allowed = allowed  # what a value must be, for the message when normalise refuses one
        self.compare = compare or self._comparer()

    def _comparer(self):
        if self.secret:
            return _diff.SECRET
        if self.type == "dict" and self.options:
            options = self.options
            return _diff.Field(equal=lambda current, desired: all(
                options[k].compare.same((current or {}).get(k), v) for k, v in desired.items()))
        if self.type == "list":
            return _diff.set_of()
        if self.choices:
            return _diff.ENUM
        return {"str": _TEXT, "int": _NUMBER, "bool": _diff.BOOL}.get(self.type, _diff.PLAIN)

    def argument(self):
        """The Ansible argument spec entry (the facts that are set)."""
        options = dict((name, option.argument()) for name, option in self.options.items()) if self.options else None
        spec = dict(type=self.type, choices=self.choices, aliases=self.aliases, elements=self.elements, no_log=self.no_log,
                    required=self.required or None, default=self.default, options=options)
        return dict((key, value) for key, value in spec.items() if value is not None)

    def clean(self, value):
        """The desired form of a given value: unset sub-options dropped, then ``normalise``."""
        if self.options and self.type == "dict":
            value = dict((k, self.options[k].clean(v)) for k, v in value.items() if v is not None) or None
        elif self.options and self.type == "list":
            value = [dict((k, self.options[k].clean(v)) for k, v in item.items() if v is not None) for item in value]
        if value is not None and self.normalise:
            value = self.normalise(value)
        return value

    def problems(self, name, value):
        """What is wrong with a given value that can be judged locally (messages name the option)."""
        if value is None:
            return []
        if self.nonempty and isinstance(value, str) and not value.strip():
            return ["%s must not be empty or only white space." % name]
        if self.secret and value == "":
            return ["%s must not be empty." % name]
        if self.minimum is not None and value < self.minimum:
            return ["%s must be %d or more, got %d." % (name, self.minimum, value)]
        found = []
        if self.options and self.type == "list":
            seen = set()
            for index, item in enumerate(value):
                for sub, option in self.options.items():
                    found += option.problems("%s[%d].%s" % (name, index, sub), item.get(sub))
                mark = _diff.fold(item.get(self.unique)) if self.unique else None
                if mark is not None and mark in seen:
                    found.append("%s: each %s may appear once; %s is listed more than once." % (name, self.unique, item[self.unique]))
                seen.add(mark)
        elif self.options and self.type == "dict":
            for sub, option in self.options.items():
                found += option.problems("%s.%s" % (name, sub), value.get(sub))
        if not found and self.normalise:
            try:
                self.clean(value)
            except ValueError as err:
                found.append("%s must be %s: %s." % (name, self.allowed, err) if self.allowed else "%s: %s." % (name, err))
        return found


def get_path(data, path):
    """The value at a wire spelling of an API object (a dot: nested, ``profile.email``); ``None`` where there is none."""
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def set_path(data, path, value):
    """Set the value at a wire spelling, creating the nested objects on the way."""
    *outer, last = path.split(".")
    for part in outer:
        data = data.setdefault(part, {})
    data[last] = value


def _wired(options, prefix=""):
    """The options that travel, by dotted name (a dict option without a spelling of its own: its sub-options).

    An option without an API spelling that is neither a key nor a control option raises ``ValueError``:
    an adapter would silently leave it unmanaged.
    """
    found = {}
    for name, option in options.items():
        if option.wire is not None:
            found[prefix + name] = option
            _wired(option.options or {}, prefix + name + ".")  # its entries travel inside it, each by its own spelling
        elif option.type == "dict" and option.options:
            found.update(_wired(option.options, prefix + name + "."))
        elif not (option.key or option.control):
            raise ValueError("option %s%s has no API spelling (wire)" % (prefix, name))
    return found


class Spec(object):
    """The options of one account type.

    ``noun`` names the account in messages (``backup user``), ``platform`` the product;
    ``rules`` are AnsibleModule's ``required_one_of``, ``mutually_exclusive``, ... for the options.
    ``wires`` maps every option that travels to the API (dotted for a dict's entries) to its
    :class:`Option`; only a spec whose values never travel (a test's) is built with ``wired=False``.
    """

    def __init__(self, noun, platform, case_sensitive=False, rules=None, places=(), wired=True, **options):
        self.noun, self.platform, self.options, self.rules = noun, platform, options, rules or {}
        self.places = places  # options that tell apart accounts of one name (VSPC: the organization)
        self.case_sensitive = case_sensitive  # whether the platform tells names apart by case
        self.secret_keys = tuple(name for name, option in options.items() if option.secret)
        self.keys = tuple(name for name, option in options.items() if option.key)
        self.managed = dict((name, option) for name, option in options.items() if not (option.key or option.control))
        self.shown = tuple(name for name in self.keys if options[name].shown)
        self.wires = _wired(options) if wired else {}

    def name_key(self, name):
        """A name as the platform compares names (after the name option's own normalising, e.g. stripped)."""
        normalise = self.options["name"].normalise
        name = normalise(name) if normalise and name is not None else name
        return name if self.case_sensitive else _diff.fold(name)

    def identity(self, params):
        """What tells one account from every other: its name, and where the platform allows a name twice, its place."""
        return (self.name_key(params["name"]),) + tuple(_diff.fold(params.get(key)) for key in self.places)

    def __getitem__(self, name):
        return self.options[name]

    def argument_spec(self):
        return dict((name, option.argument()) for name, option in self.options.items())

    def element_spec(self):
        """The options of one element of a bulk module's ``users`` list: the single module's (a fresh copy)."""
        return self.argument_spec()

    def validate(self, params):
        """Raise :class:`InputError` for the first local problem of ``params``."""
        for name, option in self.options.items():
            found = option.problems(name, params.get(name))
            if found:
                raise InputError(found[0])

    def desired(self, params, current):
        """The managed options the caller set, in their desired form.

        A secret is part of it on creation, or on update with ``update_password: always``.
        """
        wanted = dict((name, params[name]) for name in self.shown if params.get(name) is not None)
        for name, option in self.managed.items():
            value = params.get(name)
            if value is None:
                continue
            if option.secret and current is not None and params.get("update_password", "always") != "always":
                continue
            value = option.clean(value)
            if value is not None:
                wanted[name] = value
        return wanted

    def changes(self, current, desired, params, warn):
        """What differs, as the values to send: a dict option keeps its changed entries only,
        a list option with ``merge`` the whole resulting list. ``warn`` receives the reasons
        why a create-only or unreadable option is left alone."""
        change = {}
        for name, value in desired.items():
            option, known = self.options[name], current.get(name)
            if option.key:
                continue
            if option.unreadable:
                warn("%s is set when a %s is created; %s does not report it for an existing %s, so the module cannot "
                     "compare it and leaves it unchanged on %r." % (name, self.noun, self.platform, self.noun, params.get("name")))
                continue
            if option.create_only:
                if known not in (None, "") and not option.compare.same(known, value):
                    warn("%s is only used when a %s is created; %r keeps %s=%r." % (name, self.noun, params.get("name"), name, known))
                continue
            if option.merge:
                value = option.merge(known, value, params)
            if option.type == "dict" and option.options:
                subs = option.options  # a create-only entry is left alone once the account exists
                value = dict((k, v) for k, v in value.items()
                             if not (subs[k].create_only or subs[k].compare.same((known or {}).get(k), v)))
                if value:
                    change[name] = value
            elif not option.compare.same(known, value):
                change[name] = value
        return change

    def diff(self, before, after, change, desired):
        keys = [key for key in (desired if desired is not None else before or {}) if key in self.managed or key in self.shown]
        view = _diff.diff_view(before, after, keys, change, self.secret_keys, managed=desired)
        for side in view.values():
            for key in side:
                if self.options[key].view:
                    side[key] = self.options[key].view(side[key])
        return view

    def public(self, obj):
        """An object as returned to the user: secrets removed."""
        return dict((k, v) for k, v in (obj or {}).items() if k not in self.secret_keys)


class Adapter(object):
    """The wire side of one account type; each facade subclasses it per account type.

    ``spec`` declares the options. ``find``/``create``/``update``/``delete`` take the
    module's (or a bulk element's) ``params`` and friendly objects; no module builds a
    request body. ``create``/``update`` may return the resulting object, otherwise it is
    predicted from what was sent, so no read-back request is needed.
    """

    spec = None
    api_class = None  # the platform facade whose instance ``api`` is

    def __init__(self, api):
        self.api = api

    def validate(self, params):
        """Cross-option rules of the platform (raise :class:`InputError`); judged before any request."""

    def desired(self, params, current):
        """The desired object (:meth:`Spec.desired`); an adapter may resolve names to IDs here."""
        return self.spec.desired(params, current)

    def check_creation(self, params, desired):
        """What the creating call needs; judged before the write and in check mode alike."""

    def changes(self, params, current, desired, warn):
        return self.spec.changes(current, desired, params, warn)

    def find(self, params):
        raise NotImplementedError

    def list(self, **scope):
        """Every account within ``scope`` (the platform's list filters), in friendly form."""
        raise NotImplementedError

    def complete(self, params, listed):
        """The current object of one bulk element from the list entries with its name (``None``: absent).

        An adapter whose platform allows one name in several places picks the element's own here; one
        whose list answer lacks managed fields reads the account here."""
        if len(listed) > 1:
            raise InputError("%d %ss are called %r; name each of them uniquely." % (len(listed), self.spec.noun, params["name"]))
        return listed[0] if listed else None

    def complete_reads(self, params):
        """Whether :meth:`complete` sends a request for this element: only those run in parallel."""
        return False

    def create(self, params, desired):
        raise NotImplementedError

    def update(self, params, current, change):
        raise NotImplementedError

    def delete(self, params, current):
        raise NotImplementedError

    def public(self, params, obj):
        return self.spec.public(obj)
