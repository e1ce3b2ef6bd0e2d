"""Every audit event type, and every sentence an event can be told in, has French words."""

import ast
from pathlib import Path

from django.utils.translation import gettext, ngettext, override

import baraza
from baraza.audit.events import event_types

SOURCE = Path(baraza.__file__).parent
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}


def _sentences():
    """Every literal message of the audit modules: the mechanism and each app's events."""
    paths = [SOURCE / "audit" / "events.py", *sorted(SOURCE.glob("*/events.py"))]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT:
                texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
                yield tuple(text for text in texts if isinstance(text, str))


def test_every_event_type_has_french_words_that_differ_from_the_english():
    untranslated = []
    for kind in event_types():
        with override("en"):
            english = str(kind.words)
        with override("fr"):
            french = str(kind.words)
        if not french or french == english:
            untranslated.append(kind.code)
    assert not untranslated


def test_every_sentence_an_event_can_be_told_in_has_french():
    sentences = sorted(set(_sentences()))
    assert len(sentences) > 40
    untranslated = []
    with override("fr"):
        for sentence in sentences:
            if len(sentence) == 1 and gettext(sentence[0]) == sentence[0]:
                untranslated.append(sentence)
            if len(sentence) == 2 and {ngettext(*sentence, 1), ngettext(*sentence, 2)} & {
                *sentence
            }:
                untranslated.append(sentence)
    assert not untranslated


def test_the_history_template_speaks_french():
    with override("fr"):
        assert gettext("Nothing recorded yet.") != "Nothing recorded yet."
