"""The progress mapping a lesson's ``done`` checks read, made from a snapshot.

    progress = progress_from_snapshot(snapshot, lesson_values)

Read from the snapshot's header by attribute, so this module does not depend on
the snapshot's class: every setting ("lr", "reg", ...), then every metric
("test_accuracy", "train_loss", ...), then "epoch", "step", "status" and
"kind". ``extra`` adds the lesson's own values (its ``Lesson.values``: what the
views or the lesson screen's state say) and wins on a clash.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HEADER = ("epoch", "step", "status", "kind")


def progress_from_snapshot(snapshot: Any, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    progress: dict[str, Any] = {}
    progress.update(getattr(snapshot, "settings", None) or {})
    progress.update(getattr(snapshot, "metrics", None) or {})
    for name in HEADER:
        if hasattr(snapshot, name):
            progress[name] = getattr(snapshot, name)
    progress.update(extra or {})
    return progress
