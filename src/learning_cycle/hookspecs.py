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
from typing import Any

import pluggy

from .domain.menu import ReviewMethod
from .domain.outcomes import OutcomeMeasure
from .domain.sources import IndicatorSource

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


@hookspec
def learning_cycle_register_indicator_sources(register: Callable[[IndicatorSource], None]) -> None:
    """Add sources a board's indicator figures can be pulled from (a CSV file, a database...).

    :param register: call it once for each :class:`~learning_cycle.IndicatorSource` the plugin
        provides. The host checks each descriptor (a valid, unique key; a title and a description;
        a callable ``read``; at least one documented column) and raises
        :class:`~learning_cycle.plugins.PluginError` naming the plugin if it is malformed.
    :return: nothing; what counts is what was registered.

    A source's ``read(location)`` returns, or yields as it reads them, :class:`~learning_cycle.Figure`
    values, each with the file, line and column it was read from; if any row is bad it raises
    :class:`~learning_cycle.BadInput` listing every bad row: a generator at the end, after the good
    figures, a function with ``read=`` the figures it read well (the host checks those against the
    board too, so every problem is reported in one pass, in line order). It never writes: the host
    records the figures, idempotently and atomically. Anything else it raises, and anything it gives
    that is not a :class:`~learning_cycle.Figure` of a finite number, is a
    :class:`~learning_cycle.plugins.PluginError` naming the plugin and the source.
    """


@hookspec
def learning_cycle_register_outcome_measures(register: Callable[[OutcomeMeasure], None]) -> None:
    """Add outcome measures: "is anyone better off?", answered from a board's records.

    :param register: call it once for each :class:`~learning_cycle.OutcomeMeasure` the plugin
        provides. The host checks each descriptor (a valid, unique key; a title and a description;
        a unit; a range with ``lower < upper``; a callable ``compute``) and raises
        :class:`~learning_cycle.plugins.PluginError` naming the plugin if it is malformed.
    :return: nothing; what counts is what was registered.

    ``compute(records)`` must be pure, deterministic and total: the same
    :class:`~learning_cycle.BoardRecords` always give the same :class:`~learning_cycle.OutcomeValue`,
    never a crash on an empty or partial board, and a value inside ``[lower, upper]`` or ``None``.
    The host checks every answer: an exception, a result that is not an ``OutcomeValue``, or a value
    (or breakdown figure) not finite or out of range is a :class:`~learning_cycle.plugins.PluginError`
    naming the plugin and the measure.
    """


@hookspec
def learning_cycle_register_commands(cli: Any) -> None:
    """Add verbs to the ``learning-cycle`` command line, as llm and datasette let plugins do.

    :param cli: the command line's click group (:data:`learning_cycle.cli.cli`). Add commands with
        ``@cli.command()``; give each a docstring (its help: a description, then an example). Take
        the store with a ``--store`` option and open it with :func:`learning_cycle.open_cycle`.
    :return: nothing; what counts is what was added.

    A plugin may add verbs, never replace or remove one: the host checks after each plugin, and a
    verb replaced or removed (or an exception raised) is a :class:`~learning_cycle.plugins.PluginError`
    naming the plugin. The verbs are listed under "Added by plugins" in ``learning-cycle --help``;
    errors they raise are shown like the host's (``error:``/``hint:``, exit 2).

    Example::

        import click
        import learning_cycle

        @learning_cycle.hookimpl
        def learning_cycle_register_commands(cli):
            @cli.command()
            @click.argument("name")
            def hello(name):
                "Say hello. Example: learning-cycle hello Northshire"
                click.echo(f"hello {name}")
    """
