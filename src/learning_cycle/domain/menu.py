"""The menu of learning: which kinds of activity and review methods a board may commission.

The core ships no menu of its own. The application is given a :class:`Menu`, which the
plugin layer fills from installed plugins (review methods are plugin contributions).
The domain only asks the questions the rules need.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from .errors import InvalidValue, UnknownMethod
from .timescales import Timescale


def _keys(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _keys_or_free(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def _timescales(value: Iterable[Timescale]) -> tuple[Timescale, ...]:
    return tuple(value)


def _tags_or_free(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


#: The steps of a decision path, in the order they are taken (framework Appendix One: WHO decides).
STEPS = ("recommends", "decides", "oversees", "reported_to")

#: The roles a step may be taken by: the board, its independent chair, one of its sub-groups
#: (``subgroup:KEY``), one of its agencies (``agency:KEY``), a panel (``panel:KEY``, such as the
#: child death overview panel) or an external body (``external:KEY``, such as the Youth Justice Board).
ROLE_KINDS = ("board", "independent-chair", "subgroup", "agency", "panel", "external")


def role_fits(declared: str, role: str) -> bool:
    """Whether ``role`` (as recorded: ``subgroup:scr``) is one the path's ``declared`` role allows
    (``subgroup`` allows any sub-group of the board; ``panel:cdop`` only that panel)."""
    return role == declared or (":" not in declared and role.startswith(declared + ":"))


@attrs.frozen
class DecisionPath:
    """Who recommends, who decides, who oversees and who is reported to, for a review method
    (framework Appendix One); each a role (see :data:`ROLE_KINDS`), or ``None`` where the method
    has no such step. Who decides is always named."""

    decides: str
    recommends: str | None = None
    oversees: str | None = None
    reported_to: str | None = None

    def role(self, step: str) -> str | None:
        value: str | None = getattr(self, step)
        return value

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps the path has, in order."""
        return tuple(s for s in STEPS if self.role(s) is not None)

    def words(self) -> str:
        """The path in words: ``recommends: subgroup; decides: independent-chair``."""
        return "; ".join(f"{s.replace('_', ' ')}: {self.role(s)}" for s in self.steps)


@attrs.frozen
class MethodRule:
    """What the rules need to know of a review method.

    :param key: the stable key stored in events.
    :param kinds: the kinds of learning activity the method serves.
    :param min_agencies: how many agencies must be involved, at least.
    :param finding_tags: the underlying-pattern tags its findings may carry;
        ``None`` means free tags.
    """

    key: str
    kinds: frozenset[str] = attrs.field(converter=_keys)
    min_agencies: int = 1
    finding_tags: frozenset[str] | None = attrs.field(default=None, converter=_keys_or_free)
    timescales: tuple[Timescale, ...] = attrs.field(default=(), converter=_timescales)
    publishes: frozenset[str] = attrs.field(default=frozenset(), converter=_keys)
    """The kinds of activity whose final report, by this method, is published unless the board
    decides otherwise (framework §3.5)."""
    path: DecisionPath | None = None
    """Who recommends, decides, oversees and is reported to (``None``: the method declares no path)."""


def _steps(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class ReviewMethod:
    """A review method on the menu of learning, as a plugin describes it (framework Appendix One).

    :param key: stable key stored in events (lower case, digits, ``-``, ``_``, ``.``).
    :param title: the name a board uses.
    :param what: what kind of learning it is.
    :param why: why a board uses it.
    :param who_decides: who decides to use it.
    :param steps: how it is done, in order.
    :param kinds: the kinds of learning activity it serves.
    :param min_agencies: how many agencies must be involved, at least.
    :param proportionality: when it fits the scale and complexity of the issue.
    :param timescales: expected timescales, if any.
    :param finding_taxonomy: the underlying-pattern tags its findings may carry; ``None`` for free tags.
    :param publishes: the kinds (of ``kinds``) whose final report, by this method, is published
        unless the board decides otherwise (framework §3.5). Until the board records a decision to
        publish, the material of such an activity (titles, findings, actions, notes) is restricted
        in every output (docs/reports.md).
    :param path: the decision path (who recommends, decides, oversees, is reported to), checked
        when commissioning records its steps; ``None`` if the method declares none.
    """

    key: str
    title: str
    what: str
    why: str
    who_decides: str
    steps: tuple[str, ...] = attrs.field(converter=_steps)
    kinds: tuple[str, ...] = attrs.field(converter=_steps)
    min_agencies: int = 1
    proportionality: str = ""
    timescales: tuple[Timescale, ...] = attrs.field(default=(), converter=_timescales)
    finding_taxonomy: tuple[str, ...] | None = attrs.field(default=None, converter=_tags_or_free)
    publishes: tuple[str, ...] = attrs.field(default=(), converter=_steps)
    path: DecisionPath | None = None

    @property
    def rule(self) -> MethodRule:
        return MethodRule(
            self.key,
            frozenset(self.kinds),
            self.min_agencies,
            self.finding_taxonomy,
            tuple(self.timescales),
            frozenset(self.publishes),
            self.path,
        )


@attrs.frozen
class Menu:
    """The kinds of activity and the methods that serve them."""

    kinds: frozenset[str] = attrs.field(converter=_keys, factory=frozenset)
    methods: Mapping[str, MethodRule] = attrs.field(factory=dict)

    @classmethod
    def of(cls, methods: Iterable[MethodRule], kinds: Iterable[str] = ()) -> Menu:
        methods = tuple(methods)
        all_kinds = set(kinds)
        for method in methods:
            all_kinds |= method.kinds
        return cls(kinds=frozenset(all_kinds), methods={m.key: m for m in methods})

    def check_commission(self, kind: str, method: str, agencies: tuple[str, ...]) -> MethodRule:
        """The rules for commissioning an activity of ``kind`` by ``method``."""
        if kind not in self.kinds:
            known = ", ".join(sorted(self.kinds)) or "none: is a review-methods plugin installed?"
            raise UnknownMethod("kind", kind, f"not a kind of learning activity on the menu (known: {known})")
        rule = self.methods.get(method)
        if rule is None:
            serving = sorted(m.key for m in self.methods.values() if kind in m.kinds)
            raise UnknownMethod(
                "method", method, f"not a review method on the menu (for {kind}: {', '.join(serving) or 'none'})"
            )
        if kind not in rule.kinds:
            raise UnknownMethod("method", method, f"does not serve activities of kind {kind!r}")
        if len(agencies) < rule.min_agencies:
            raise InvalidValue(
                "agencies", list(agencies), f"the {method} method needs at least {rule.min_agencies} agencies"
            )
        return rule

    def timescales(self, method: str) -> tuple[Timescale, ...] | None:
        """The method's timescales; ``None`` if the method is not on the menu (its plugin is gone)."""
        rule = self.methods.get(method)
        return None if rule is None else rule.timescales

    def publishes(self, kind: str, method: str) -> bool:
        """Whether the final report of an activity of ``kind`` by ``method`` is to be published;
        ``True`` if the method is not on the menu (its plugin is gone): its material is then
        restricted rather than risked."""
        rule = self.methods.get(method)
        return True if rule is None else kind in rule.publishes

    def check_finding_tags(self, method: str, tags: tuple[str, ...]) -> None:
        rule = self.methods.get(method)
        if rule is None or rule.finding_tags is None:
            return
        for tag in tags:
            if tag not in rule.finding_tags:
                allowed = ", ".join(sorted(rule.finding_tags))
                raise InvalidValue("patterns", tag, f"not in the {method} method's taxonomy (allowed: {allowed})")

    def check_step(self, method: str, step: str, role: str, taken: tuple[str, ...]) -> None:
        """Refuse a step of the decision path that the ``method`` does not have, taken by a role
        its path does not name, out of order (an earlier step of the path not yet ``taken``), or
        taken twice."""
        rule = self.methods.get(method)
        if rule is None or rule.path is None:
            raise InvalidValue("step", step, f"the {method} method declares no decision path")
        path = rule.path
        if step not in STEPS:
            raise InvalidValue("step", step, f"not a step of a decision path (known: {', '.join(STEPS)})")
        expected = path.role(step)
        if expected is None:
            raise InvalidValue("step", step, f"the {method} method's path has no such step ({path.words()})")
        if not role_fits(expected, role):
            raise InvalidValue("role", role, f"the {method} method's path expects {step}: {expected}")
        if step in taken:
            raise InvalidValue("step", step, "is already recorded for this activity")
        missing = [s for s in path.steps[: path.steps.index(step)] if s not in taken]
        if missing:
            raise InvalidValue(
                "step", step, f"out of order: the path's earlier step {missing[0]} is not recorded ({path.words()})"
            )
