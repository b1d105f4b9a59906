"""A review method: appreciative inquiry, learning from what went well (fictional)."""

from learning_cycle import ReviewMethod, Timescale, hookimpl

APPRECIATIVE_INQUIRY = ReviewMethod(
    key="appreciative-inquiry",
    title="Appreciative inquiry",
    what="A review that studies a case that went well, to find the conditions that made it go well",
    why="To spread good practice as deliberately as a review of harm spreads lessons",
    who_decides="The case review sub-group",
    steps=(
        "Choose a case that practitioners agree went well",
        "Gather the story from each agency and from the family",
        "Find the conditions for success",
        "Report to the board with what to keep doing",
    ),
    kinds=("appreciative_inquiry",),
    min_agencies=2,
    proportionality="A case of good practice across two or more agencies",
    timescales=(Timescale(40, "started", "completed", "Eight working weeks from the first meeting"),),
    finding_taxonomy=("conditions-for-success", "relationships", "persistence"),
)


@hookimpl
def learning_cycle_register_review_methods(register):
    register(APPRECIATIVE_INQUIRY)
