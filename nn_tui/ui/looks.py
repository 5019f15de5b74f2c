"""Themes and colour modes, and the loss plot's axes: screen actions and the glue that
makes a theme change reach the widgets that paint their own colours.

Textual's theme switcher (Ctrl+P, "Change theme") restyles every CSS-coloured pane by
itself; the heatmaps, the topology and the plot paint from `nn_tui.ui.palette`, so on
every theme change `apply_scheme` picks the palette's scheme — light or dark, truecolor,
the 16 ANSI colours (an `ansi-*` theme or a 16-colour terminal: maps in shading
characters), or NO_COLOR (shading alone) — and has them draw again.
"""

from __future__ import annotations

from textual.color import Color

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import FramedLines

# What the theme key steps through: dark, light, and 16 colours (maps in shading characters).
THEME_CYCLE = ("textual-dark", "textual-light", "ansi-dark")


def colour_mode(app) -> str:
    """"mono" under NO_COLOR, "ansi" for an ANSI theme or a 16-colour terminal (TERM=xterm,
    screen), else "rgb". A headless app (tests) has no terminal to be limited by."""
    if getattr(app, "no_color", False):
        return "mono"
    sixteen = not app.is_headless and app.console.color_system in ("standard", "windows")
    if app.current_theme.name.startswith("ansi") or sixteen:
        return "ansi"
    return "rgb"


def apply_scheme(app) -> None:
    """Give the palette the app's theme and colour mode; widgets draw again if it changed."""
    theme = app.current_theme
    background = None
    if theme.background and not theme.dark:  # see palette._BACKGROUND
        background = Color.parse(theme.background).rgb
    if palette.set_scheme(light=not theme.dark, mode=colour_mode(app), background=background):
        repaint(app)


def repaint(app) -> None:
    """Every self-painting widget draws anew (its cached lines hold the old styles)."""
    # Start-up time: plotext is imported with the first screen that plots.
    from nn_tui.ui.widgets.plotext_view import PlotextView

    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, FramedLines):
                widget._lines.clear()
                widget._redraw()
            elif isinstance(widget, PlotextView):
                widget.rebuild(force=True)


def next_theme(screen) -> None:
    app = screen.app
    current = app.theme if app.theme in THEME_CYCLE else THEME_CYCLE[-1]
    app.theme = THEME_CYCLE[(THEME_CYCLE.index(current) + 1) % len(THEME_CYCLE)]
    mode = {"rgb": "", "ansi": ", 16 colours: maps in shading characters",
            "mono": ", NO_COLOR: maps in shading characters"}[colour_mode(app)]
    app.notify(f"theme {app.theme}{mode} (Ctrl+P → Change theme for every theme)", markup=False)


def _loss_plots(screen):
    from nn_tui.ui.widgets.loss_plot import LossPlot  # start-up time: plotext, with the first plot

    return list(screen.query(LossPlot))


def toggle_log_scale(screen) -> None:
    plots = _loss_plots(screen)
    for plot in plots:
        plot.log_scale = not plot.log_scale
    if plots:
        screen.app.notify(f"loss plot: {'log' if plots[0].log_scale else 'linear'} scale")


def toggle_steps(screen) -> None:
    plots = _loss_plots(screen)
    for plot in plots:
        plot.by_step = not plot.by_step
    if plots:
        screen.app.notify(f"loss plot: against {'steps' if plots[0].by_step else 'epochs'}")


ACTIONS = {
    "next_theme": next_theme,
    "loss_log_scale": toggle_log_scale,
    "loss_steps": toggle_steps,
}
