"""The stages, in pipeline order, and how a stage is found by name.

Adding a built-in stage: write a module here with a ``Stage`` subclass (see base.py) and list it
in ``BUILTIN``. A third-party stage is a ``Stage`` subclass published under the entry point group
``cleanmt.stages`` (name = its stage name); it runs when named in ``Cleaner(stages=...)``, right
after the built-in stage its ``after`` attribute names.
"""
from __future__ import annotations

from .base import Stage
from .boilerplate import BoilerplateStage
from .checks import ChecksStage
from .encoding import EncodingStage
from .glossary import GlossaryStage
from .language import LanguageStage
from .rules import CasingStage, MarkdownStage, TypographyStage

# The pipeline, in order. An edit of an earlier stage wins over an overlapping later one.
BUILTIN: tuple[type[Stage], ...] = (EncodingStage, BoilerplateStage, GlossaryStage, MarkdownStage, TypographyStage,
                                    CasingStage, ChecksStage, LanguageStage)
STAGES = tuple(s.name for s in BUILTIN)

_PLUGINS: dict[str, type] = {}


def _plugins() -> dict[str, type]:
    """Stages published by installed packages under the entry point group ``cleanmt.stages``."""
    if not _PLUGINS:
        from importlib.metadata import entry_points

        for ep in entry_points(group="cleanmt.stages"):
            _PLUGINS[ep.name] = ep  # loaded only when asked for
        _PLUGINS.setdefault("", None)  # looked up once, even when there are none
    return _PLUGINS


def known_stages(names) -> list[str]:
    """Stage names not known as built-in or installed stages."""
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        plugins = _plugins()
        unknown = [n for n in unknown if not plugins.get(n)]
    return unknown


def build(names, compiled) -> list[Stage]:
    """The stages named (built-ins in pipeline order, third-party ones after their ``after``)."""
    wanted = set(names)
    out: list[Stage] = [cls(compiled) for cls in BUILTIN if cls.name in wanted]
    for n in names:
        if n in STAGES:
            continue
        cls = _plugins()[n].load()
        stage = cls(compiled)
        stage.name = n
        at = next((k + 1 for k, s in enumerate(out) if s.name == stage.after), len(out))
        while at < len(out) and out[at].name not in STAGES:
            at += 1  # third-party stages after the same built-in keep the order they were named in
        out.insert(at, stage)
    return out
