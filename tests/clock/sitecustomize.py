"""Moves the clock of every Python process the tests start, when the suite runs with the clock moved.

``tests/conftest.py`` puts this folder first on ``PYTHONPATH`` only when ``LEARNING_CYCLE_TEST_CLOCK`` is
set (``.ci/run`` sets it for its second pass), so the command-line tests' subprocesses see the same
moved clock as the test process. Python imports ``sitecustomize`` at start-up by itself.
"""

import os

if os.environ.get("LEARNING_CYCLE_TEST_CLOCK"):
    import time_machine

    time_machine.travel(os.environ["LEARNING_CYCLE_TEST_CLOCK"], tick=True).start()
