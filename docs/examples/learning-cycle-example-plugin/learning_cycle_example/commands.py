"""The example plugin's verb: a command added to ``learning-cycle`` through the
``learning_cycle_register_commands`` hook (it may add verbs, never replace one)."""

import click

from learning_cycle import hookimpl
from learning_cycle_example.methods import APPRECIATIVE_INQUIRY


@hookimpl
def learning_cycle_register_commands(cli):
    @cli.command(name="example-steps")
    def example_steps():
        """The steps of the example plugin's review method, appreciative inquiry.

        Example: learning-cycle example-steps
        """
        for number, step in enumerate(APPRECIATIVE_INQUIRY.steps, 1):
            click.echo(f"{number}. {step}")
