"""The common YAML document read by libyaml (PyYAML's C parser) into the data and marks ruamel gives.

ruamel.yaml's round-trip composer is pure Python: a profile with 10,000 outlets (1.5 MB) took about 7 s
to compose. libyaml parses the same text into events in C; the data is built here from the events,
without recursion, and each plain scalar's tag is resolved by ruamel's own YAML 1.2 resolver, so the
values are those ruamel would give. Only the plain case is taken: a document with anything whose
meaning could differ between the two libraries, or that is an error, is left to ruamel (`None`),
which then reads it or words the error as before: directives (%YAML, %TAG), tags, anchors and
aliases, tabs, odd block headers, document markers after the first line, folded scalars (whose line joins ruamel marks for Chinese text), more or fewer than one
document, deep nesting, and every text libyaml refuses. tests/test_fastyaml.py compares the two on
generated and mutated profiles.
"""
from __future__ import annotations

import functools
import re

from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

try:  # the wheels on PyPI carry libyaml; without it every document is ruamel's (slower, the same)
    from yaml import YAMLError
    from yaml._yaml import CParser
    from yaml.events import (DocumentEndEvent, DocumentStartEvent, MappingEndEvent,
                             MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent,
                             StreamEndEvent, StreamStartEvent)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

DEEPEST = 20  # a profile is 5 levels deep; deeper documents are ruamel's, which bounds and words them

_STR = "tag:yaml.org,2002:str"


class Other(Exception):
    """The document is not the plain case: ruamel reads it."""


_RESOLVER = VersionedResolver(version=None)
_FIRST = frozenset(_RESOLVER.versioned_resolver)  # the first characters of the texts a resolver may take


def _tag(value: str) -> str:
    """A plain scalar's tag by YAML 1.2, as ruamel resolves it (the same resolver, the same table)."""
    if value[:1] not in _FIRST and None not in _FIRST:  # a name, an address: text
        return _STR
    return _resolved(value)


@functools.lru_cache(maxsize=4096)
def _resolved(value: str) -> str:
    return str(_RESOLVER.resolve(ScalarNode, value, (True, False)))


# ruamel refuses some tabs libyaml takes as spaces ("key:\t") and a byte order mark inside the text,
# which libyaml skips; it reads a "..." line inside a block scalar as text, libyaml as the document's end
_MARKER = re.compile(r"[\r\n](?:---|\.\.\.)")
_BLANK_LINE = re.compile(r"[\r\n][ ]+(?=[\r\n])")  # a line of spaces only, inside a literal scalar
_LITERAL_HEADER = re.compile(r"\|[-+1-9]{0,2}(?: +(?:#[^\r\n]*)?)?(?:\r\n?|\n|$)")  # "|-  # note"


def _taken(text: str) -> bool:
    """Whether libyaml may read the text at all (its characters and lines ruamel reads otherwise)."""
    return CParser is not None and "\t" not in text and "\ufeff" not in text and not _MARKER.search(text)


def _node_events(parser, text: str):
    """The events of the one document's nodes and their ends, each as plain as the fast paths take
    (a collection at the root, no anchor, no tag, no folded scalar, a literal one's header as ruamel
    reads it); `Other` for anything else: an alias, a second document, a directive."""
    documents = 0
    root = True
    get = parser.get_event
    while True:
        event = get()
        kind = event.__class__
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or (root and kind is ScalarEvent):
                raise Other  # a document that is one scalar is no profile: ruamel reads (and words) it
            root = False
            if kind is ScalarEvent and (event.style == ">" or (event.style == "|" and (
                    not _LITERAL_HEADER.match(text, event.start_mark.index)
                    or _BLANK_LINE.search(text, event.start_mark.index, event.end_mark.index)))):
                raise Other  # ruamel marks a folded scalar's joins; libyaml takes "|#…" and a line of spaces
                # shorter than the text's indentation before it, which ruamel refuses
            yield event
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            yield event
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                raise Other
        elif kind is StreamEndEvent:
            return
        elif kind is not StreamStartEvent and kind is not DocumentEndEvent:
            raise Other  # an alias


def read(text: str, mark, value_of, key_refused, most: int):
    """The plain case read straight from libyaml's events into (data, marks, rough), as ruamel's nodes
    converted by `yamlload._convert` give it; None where anything is not plain or not right: a duplicate
    or refused key, a value `value_of` refuses (it raises `Other`), more than `most` nodes. ruamel then
    reads the text, and tells what is wrong."""
    if not _taken(text):
        return None
    try:
        return _read(CParser(text), text, mark, value_of, key_refused, most)
    except (Other, YAMLError):
        return None



def _read(parser, text: str, mark, value_of, key_refused, most: int):
    marks: dict = {}
    rough: set = set()
    stack: list = []  # [container, its path, the key waiting for its value (a mapping's), where that key is]
    root = _NOTHING
    nodes = 0
    for event in _node_events(parser, text):
        kind = event.__class__
        if kind is not MappingEndEvent and kind is not SequenceEndEvent:
            nodes += 1
            if nodes > most:
                raise Other
            start = event.start_mark
            scalar = kind is ScalarEvent
            if scalar:
                value, style = event.value, event.style or None
            empty = scalar and value == "" and style is None  # ruamel marks an empty value elsewhere
            if not stack:  # the document itself
                if root is not _NOTHING:
                    raise Other
                where, parent = (), None
            else:
                top = stack[-1]
                parent = top[0]
                if parent.__class__ is dict:
                    if top[2] is None:  # a key
                        if not scalar or key_refused(value) or value in parent:
                            raise Other
                        top[2], top[3] = value, (start, empty)
                        continue
                    key, (key_start, key_empty) = top[2], top[3]
                    top[2] = None
                    where = top[1] + (key,)
                    marks[where] = mark(start.line + 1, start.column + 1, key_start.line + 1, key_start.column + 1)
                    if key_empty or empty:
                        rough.add(where)
                else:
                    where = top[1] + (len(parent),)
                    marks[where] = mark(start.line + 1, start.column + 1)
                    if empty:
                        rough.add(where)
            if scalar:
                made = value_of(value, _tag(value) if event.implicit[0] else _STR, style)
            else:
                if len(stack) >= DEEPEST:
                    raise Other
                made = {} if kind is MappingStartEvent else []
            if parent is None:
                root = made
            elif parent.__class__ is dict:
                parent[where[-1]] = made
            else:
                parent.append(made)
            if not scalar:
                stack.append([made, where, None, None])
        else:  # the end of a collection
            stack.pop()
    if root is _NOTHING:
        raise Other
    return root, marks, rough


_NOTHING = object()
