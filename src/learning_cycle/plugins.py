"""The one owner of the plugin manager, and the typed facade the rest of the code uses.

Plugins come from the entry-point group ``learning_cycle``: first-party plugins (in ``plugins/``)
are installed and found exactly as a third party's would be. The core registers no content of
its own. Loaded lazily, once per process (:func:`get_plugins`).

Switches, read when plugins are first loaded:

* ``LEARNING_CYCLE_PLUGINS=a,b``: load only the entry points named ``a`` and ``b``;
* ``LEARNING_CYCLE_BLOCK_PLUGINS=a,b``: load every entry point except ``a`` and ``b``.

Stored events never need a plugin: a method whose plugin is gone still replays, and views call it
unknown.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from importlib.metadata import entry_points as _entry_points
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .application import LearningCycle
from .domain.errors import BadInput, InvalidValue, LearningCycleError
from .domain.menu import Menu, ReviewMethod
from .domain.outcomes import BoardRecords, OutcomeMeasure, OutcomeValue
from .domain.sources import Column, Figure, IndicatorSource
from .domain.values import KEY_PATTERN, IndicatorKind

ENTRY_POINT_GROUP = "learning_cycle"
ALLOW_ENV = "LEARNING_CYCLE_PLUGINS"
BLOCK_ENV = "LEARNING_CYCLE_BLOCK_PLUGINS"

#: Plugins registered before the entry points (the core has none: its menu comes from plugins).
DEFAULT_PLUGINS: tuple[Any, ...] = ()
#: The distributions whose outcome measures may be adopted by default (docs/plugins.md).
FIRST_PARTY = frozenset({"learning-cycle-outcomes"})


class PluginError(LearningCycleError):
    """A plugin could not be loaded, registered something malformed, or failed when called: it
    raised, or answered with a value of the wrong type, not finite, or outside its declared range.
    Names the plugin and, where it is known, the hook (or the registered function) that failed."""

    def __init__(self, plugin: str, message: str, hook: str | None = None) -> None:
        where = f"plugin {plugin!r}" if hook is None else f"plugin {plugin!r}, hook {hook}"
        super().__init__(f"{where}: {message}", field="plugin", value=plugin)
        self.plugin = plugin
        self.hook = hook
        self.detail = message


def _raised(exc: BaseException) -> str:
    """What a plugin raised, in one line (never its traceback)."""
    text = " ".join(str(exc).split())
    return f"raised {type(exc).__name__}" + (f": {text[:500]}" if text else "")


GUEST_FAILURES = (Exception, SystemExit)
"""What a plugin may raise that the host turns into a :class:`PluginError` (all but an interrupt)."""


@attrs.frozen
class Contribution:
    """Something a plugin registered, and which plugin and distribution it came from."""

    plugin: str
    distribution: str | None
    version: str | None
    item: Any


@attrs.frozen
class PluginInfo:
    name: str
    distribution: str | None
    version: str | None


def _names(value: str | None) -> set[str]:
    return {n.strip() for n in (value or "").split(",") if n.strip()}


def _check_text(plugin: str, what: str, field: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise PluginError(plugin, f"{what}: {field} must be non-empty text (got {value!r})")


def validate_review_method(plugin: str, method: Any) -> ReviewMethod:
    if not isinstance(method, ReviewMethod):
        raise PluginError(plugin, f"registered {type(method).__name__} {method!r}, not a ReviewMethod")
    _check_key(plugin, "review method", method.key)
    what = f"review method {method.key!r}"
    for field in ("title", "what", "why", "who_decides"):
        _check_text(plugin, what, field, getattr(method, field))
    if not method.steps:
        raise PluginError(plugin, f"{what}: steps must list how it is done, in order")
    for step in method.steps:
        _check_text(plugin, what, "each step", step)
    if not method.kinds:
        raise PluginError(plugin, f"{what}: kinds must name at least one kind of activity")
    for kind in (*method.kinds, *(method.finding_taxonomy or ())):
        if not isinstance(kind, str) or not KEY_PATTERN.match(kind):
            raise PluginError(plugin, f"{what}: {kind!r} is not a valid key")
    for kind in method.publishes:
        if kind not in method.kinds:
            raise PluginError(plugin, f"{what}: publishes names {kind!r}, which is not one of its kinds")
    if isinstance(method.min_agencies, bool) or not isinstance(method.min_agencies, int) or method.min_agencies < 1:
        raise PluginError(
            plugin, f"{what}: min_agencies must be a whole number, 1 or more (got {method.min_agencies!r})"
        )
    return method


def _check_key(plugin: str, what: str, key: Any) -> None:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise PluginError(plugin, f"{what} key {key!r} is not a valid key (lower-case letters, digits, '-', '_', '.')")


def validate_indicator_source(plugin: str, source: Any) -> IndicatorSource:
    if not isinstance(source, IndicatorSource):
        raise PluginError(plugin, f"registered {type(source).__name__} {source!r}, not an IndicatorSource")
    _check_key(plugin, "indicator source", source.key)
    what = f"indicator source {source.key!r}"
    for field in ("title", "description"):
        _check_text(plugin, what, field, getattr(source, field))
    if not callable(source.read):
        raise PluginError(plugin, f"{what}: read must be callable (got {source.read!r})")
    if not source.columns:
        raise PluginError(plugin, f"{what}: columns must document at least one field of its input")
    for column in source.columns:
        if not isinstance(column, Column):
            raise PluginError(plugin, f"{what}: each column must be a Column (got {column!r})")
        for field in ("name", "description"):
            _check_text(plugin, what, f"column {field}", getattr(column, field))
    if not isinstance(source.suffixes, tuple) or not all(isinstance(x, str) and x for x in source.suffixes):
        raise PluginError(plugin, f"{what}: suffixes must be file name endings (got {source.suffixes!r})")
    return _guard_source(plugin, source)


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_figure(plugin: str, hook: str, figure: Any) -> Figure:
    """A figure a source gave: a :class:`Figure` of an indicator key, a date and a finite number."""
    if not isinstance(figure, Figure):
        raise PluginError(plugin, f"gave {type(figure).__name__} {figure!r}, not a Figure", hook)
    if not isinstance(figure.indicator, str):
        raise PluginError(plugin, f"gave a figure whose indicator is {figure.indicator!r}, not text", hook)
    if not isinstance(figure.period_start, date) or isinstance(figure.period_start, datetime):
        raise PluginError(plugin, f"gave a figure whose period_start is {figure.period_start!r}, not a date", hook)
    if not _finite(figure.value):
        raise PluginError(plugin, f"gave a figure whose value is {figure.value!r}, not a finite number", hook)
    return figure


def _checked_figures(plugin: str, hook: str, figures: Any) -> Iterator[Figure]:
    """A source's figures, each checked as it is read (see :class:`_SourceReading`)."""
    try:
        found = iter(figures)
    except GUEST_FAILURES:
        raise PluginError(plugin, f"returned {type(figures).__name__}, not an iterable of figures", hook) from None
    while True:
        with _SourceReading(plugin, hook):
            figure = next(found, _DONE)
        if figure is _DONE:
            return
        yield _check_figure(plugin, hook, figure)


_DONE = object()


class _SourceReading:
    """Around a source's own code: what it raises becomes a :class:`PluginError` naming it, but for
    the refusals its contract allows (:class:`BadInput`, whose good figures are checked too, or
    another domain error) and an unreadable file."""

    def __init__(self, plugin: str, hook: str) -> None:
        self.plugin, self.hook = plugin, hook

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if isinstance(exc, BadInput):
            for good in exc.read or ():
                _check_figure(self.plugin, self.hook, good)
        elif isinstance(exc, GUEST_FAILURES) and not isinstance(exc, (LearningCycleError, OSError)):
            raise PluginError(self.plugin, _raised(exc), self.hook) from None


def _guard_source(plugin: str, source: IndicatorSource) -> IndicatorSource:
    """The source, its ``read`` guarded (see :func:`_checked_figures`)."""
    hook = f"read of indicator source {source.key!r}"
    read = source.read

    def guarded(location: str) -> Iterator[Figure]:
        with _SourceReading(plugin, hook):
            figures = read(location)
        return _checked_figures(plugin, hook, figures)

    return attrs.evolve(source, read=guarded)


def _check_outcome(plugin: str, hook: str, measure: OutcomeMeasure, answer: Any) -> OutcomeValue:
    """A measure's answer: an :class:`OutcomeValue` whose value (and breakdown) is ``None`` or a
    finite number inside the measure's declared range."""
    if not isinstance(answer, OutcomeValue):
        raise PluginError(plugin, f"returned {type(answer).__name__} {answer!r}, not an OutcomeValue", hook)
    span = f"[{measure.lower}, {measure.upper}]"
    figures = [("value", answer.value)] if answer.value is not None else []
    if not isinstance(answer.breakdown, Mapping):
        raise PluginError(plugin, f"returned a breakdown {answer.breakdown!r}, not a mapping", hook)
    figures += [(f"breakdown {part!r}", figure) for part, figure in answer.breakdown.items()]
    for name, figure in figures:
        if not _finite(figure):
            raise PluginError(plugin, f"returned {name} {figure!r}, not a finite number", hook)
        if not measure.lower <= figure <= measure.upper:
            raise PluginError(plugin, f"returned {name} {figure!r}, outside its declared range {span}", hook)
    for name in ("numerator", "denominator"):
        count = getattr(answer, name)
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise PluginError(plugin, f"returned {name} {count!r}, not a whole number, 0 or more", hook)
    if not isinstance(answer.note, str) or not all(isinstance(e, str) for e in answer.evidence):
        raise PluginError(plugin, "returned a note or evidence that is not text", hook)
    return answer


def _guard_measure(plugin: str, measure: OutcomeMeasure) -> OutcomeMeasure:
    """The measure, its ``compute`` guarded: what it raises, or an answer of the wrong type, not
    finite or outside its range, is a :class:`PluginError` naming the plugin and the measure."""
    hook = f"compute of outcome measure {measure.key!r}"
    compute = measure.compute

    def guarded(records: BoardRecords) -> OutcomeValue:
        try:
            answer = compute(records)
        except GUEST_FAILURES as exc:
            raise PluginError(plugin, _raised(exc), hook) from None
        return _check_outcome(plugin, hook, measure, answer)

    return attrs.evolve(measure, compute=guarded)


def validate_outcome_measure(plugin: str, measure: Any) -> OutcomeMeasure:
    if not isinstance(measure, OutcomeMeasure):
        raise PluginError(plugin, f"registered {type(measure).__name__} {measure!r}, not an OutcomeMeasure")
    _check_key(plugin, "outcome measure", measure.key)
    what = f"outcome measure {measure.key!r}"
    for field in ("title", "description", "unit"):
        _check_text(plugin, what, field, getattr(measure, field))
    if not isinstance(measure.kind, IndicatorKind):
        raise PluginError(plugin, f"{what}: kind must be an IndicatorKind (got {measure.kind!r})")
    bounds = (measure.lower, measure.upper)
    if not all(isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b) for b in bounds):
        raise PluginError(plugin, f"{what}: lower and upper must be finite numbers (got {bounds!r})")
    if not measure.lower < measure.upper:
        raise PluginError(plugin, f"{what}: lower must be less than upper (got {bounds!r})")
    if not callable(measure.compute):
        raise PluginError(plugin, f"{what}: compute must be callable (got {measure.compute!r})")
    if measure.statement is not None:
        _check_text(plugin, what, "statement", measure.statement)
    return _guard_measure(plugin, measure)


class Plugins:
    """The loaded plugins and what they registered."""

    def __init__(self, pm: pluggy.PluginManager, infos: dict[str, PluginInfo]) -> None:
        self._pm = pm
        self._infos = infos
        self._found: dict[str, dict[str, Contribution]] = {}

    @property
    def manager(self) -> pluggy.PluginManager:
        return self._pm

    def plugins(self) -> list[PluginInfo]:
        return [self._infos[name] for name in sorted(self._infos)]

    def _collect(self, hook_name: str, validate) -> dict[str, Contribution]:
        found: dict[str, Contribution] = {}
        hook = getattr(self._pm.hook, hook_name)
        for impl in hook.get_hookimpls():
            name = self._pm.get_name(impl.plugin) or repr(impl.plugin)
            info = self._infos.get(name, PluginInfo(name, None, None))

            def register(item: Any, name: str = name, info: PluginInfo = info) -> None:
                item = validate(name, item)
                if getattr(item, "adopted_by_default", False) and info.distribution not in FIRST_PARTY:
                    item = attrs.evolve(item, adopted_by_default=False)  # a board must adopt it
                if item.key in found:
                    other = found[item.key].plugin
                    raise PluginError(name, f"key {item.key!r} is already registered by plugin {other!r}")
                found[item.key] = Contribution(name, info.distribution, info.version, item)

            try:
                impl.function(register=register)
            except PluginError as exc:
                if exc.hook is not None:
                    raise
                raise PluginError(exc.plugin, exc.detail, hook_name) from None
            except GUEST_FAILURES as exc:
                raise PluginError(name, _raised(exc), hook_name) from None
        return found

    def _contributions(self, hook_name: str, validate) -> dict[str, Contribution]:
        if hook_name not in self._found:
            self._found[hook_name] = self._collect(hook_name, validate)
        return self._found[hook_name]

    def review_methods(self) -> dict[str, Contribution]:
        """Every registered review method by key, with the plugin that registered it."""
        return self._contributions("learning_cycle_register_review_methods", validate_review_method)

    def indicator_sources(self) -> dict[str, Contribution]:
        """Every registered indicator source by key, with the plugin that registered it."""
        return self._contributions("learning_cycle_register_indicator_sources", validate_indicator_source)

    def outcome_measures(self) -> dict[str, Contribution]:
        """Every registered outcome measure by key, with the plugin that registered it."""
        return self._contributions("learning_cycle_register_outcome_measures", validate_outcome_measure)

    def indicator_source(self, key: str) -> IndicatorSource:
        """The source registered as ``key``; :class:`InvalidValue` naming the known ones if none is."""
        found = self.indicator_sources().get(key)
        if found is None:
            known = ", ".join(sorted(self.indicator_sources())) or "none: is a sources plugin installed?"
            raise InvalidValue("source", key, f"not an installed indicator source (known: {known})")
        return found.item

    def source_for(self, location: str) -> IndicatorSource:
        """The source that reads files named like ``location`` (by suffix)."""
        name = str(location).lower()
        for contribution in self.indicator_sources().values():
            if any(name.endswith(s) for s in contribution.item.suffixes):
                return contribution.item
        raise InvalidValue(
            "location",
            str(location),
            "no installed indicator source reads files named like this; name one with --source",
        )

    def outcomes(self, records: BoardRecords) -> dict[str, OutcomeValue]:
        """Every outcome measure's value for a board's records."""
        return {key: c.item.compute(records) for key, c in sorted(self.outcome_measures().items())}

    def reported_outcomes(self, records: BoardRecords) -> dict[str, OutcomeValue]:
        """The value of each outcome measure the board reports, as it had chosen by the records' date
        (a measure it does not report is not run)."""
        measures = sorted(self.outcome_measures().items())
        return {k: c.item.compute(records) for k, c in measures if c.item.reported_by(records, records.as_of)}

    def register_commands(self, cli: Any) -> None:
        """Let each plugin add verbs to ``cli`` (the command line's click group); a plugin that
        replaces or removes a verb, or raises, is a :class:`PluginError` naming it (and ``cli`` is
        left as it was before that plugin)."""
        hook = "learning_cycle_register_commands"
        for impl in getattr(self._pm.hook, hook).get_hookimpls():
            name = self._pm.get_name(impl.plugin) or repr(impl.plugin)
            before = dict(cli.commands)
            try:
                impl.function(cli=cli)
            except GUEST_FAILURES as exc:
                cli.commands.clear()
                cli.commands.update(before)
                raise PluginError(name, f"failed adding its verbs: {_raised(exc)}", hook) from None
            changed = sorted(k for k, c in before.items() if cli.commands.get(k) is not c)
            if changed:
                cli.commands.clear()
                cli.commands.update(before)
                raise PluginError(
                    name, f"replaced or removed the verb {changed[0]!r}: a plugin may only add verbs", hook
                )

    def menu(self) -> Menu:
        """The menu of learning the application checks commissions against."""
        return Menu.of(c.item.rule for c in self.review_methods().values())


def build_plugins(
    extra: Iterable[Any] = (), *, environ: dict[str, str] | None = None, entry_points: bool = True
) -> Plugins:
    """A fresh plugin manager: default plugins, then entry points (allow/block lists honoured;
    none at all with ``entry_points=False``), then ``extra`` plugin objects (for tests), then
    ``check_pending()``."""
    env = os.environ if environ is None else environ
    allow, block = _names(env.get(ALLOW_ENV)), _names(env.get(BLOCK_ENV))
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    infos: dict[str, PluginInfo] = {}
    for plugin in DEFAULT_PLUGINS:
        pm.register(plugin)
    for ep in sorted(_entry_points(group=ENTRY_POINT_GROUP) if entry_points else (), key=lambda e: e.name):
        if ep.name in block or (allow and ep.name not in allow):
            pm.set_blocked(ep.name)
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(ep.name, f"could not be loaded from {ep.value}: {exc}") from exc
        try:
            pm.register(plugin, name=ep.name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(ep.name, f"could not be registered: {exc}") from None
        dist = ep.dist
        infos[ep.name] = PluginInfo(ep.name, dist.name if dist else None, dist.version if dist else None)
    for plugin in extra:
        if pm.is_registered(plugin):
            continue  # already loaded from its entry point
        name = pm.register(plugin)
        if name is not None:
            infos[name] = PluginInfo(name, None, None)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        raise PluginError(name, f"implements a hook that does not exist: {exc}") from None
    return Plugins(pm, infos)


_loaded: Plugins | None = None


def get_plugins() -> Plugins:
    """The process's plugins, loaded on first use."""
    global _loaded
    if _loaded is None:
        _loaded = build_plugins()
    return _loaded


def reset_plugins() -> None:
    """Forget the loaded plugins (the next :func:`get_plugins` loads them again)."""
    global _loaded
    _loaded = None


@contextmanager
def registered(*extra: Any, entry_points: bool = True, environ: dict[str, str] | None = None) -> Iterator[Plugins]:
    """Within the block, the process's plugins are the installed ones (unless
    ``entry_points=False``) plus ``extra``; afterwards, whatever was loaded before, always."""
    global _loaded
    saved = _loaded
    _loaded = build_plugins(extra, environ=environ, entry_points=entry_points)
    try:
        yield _loaded
    finally:
        _loaded = saved


def open_cycle(store: Any = None, **options: Any) -> LearningCycle:
    """A :class:`~learning_cycle.LearningCycle` whose menu comes from the installed plugins."""
    options.setdefault("menu", get_plugins().menu())
    return LearningCycle(store, **options)
