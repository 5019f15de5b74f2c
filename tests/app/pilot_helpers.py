"""What the Pilot tests of the app share: waiting for a condition, reading the status line."""


async def wait_for(pilot, condition, seconds: float = 120.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``seconds`` (only a slow
    machine's margin: a condition that can never hold fails the test)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def wait_until_shown(pilot, app, seconds: float = 120.0) -> None:
    """Wait until the screen on top has drawn the session's latest snapshot: its panes
    follow the session on a timer, and a fixed pause missed a frame on a loaded machine."""
    screen = app.screen
    await wait_for(pilot, lambda: screen._shown_version == app.session.snapshot.version, seconds)
    await pilot.pause()


def status(app) -> str:
    """What the status line shows, as plain text."""
    return app.query_one("#status").render().plain


async def press_at_random(pilot, rng, keys, sizes, rounds: int) -> None:
    """``rounds`` random keys, and a random terminal size every eighth (far below the
    minimum among them), as a user mashing keys while dragging the window would."""
    for round_ in range(rounds):
        await pilot.press(rng.choice(keys))
        if round_ % 8 == 0:
            await pilot.resize_terminal(*rng.choice(sizes))
        await pilot.pause(0.01)


async def back_to_the_playground(pilot, app) -> None:
    """Close whatever the keys left open (help, an editor, the palette) and restore 120×40."""
    for _ in range(4):
        if app.screen is app.playground:
            break
        await pilot.press("escape")
        await pilot.pause(0.05)
    await pilot.resize_terminal(120, 40)
