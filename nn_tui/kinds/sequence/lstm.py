"""The lstm kind: see kind.py."""

from nn_tui.kinds.sequence.kind import SequenceKind

KIND = SequenceKind("lstm")
