"""Screen actions every kind's screen has (files, looks): action name -> fn(screen, *args).

A controls row with `action=NAME` runs the kind's UI object's method of that name if
it has one, else the function here, else the screen's `do_NAME`.
"""

from __future__ import annotations

from nn_tui.ui import exports, looks

SCREEN_ACTIONS = {**exports.ACTIONS, **looks.ACTIONS}
