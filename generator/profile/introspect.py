"""What the schema says at a key path: the model that holds the keys there, their names and docstrings.

Used to suggest a known key for an unknown one, to explain a missing one, and by `aftersales init`
to comment every key of the starter profile.
"""
from __future__ import annotations

import types
import typing
from typing import Annotated

from pydantic import BaseModel


def unwrap(annotation: object) -> object:
    """The type inside Annotated[…] and Optional[…]: `Count | None` is an int."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the keys at `loc` below `root` (walking lists and dicts)."""
    annotation: object = root
    for part in loc:
        annotation = unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if not isinstance(part, str) or part not in annotation.model_fields:
                return None
            annotation = annotation.model_fields[part].annotation
        else:
            args = typing.get_args(annotation)
            if not args:
                return None
            annotation = args[-1]
    annotation = unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def field_names(root: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed at `loc`; none where `loc` is not a model."""
    model = model_at(root, loc)
    return list(model.model_fields) if model else []


def field_doc(root: type[BaseModel], loc: tuple) -> str:
    """The docstring of the field at `loc`, or "" where there is none."""
    model = model_at(root, loc[:-1])
    if model and loc[-1] in model.model_fields:
        return model.model_fields[loc[-1]].description or ""
    return ""
