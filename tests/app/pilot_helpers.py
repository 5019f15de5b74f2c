"""What the Pilot tests of the app share: waiting for a condition, reading the status line."""


async def wait_for(pilot, condition, seconds: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``seconds`` (only a slow
    machine's margin: a condition that can never hold fails the test)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


def status(app) -> str:
    """What the status line shows, as plain text."""
    return app.query_one("#status").render().plain
