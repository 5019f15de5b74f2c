"""Rosenblatt's perceptron has no settings of its own: one threshold unit on the inputs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PerceptronSpec:
    kind: str = "perceptron"
