"""What the user can ask of the attention model from its screen: the sequence kinds'
commands, and the free sample's temperature (t / T)."""

from __future__ import annotations

from nn_tui.kinds.attention.probes import TEMPERATURES, temperature
from nn_tui.kinds.sequence import commands as sequence_commands


def nudge_temperature(session, delta: int) -> None:
    """The next temperature up or down the ladder; the sample is written again at once."""
    run = session.training_run
    now = temperature(run)
    index = min(range(len(TEMPERATURES)), key=lambda i: abs(TEMPERATURES[i] - now))
    run.sample_temperature = TEMPERATURES[min(max(index + int(delta), 0), len(TEMPERATURES) - 1)]
    run.__dict__.get("_probe_cache", {}).pop("sample", None)  # the probes write a new one


COMMANDS = {**sequence_commands.COMMANDS, "nudge_temperature": nudge_temperature}
KEEPS_SCORES = sequence_commands.KEEPS_SCORES | {"nudge_temperature"}
