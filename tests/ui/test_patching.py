"""Patches of Textual check what they replace and never leave the app worse than Textual."""

from nn_tui.ui._patching import fingerprint, patch, unpatch


class Target:
    def greet(self, name):
        return f"hello {name}"


def test_a_patch_applies_only_to_the_code_it_was_checked_on():
    expected = fingerprint(Target.greet)
    assert not patch(Target, "greet", lambda original, self, name: "patched", "0000000000000000")
    assert Target().greet("x") == "hello x"  # fingerprint mismatch: Textual's own code
    assert patch(Target, "greet", lambda original, self, name: original(self, name).upper(), expected)
    try:
        assert Target().greet("x") == "HELLO X"
        assert patch(Target, "greet", lambda original, self, name: "twice", expected)  # idempotent
        assert Target().greet("x") == "HELLO X"
    finally:
        unpatch(Target, "greet")
    assert Target().greet("x") == "hello x"


def test_a_replacement_that_raises_falls_back_to_the_original():
    def broken(original, self, name):
        raise RuntimeError("internals moved")

    assert patch(Target, "greet", broken, fingerprint(Target.greet))
    try:
        assert Target().greet("y") == "hello y"
    finally:
        unpatch(Target, "greet")


def test_the_shipped_patches_match_the_pinned_textual():
    from textual._compositor import ChopsUpdate
    from textual.widgets import OptionList

    from nn_tui.ui._textual_guards import MOVE_PAGE_FINGERPRINT
    from nn_tui.ui.widgets._span_updates import RENDER_SEGMENTS_FINGERPRINT

    original_render = getattr(ChopsUpdate.render_segments, "_nn_tui_original", ChopsUpdate.render_segments)
    original_move = getattr(OptionList._move_page, "_nn_tui_original", OptionList._move_page)
    assert fingerprint(original_render) == RENDER_SEGMENTS_FINGERPRINT
    assert fingerprint(original_move) == MOVE_PAGE_FINGERPRINT
