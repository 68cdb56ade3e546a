"""What a request chose besides its language: the pack and the body it reads.

``?pack=lebanon`` and ``?body=provincial`` are carried by every link and form of the
explorer; the app's middleware puts them here (context variables, so a request's
threads and the library calls they make see the request's own choice) and
:mod:`muhasasa.web.views` checks them against the bundled packs and the pack's bodies
(an unknown one is a 404 naming the known ones). None means the default pack, and every
body of it.
"""

from __future__ import annotations

from contextvars import ContextVar
from urllib.parse import parse_qs

__all__ = ["BODY", "PACK", "from_query"]

PACK: ContextVar[str | None] = ContextVar("PACK", default=None)
BODY: ContextVar[str | None] = ContextVar("BODY", default=None)


def from_query(query: bytes) -> tuple[str | None, str | None]:
    """The ``pack`` and ``body`` a query string names (the first of each; empty is none).

    >>> from_query(b"election=2022&pack=lebanon")
    ('lebanon', None)
    >>> from_query(b"pack=&body=provincial")
    (None, 'provincial')
    """
    values = parse_qs(query.decode("latin-1"), keep_blank_values=True)
    return (values.get("pack", [""])[0] or None), (values.get("body", [""])[0] or None)
