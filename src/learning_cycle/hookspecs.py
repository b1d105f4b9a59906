"""The hooks a learning-cycle plugin can implement (pluggy project name ``learning_cycle``).

A plugin is a module or object with functions marked ``@learning_cycle.hookimpl``, registered
through the entry-point group ``learning_cycle``::

    [project.entry-points.learning_cycle]
    my_methods = "my_package.plugin"

Hooks that add things receive a ``register`` callback; the host validates each thing registered
and refuses a malformed one with an error naming the plugin.
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

from .domain.menu import ReviewMethod

PROJECT = "learning_cycle"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def learning_cycle_register_review_methods(register: Callable[[ReviewMethod], None]) -> None:
    """Add review methods to the menu of learning.

    :param register: call it once for each :class:`~learning_cycle.ReviewMethod` the plugin
        provides. The host checks each descriptor (a valid, unique key; non-empty what, why, who
        decides and steps; at least one kind of activity; at least one agency) and raises
        :class:`~learning_cycle.plugins.PluginError` naming the plugin if it is malformed.
    :return: nothing; what counts is what was registered.
    """
