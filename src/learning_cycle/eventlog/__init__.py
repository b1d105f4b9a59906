"""The event log under the application: its recorders and the tamper-evident chain written with each event.

Every stored event gets a *link* in the table ``lc_chain``, written by the recorder in the same
transaction as the event: a hash of the link before it, the event's position, record id, version,
topic and stored bytes (as stored: encrypted when the store is). With a signing key
(``LEARNING_CYCLE_SIGNING_KEY`` or ``LEARNING_CYCLE_SIGNING_KEY_FILE``) the links are HMAC-SHA256,
so a row forged by someone who can write to the database but lacks the key is detected. The last
link is the log's *head*, published as ``POSITION:HEX``; see :mod:`.chain` and docs/security.md.
"""

from .chain import Break, Head, link, signing_key
from .log import EventLog, LogChanged, RecordedNotice
from .store import Store

__all__ = ["Break", "EventLog", "Head", "LogChanged", "RecordedNotice", "Store", "link", "signing_key"]
