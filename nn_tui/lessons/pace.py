"""How fast a lesson trains on screen: slow, normal or full speed.

A run's "pace" entry (in ``lesson.setup``, read only by the screen) is its normal
pace in epochs a second; slow is a quarter of it; full speed is the playground's,
as fast as it goes. An epoch is what the steps count and the plots draw, so the
pace is one epoch at a time: ten a second by default, fewer where an epoch is a
thing to look at (the perceptron's four rows) or long (a digits epoch).
"""

from __future__ import annotations

from nn_tui.lessons.runs import screen_extras

PACES = ("slow", "normal", "full")
DEFAULT_PACE = 10.0  # epochs a second, where a lesson's run says nothing
SLOW_SHARE = 0.25


def normal_pace(lesson, run: str | None = None) -> float:
    return float(screen_extras(lesson, run).get("pace", DEFAULT_PACE))


def pace_command(lesson, run: str | None, name: str) -> tuple[float | None, str]:
    """The set_pace arguments for pace `name` of the run: (epochs a second or None, label)."""
    if name == "full":
        return None, "full speed"
    rate = normal_pace(lesson, run) * (SLOW_SHARE if name == "slow" else 1.0)
    return rate, f"{name} {rate:g} ep/s"


def next_pace(name: str) -> str:
    return PACES[(PACES.index(name) + 1) % len(PACES)]
