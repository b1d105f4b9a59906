# The conformance kit is an opt-in pytest plugin.
pytest_plugins = ["learning_cycle.testing"]
