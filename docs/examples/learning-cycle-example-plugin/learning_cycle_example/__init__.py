"""An example third-party plugin for learning-cycle, one of each kind of contribution.

* a review method: appreciative inquiry, learning from what went well;
* an indicator source: tab-separated figures, as some case systems export them;
* an outcome measure: how much of the board's training has had feedback.

Everything here is fictional and for illustration. docs/plugins.md walks through it.
"""

from learning_cycle_example.commands import learning_cycle_register_commands
from learning_cycle_example.measures import learning_cycle_register_outcome_measures
from learning_cycle_example.methods import learning_cycle_register_review_methods
from learning_cycle_example.sources import learning_cycle_register_indicator_sources

__all__ = [
    "learning_cycle_register_commands",
    "learning_cycle_register_indicator_sources",
    "learning_cycle_register_outcome_measures",
    "learning_cycle_register_review_methods",
]
