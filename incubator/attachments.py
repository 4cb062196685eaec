"""Files and extra context that a message gets when it is rendered, never stored in the outbox.

An outbox row's payload says what the file is ({"period": ..., "kind": ...}); the
builder registered for the message's kind makes the file (and any context its body
needs) at delivery, in the recipient's language. No file bytes sit in the table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass
class Rendered:
    context: dict = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)


_builders: dict[str, Callable[[dict], Rendered]] = {}


def register_attachments(kind: str, builder: Callable[[dict], Rendered]) -> None:
    """Make `builder(payload)` (run in the recipient's language) give a `kind` message's files."""
    _builders[kind] = builder


def rendered_extras(kind: str, payload: dict) -> Rendered:
    builder = _builders.get(kind)
    return builder(payload) if builder else Rendered()
