"""Key bindings in the person's language: descriptions marked with ``N_``, shown translated."""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from voicereflect.i18n import _


def translate_bindings(node: DOMNode) -> None:
    """Show ``node``'s key descriptions in the current language.

    ``BINDINGS`` are class attributes, built once at import, before the language is known;
    each screen (and the App) translates its own copy when it is made, and again after a
    language switch, always from the class's English originals.
    """
    originals = type(node)._merged_bindings
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        source = bindings
        if originals is not None and len(originals.key_to_bindings.get(key, [])) == len(bindings):
            source = originals.key_to_bindings[key]
        table[key] = [_translated(b) for b in source]


def _translated(binding: Binding) -> Binding:
    if not binding.description:
        return binding
    tooltip = _(binding.tooltip) if binding.tooltip else binding.tooltip
    return dataclasses.replace(binding, description=_(binding.description), tooltip=tooltip)
