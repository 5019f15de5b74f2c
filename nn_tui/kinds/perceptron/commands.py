"""What a user can ask of a perceptron: edit its weights and bias by hand, and choose
its input features. It has no architecture to change."""

from __future__ import annotations

from nn_tui.kinds.mlp.commands import EDIT_COMMANDS, toggle_feature

COMMANDS = {**EDIT_COMMANDS, "toggle_feature": toggle_feature}
