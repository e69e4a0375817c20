"""Strict query strings: a parameter we do not know is a mistake worth telling the client about.

A silently ignored typo (``?published_afer=``) returns everything and looks like it worked.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InvalidParameter


def check_query_params(query_params, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    for name in query_params:
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise InvalidParameter(name, f"Unknown parameter. Known parameters here: {known}.")
        for value in query_params.getlist(name):
            if "\x00" in value:
                raise InvalidParameter(name, "Contains a NUL character.")
            if not value.strip():
                raise InvalidParameter(name, "Empty value: give one, or leave the parameter out.")
