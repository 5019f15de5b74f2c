"""The characters a terminal shows for the app's screen right now (Pilot runs)."""


def screen_lines(app) -> list[str]:
    """Each row of the screen as plain text, as the compositor draws it."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def widget_text(app, widget, content: bool = True) -> str:
    """What the screen shows inside a widget's content region (or whole region, border
    and title included): its rows cut to its columns."""
    region = widget.content_region if content else widget.region
    lines = screen_lines(app)[region.y:region.bottom]
    return "\n".join(line[region.x:region.right] for line in lines)


def title_text(app, widget) -> str:
    """The widget's top border row, where its title is drawn."""
    region = widget.region
    return screen_lines(app)[region.y][region.x:region.right]


def squeezed(text: str) -> str:
    """Without spaces and line breaks: a number wrapped over two rows still reads as one."""
    return "".join(text.split())
