"""The recording verbs: one for each recording command of :class:`~learning_cycle.LearningCycle`,
made from the command's own signature, so each verb takes what the command takes and meets the same
rules and errors (the command checks them; the verb only reads the terminal's words).

Records are named by short references (``A-3``, ``F-12``, ``X-4``, ``D-2``;
:mod:`learning_cycle.projections.references`) or an unambiguous start of their id. A required value
left out is asked for at a terminal, and is an error naming the option when input is not a terminal.
Each verb prints what it recorded and the record's reference.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any
from uuid import UUID

import click

from ..application import LearningCycle
from ..domain.values import Priority, PublicationDecision, VoiceOfChild
from ..projections.references import CREATED, NAMES, References, references
from ..projections.store import Views
from .app import RECORDING, Args, Streams, verb
from .common import UsageError, date_arg, open_cycle_for, pick_board

#: verb -> the LearningCycle command it records with, and what it says it did.
COMMANDS: dict[str, tuple[str, str]] = {
    "commission": ("commission_activity", "commissioned activity"),
    "start": ("start_activity", "started activity"),
    "complete": ("complete_activity", "completed activity"),
    "approve-report": ("approve_report", "approved the report of activity"),
    "decide-publication": ("decide_publication", "recorded the publication decision on activity"),
    "pause-clock": ("pause_activity_clock", "paused the timescale clock of activity"),
    "resume-clock": ("resume_activity_clock", "resumed the timescale clock of activity"),
    "close": ("close_activity", "closed activity"),
    "correct-activity": ("correct_activity", "corrected activity"),
    "raise-finding": ("raise_finding", "raised finding"),
    "respond": ("respond_to_finding", "recorded the response to finding"),
    "check": ("record_check", "recorded a check of finding"),
    "correct-finding": ("correct_finding", "corrected finding"),
    "raise-action": ("raise_action", "raised action"),
    "progress": ("report_progress", "recorded progress on action"),
    "reschedule": ("reschedule_action", "rescheduled action"),
    "complete-action": ("complete_action", "completed action"),
    "assure": ("assure_action", "recorded assurance of action"),
    "cancel-action": ("cancel_action", "cancelled action"),
    "supersede-action": ("supersede_action", "superseded action"),
    "disseminate": ("record_dissemination", "recorded dissemination"),
    "feedback": ("record_feedback", "recorded feedback on dissemination"),
    "define-indicator": ("define_indicator", "defined indicator"),
    "link-indicator": ("link_indicator", "linked indicator"),
    "measure": ("record_measurement", "recorded a figure of indicator"),
    "correct-measurement": ("correct_measurement", "corrected a figure of indicator"),
    "join-agency": ("join_agency", "recorded that an agency joined"),
    "leave-agency": ("leave_agency", "recorded that an agency left"),
    "add-district": ("add_district", "added district"),
    "add-subgroup": ("add_subgroup", "added subgroup"),
    "set-priorities": ("set_priorities", "set the priorities of"),
    "hold-stocktake": ("hold_stock_take", "recorded the stock-take of"),
    "voice-activity": ("record_activity_voice", "recorded the voice of the child in activity"),
    "voice-finding": ("record_finding_voice", "recorded the voice of the child in finding"),
    "adopt-framework": ("adopt_framework", "recorded the adoption of the framework"),
    "review-framework": ("review_framework", "recorded a review of the framework"),
    "correct-framework": ("correct_framework", "corrected the framework"),
    "hold-annual-review": ("hold_annual_review", "recorded the framework's annual review after the stock-take of"),
    "submit-return": ("submit_return", "recorded the self-assessment return for"),
    "follow-up-area": ("follow_up_area", "recorded the follow-up of an area for development raised in"),
    "analyse-returns": ("analyse_returns", "recorded the board's analysis of the returns for"),
    "peer-review": ("record_peer_review", "recorded the peer review of the self-assessment for"),
    "record-step": ("record_decision_step", "recorded a step of the decision path of activity"),
    "assign-activity": ("assign_activity_subgroup", "assigned to a sub-group: activity"),
    "assign-finding": ("assign_finding_subgroup", "assigned to a sub-group: finding"),
    "deliver-item": ("name_programme_item", "named the programme item delivered by activity"),
    "plan-programme": ("plan_programme_item", "planned an item of the quality-assurance programme of"),
    "adopt-measure": ("adopt_measure", "adopted the outcome measure"),
    "drop-measure": ("drop_measure", "dropped the outcome measure"),
    "record-sample": ("record_sample", "recorded the sample of activity"),
    "involve-practitioners": ("record_practitioner_involvement", "recorded practitioners' involvement in activity"),
}
#: a parameter naming a record -> the letter of its references
REFERENCE_PARAMS = {"activity_id": "A", "finding_id": "F", "action_id": "X", "dissemination_id": "D", "superseded_by": "X",
                    "prompted_by_activity": "A", "prompted_by_finding": "F", "made_by": "A"}  # fmt: skip
#: a parameter taking many values -> the option's name for one of them
MANY = {
    "agencies": "agency", "themes": "theme", "patterns": "pattern", "districts": "district", "decisions": "decision",
    "priorities": "priority", "next_priorities": "next-priority", "finding_ids": "finding",
    "principles": "principle",
    "ratings": "rating", "strengths": "strength", "areas": "area",
    "action_ids": "action",
    "indicators": "indicator",
}  # fmt: skip
SKIPPED = {"board_id", "id", "self"}  # the board is --board; ids are made
#: a parameter holding a value type -> (the type, its fields as options: (field, kind, required, help))
COMPOSITES: dict[str, tuple[type, tuple[tuple[str, str, bool, str], ...]]] = {
    "decision": (PublicationDecision, (
        ("status", "text", True, "the decision: published, withheld or delayed"),
        ("reference", "text", False, "the published report's reference"),
        ("reason", "text", False, "why it is withheld or delayed"),
        ("review_on", "date", False, "when a delayed decision is reviewed (YYYY-MM-DD)"),
    )),
    "voice": (VoiceOfChild, (
        ("informed", "bool", True, "whether children's and families' views informed it"),
        ("how", "text", False, "how they informed it (required when they did)"),
    )),
}  # fmt: skip


def _kind(annotation: Any) -> str:
    """What the terminal gives for a parameter: date, float, int, bool, many, pairs (many KEY=Title),
    decision, voice or text."""
    text = str(annotation)
    for word, kind in (("PublicationDecision", "decision"), ("VoiceOfChild", "voice"), ("Priority", "pairs"), ("Iterable", "many"), ("date", "date"),
                       ("float", "float"), ("bool", "bool"), ("int", "int")):  # fmt: skip
        if word in text:
            return kind
    return "text"


def _options(method: Callable[..., Any]) -> list[tuple[str, str, bool, click.Parameter]]:
    """(parameter, kind, required, click parameter) for each parameter the verb takes."""
    made: list[tuple[str, str, bool, click.Parameter]] = []
    first_ref = True
    for name, p in inspect.signature(method).parameters.items():
        if name in SKIPPED:
            continue
        kind = _kind(p.annotation)  # the annotation as written (a string: postponed evaluation)
        required = p.default is inspect.Parameter.empty
        if name in REFERENCE_PARAMS and first_ref and required:
            first_ref = False
            made.append((name, "ref", True, click.Argument([name], metavar=f"{REFERENCE_PARAMS[name]}-N", required=False)))  # fmt: skip
            continue
        option = "--" + (MANY.get(name) or name).replace("_", "-")
        what = "one value; give it again for more" if kind in ("many", "pairs") else ""
        if name in REFERENCE_PARAMS:
            what = f"the {NAMES[REFERENCE_PARAMS[name]]}'s reference ({REFERENCE_PARAMS[name]}-N) or id"
        if kind in COMPOSITES:  # a value type: an option for each of its fields
            for field, fkind, needed, words in COMPOSITES[kind][1]:
                flag = "--" + field.replace("_", "-")
                param = (
                    click.Option([f"{flag}/--not-{field}"], default=None, help=words)
                    if fkind == "bool"
                    else click.Option([flag], help=words + ("  [required]" if needed and required else ""))
                )
                made.append((f"{kind}.{field}", fkind, needed and required, param))
            continue
        if kind == "bool":
            param = click.Option([option], is_flag=True, help="say so if it is")
        elif kind in ("many", "pairs"):
            words = what or "one; give it again for more"
            param = click.Option([option, name], multiple=True, help=words + ("  [required]" if required else ""))
        else:
            metavar = {"date": "YYYY-MM-DD", "float": "NUMBER", "int": "N"}.get(kind, "TEXT")
            words = "the day it takes effect  [default: today]" if name == "on" else what
            param = click.Option([option, name], metavar=metavar, help=words + ("  [required]" if required else ""))
        made.append((name, kind, required, param))
    return made


def _value(lc: LearningCycle, refs: References, name: str, kind: str, raw: Any) -> Any:
    option = "--" + (MANY.get(name) or name).replace("_", "-")
    if raw is None or raw == ():
        return raw
    if name in REFERENCE_PARAMS:
        return refs.resolve(raw, REFERENCE_PARAMS[name], name)
    if name == "finding_ids":
        return [refs.resolve(r, "F", name) for r in raw]
    if name == "action_ids":
        return [refs.resolve(r, "X", name) for r in raw]
    if kind == "pairs":
        pairs = [r.partition("=") for r in raw]
        if any(not sep for _, sep, _ in pairs):
            raise UsageError(f"{option}: write each as KEY=Title (got {raw!r})", f"e.g. {option} neglect='Neglect'")
        return [Priority(key, title) for key, _, title in pairs]
    if kind == "date":
        return date_arg(option, raw)
    if kind in ("float", "int"):
        try:
            return (float if kind == "float" else int)(raw)
        except ValueError:
            raise UsageError(f"{option}: {raw!r} is not a number", "give digits, e.g. 12 or 12.5") from None
    if kind == "many":
        return list(raw)
    return raw


def _flag(name: str) -> str:
    """The option a parameter is given with (``principles``: ``--principle``; ``voice.how``: ``--how``)."""
    whole, _, field = name.partition(".")
    return "--" + (field or MANY.get(whole) or whole).replace("_", "-")


def _ask(name: str, kind: str) -> Any:
    """A required value left out: asked for at a terminal; an error naming the option elsewhere."""
    option = _flag(name) if kind != "ref" else name
    if not sys.stdin.isatty():
        raise UsageError(f"{option}: a value is required", "give it on the command line (input is not a terminal, so nothing is asked)")  # fmt: skip
    question = option.lstrip("-").replace("-", " ")
    return click.confirm(question) if kind == "bool" else click.prompt(question)


def _recording_verb(name: str, method_name: str, said: str) -> None:
    method = getattr(LearningCycle, method_name)
    options = _options(method)
    summary = (inspect.getdoc(method) or "").split("\n\n")[0].replace("\n", " ").replace("``", "")
    summary = summary or f"Record it: the verb says '{said} ...' and the reference."
    required = " ".join(f"{_flag(n)}{'' if k == 'bool' else ' ...'}" for n, k, r, _ in options if r and k != "ref")
    ref = next((f" {REFERENCE_PARAMS[n]}-1" for n, k, _, _ in options if k == "ref"), "")

    def body(args: Args, io: Streams) -> int:
        with open_cycle_for(args, must_exist=True) as lc:
            with Views.of(lc) as views:
                board_id = pick_board(lc, views, args.board)
            refs = references(lc.follow(topics=list(CREATED)), board_id)
            call: dict[str, Any] = {}
            parts: dict[str, dict[str, Any]] = {}
            for pname, kind, needed, _ in options:
                raw = getattr(args, pname.replace(".", "_"), None)
                if needed and raw in (None, ()):
                    raw = _ask(pname, kind)
                whole, _, field = pname.partition(".")
                if field:
                    value = date_arg("--" + field.replace("_", "-"), raw) if kind == "date" else raw
                    parts.setdefault(whole, {})[field] = value
                else:
                    call[pname] = _value(lc, refs, pname, kind, raw)
            for pname, _ in inspect.signature(method).parameters.items():
                kind = _kind(inspect.signature(method).parameters[pname].annotation)
                given = {k: v for k, v in parts.get(kind, {}).items() if v is not None}
                if kind in COMPOSITES and given:
                    call[pname] = COMPOSITES[kind][0](**given)
            call = {k: v for k, v in call.items() if v is not None and v != ()}
            made = getattr(lc, method_name)(board_id, **call)
            after = references(lc.follow(topics=list(CREATED)), board_id)
            named = (
                made if isinstance(made, UUID) else next((v for k, v in call.items() if k in REFERENCE_PARAMS), None)
            )
            shown = (after.of(named) if isinstance(named, UUID) else None) or call.get("key") or call.get("indicator") or call.get("year") or call.get("district") or call.get("subgroup") or call.get("measure") or ""  # fmt: skip
            ident = f" (id {named})" if isinstance(named, UUID) else ""
            io.out.print(f"{said} {shown}{ident}".replace("  ", " ").strip(), highlight=False)
        return 0

    body.__name__ = name.replace("-", "_")
    body.__doc__ = f"{summary}\n\n\b\nExample:\n  learning-cycle {name}{ref} {required}".rstrip()

    def add(params: list[click.Parameter]) -> Callable[[Any], Any]:
        def decorate(f: Any) -> Any:
            f.__click_params__ = list(reversed(params))
            return f

        return decorate

    params = []
    for pname, _, _, param in options:
        if "." in pname:
            param.name = pname.replace(".", "_")
        params.append(param)
    verb(RECORDING, "store", "board")(add(params)(body))


for _name, (_method, _said) in COMMANDS.items():
    _recording_verb(_name, _method, _said)
