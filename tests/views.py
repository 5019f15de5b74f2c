"""Shortcuts to a snapshot's views in tests."""

from nn_tui.views import NetworkView, PlaneView


def net(snapshot) -> NetworkView:
    view = snapshot.view(NetworkView)
    assert view is not None, "the snapshot shows no network"
    return view


def plane(snapshot) -> PlaneView | None:
    return snapshot.view(PlaneView)
