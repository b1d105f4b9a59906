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

import os
from collections.abc import Iterable
from importlib.metadata import entry_points
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .application import LearningCycle
from .domain.errors import LearningCycleError
from .domain.menu import Menu, ReviewMethod
from .domain.values import KEY_PATTERN

ENTRY_POINT_GROUP = "learning_cycle"
ALLOW_ENV = "LEARNING_CYCLE_PLUGINS"
BLOCK_ENV = "LEARNING_CYCLE_BLOCK_PLUGINS"

#: Plugins registered before the entry points (the core has none: its menu comes from plugins).
DEFAULT_PLUGINS: tuple[Any, ...] = ()


class PluginError(LearningCycleError):
    """A plugin registered something malformed, or could not be loaded."""

    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(f"plugin {plugin!r}: {message}", field="plugin", value=plugin)
        self.plugin = plugin


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
    if not isinstance(method.key, str) or not KEY_PATTERN.match(method.key):
        raise PluginError(
            plugin, f"review method key {method.key!r} is not a valid key (lower-case letters, digits, '-', '_', '.')"
        )
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
    if isinstance(method.min_agencies, bool) or not isinstance(method.min_agencies, int) or method.min_agencies < 1:
        raise PluginError(
            plugin, f"{what}: min_agencies must be a whole number, 1 or more (got {method.min_agencies!r})"
        )
    return method


class Plugins:
    """The loaded plugins and what they registered."""

    def __init__(self, pm: pluggy.PluginManager, infos: dict[str, PluginInfo]) -> None:
        self._pm = pm
        self._infos = infos
        self._methods: dict[str, Contribution] | None = None

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
                if item.key in found:
                    other = found[item.key].plugin
                    raise PluginError(name, f"key {item.key!r} is already registered by plugin {other!r}")
                found[item.key] = Contribution(name, info.distribution, info.version, item)

            impl.function(register=register)
        return found

    def review_methods(self) -> dict[str, Contribution]:
        """Every registered review method by key, with the plugin that registered it."""
        if self._methods is None:
            self._methods = self._collect("learning_cycle_register_review_methods", validate_review_method)
        return self._methods

    def menu(self) -> Menu:
        """The menu of learning the application checks commissions against."""
        return Menu.of(c.item.rule for c in self.review_methods().values())


def build_plugins(extra: Iterable[Any] = (), *, environ: dict[str, str] | None = None) -> Plugins:
    """A fresh plugin manager: default plugins, then entry points (allow/block lists honoured),
    then ``extra`` plugin objects (for tests), then ``check_pending()``."""
    env = os.environ if environ is None else environ
    allow, block = _names(env.get(ALLOW_ENV)), _names(env.get(BLOCK_ENV))
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    infos: dict[str, PluginInfo] = {}
    for plugin in DEFAULT_PLUGINS:
        pm.register(plugin)
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in block or (allow and ep.name not in allow):
            pm.set_blocked(ep.name)
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(ep.name, f"could not be loaded from {ep.value}: {exc}") from exc
        pm.register(plugin, name=ep.name)
        dist = ep.dist
        infos[ep.name] = PluginInfo(ep.name, dist.name if dist else None, dist.version if dist else None)
    for plugin in extra:
        name = pm.register(plugin)
        if name is not None:
            infos[name] = PluginInfo(name, None, None)
    pm.check_pending()
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


def open_cycle(store: Any = None, **options: Any) -> LearningCycle:
    """A :class:`~learning_cycle.LearningCycle` whose menu comes from the installed plugins."""
    options.setdefault("menu", get_plugins().menu())
    return LearningCycle(store, **options)
