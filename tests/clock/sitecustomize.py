"""Moves the clock of every Python process the tests start, when the suite runs with the clock moved.

``tests/conftest.py`` puts this folder first on ``PYTHONPATH`` only when ``LEARNING_CYCLE_TEST_CLOCK`` is
set (``.ci/run`` sets it for its second pass), so the command-line tests' subprocesses see the same
moved clock as the test process: moved by the same offset (``LEARNING_CYCLE_TEST_CLOCK_OFFSET``, which
the test process sets) from the real one. Python imports ``sitecustomize`` at start-up by itself.
"""

import os

if os.environ.get("LEARNING_CYCLE_TEST_CLOCK_OFFSET"):
    import time

    import time_machine

    # the same offset from the real clock as the test process (not the same moment: a subprocess
    # started later must be later on the moved clock too)
    time_machine.travel(time.time() + float(os.environ["LEARNING_CYCLE_TEST_CLOCK_OFFSET"]), tick=True).start()
