"""Feed a lesson's steps a scripted run of progress mappings, as the app will."""

from nn_tui.lessons import StepTracker


def walk(lesson, start, script):
    """``script``: a list of progress updates (dicts merged into the running
    progress) or the string "next" (the next-step key). Returns the step index
    after each entry."""
    progress = dict(start)
    tracker = StepTracker(lesson, progress)
    seen = []
    for entry in script:
        if entry == "next":
            tracker.next()
        else:
            progress.update(entry)
            tracker.update(progress)
        seen.append(tracker.index)
    return seen


# How a step's text names a key, besides the key itself as a word.
SPOKEN = {"space": ("Space",), "enter": ("Enter",), "tab": ("Tab",), "backspace": ("Backspace",),
          "left": ("←", "left", "arrows"), "right": ("→", "right", "arrows"), "up": ("↑", "up", "arrows"),
          "down": ("↓", "down", "arrows")}


def names(text: str, key: str) -> bool:
    """The text names ``key`` (a lesson key name: "space", "+", "]", "h", "left")."""
    import re

    for word in SPOKEN.get(key, (key,)):
        if re.search(rf"(?<![\w']){re.escape(word)}(?![\w'])", text):
            return True
    return False
