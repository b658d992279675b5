"""Import Whoosh without three modules it loads at start-up and corpus never calls.

Measured with ``python -X importtime`` on a cold ``corpus search``:

- ``whoosh.compat`` imports ``urllib.request`` for a download helper: ~48 ms of
  http.client, email and ssl;
- ``whoosh.reading`` imports the ``cached_property`` backport, which imports
  asyncio: ~40 ms;
- ``whoosh.query.terms`` imports ``whoosh.lang.morph_en`` (English word
  variations, built at import): ~14 ms.

That is a third of a cold search. :func:`import_whoosh` imports those three Whoosh
modules while stand-ins sit in ``sys.modules``: each stand-in loads the real
module if it is ever called, and the standard library's ``functools.cached_property``
does the backport's job. The stand-ins are removed as soon as Whoosh has bound
them, so a later ``import urllib.request`` anywhere gets the real module.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from typing import Any


def _deferred(module: str, name: str) -> Any:
    """A function that imports ``module`` on its first call and calls its ``name``."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


def _stand_ins() -> dict[str, types.ModuleType]:
    request = types.ModuleType("urllib.request")
    request.urlretrieve = _deferred("urllib.request", "urlretrieve")  # type: ignore[attr-defined]
    backport = types.ModuleType("cached_property")
    backport.cached_property = functools.cached_property  # type: ignore[attr-defined]
    morph = types.ModuleType("whoosh.lang.morph_en")
    morph.variations = _deferred("whoosh.lang.morph_en", "variations")  # type: ignore[attr-defined]
    return {"urllib.request": request, "cached_property": backport, "whoosh.lang.morph_en": morph}


def import_whoosh() -> None:
    """Import the Whoosh modules that pull in the three (idempotent, cheap once done)."""
    if "whoosh.query.terms" in sys.modules:
        return
    # A module some other code has already imported costs nothing more: keep it.
    stand_ins = {name: m for name, m in _stand_ins().items() if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat
        import whoosh.query.terms
        import whoosh.reading  # noqa: F401
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
