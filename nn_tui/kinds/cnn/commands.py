"""What a user can ask of a CNN's screen: which test digit its probes show.

The selection lives on the run (`probe_sample`), so a snapshot carries one digit's
feature maps; a fresh run (reset, new data) starts again at the first digit.
"""

from __future__ import annotations

from nn_tui.kinds.cnn.probes import mistakes_of, selected_sample


def select_sample(session, index: int) -> None:
    run = session.training_run
    run.probe_sample = int(index) % len(run.x_test)


def shift_sample(session, delta: int) -> None:
    """The test digit `delta` places on (wrapping around the test set)."""
    select_sample(session, selected_sample(session.training_run) + int(delta))


def next_mistake(session, direction: int = 1) -> None:
    """The next (direction > 0) or previous misclassified test digit, wrapping around."""
    run = session.training_run
    wrong = mistakes_of(run)
    if not len(wrong):
        session.notify("the model gets every test digit right")
        return
    current = selected_sample(run)
    if direction > 0:
        later = wrong[wrong > current]
        run.probe_sample = int(later[0] if len(later) else wrong[0])
    else:
        earlier = wrong[wrong < current]
        run.probe_sample = int(earlier[-1] if len(earlier) else wrong[-1])


COMMANDS = {"select_sample": select_sample, "shift_sample": shift_sample, "next_mistake": next_mistake}
KEEPS_SCORES = frozenset(COMMANDS)  # each only picks the digit shown
