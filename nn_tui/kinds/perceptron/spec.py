"""Rosenblatt's perceptron has no settings of its own: one threshold unit on the inputs."""

from __future__ import annotations

from dataclasses import dataclass

# One line for --help (every launch reads it; the kind itself loads on first use).
SUMMARY = "Rosenblatt's threshold unit and its learning rule (two classes)"
OPTIONS = ()  # nothing to set: one threshold unit


@dataclass(frozen=True)
class PerceptronSpec:
    kind: str = "perceptron"
