"""The numbers the engine issue promises, measured by training for real (headless, seeded).

Each run is the `nn-tui train` a user would type; the thresholds are accuracy and loss,
never time.
"""

import json
from pathlib import Path

import pytest

from nn_tui.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "assets" / "data"


def train(capsys, *args: str) -> dict:
    assert main(["train", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    "args, accuracy",
    [
        (("--dataset", "circle", "--layers", "4,2", "--epochs", "300"), 0.95),
        (("--dataset", "xor", "--layers", "8", "--epochs", "300"), 0.95),
        (("--dataset", "spiral", "--layers", "8,8,8", "--activation", "tanh", "--optimizer", "adam",
          "--lr", "0.01", "--epochs", "1500"), 0.9),
        (("--dataset", "digits", "--layers", "64", "--activation", "relu", "--optimizer", "adam",
          "--lr", "0.001", "--batch-size", "32", "--epochs", "40"), 0.96),
        (("--data", str(EXAMPLES / "titanic.csv"), "--target", "survived", "--drop", "alive",
          "--layers", "8", "--optimizer", "adam", "--lr", "0.003", "--epochs", "30"), 0.76),
        (("--data", str(EXAMPLES / "penguins.csv"), "--target", "species", "--layers", "8",
          "--optimizer", "adam", "--lr", "0.01", "--epochs", "30"), 0.95),
    ],
    ids=["circle", "xor", "spiral", "digits", "titanic", "penguins"],
)
def test_reaches_the_promised_test_accuracy(capsys, args, accuracy):
    report = train(capsys, *args)
    assert report["test_accuracy"] >= accuracy, report


def test_sine_is_approximated(capsys):
    report = train(capsys, "--dataset", "sine", "--layers", "16,16", "--activation", "tanh", "--epochs", "200")
    assert report["test_loss"] < 0.01, report


def test_perceptron_learns_a_line_but_not_xor(capsys):
    """Minsky and Papert's point, reproduced: the first AI winter."""
    gauss = train(capsys, "--dataset", "gauss", "--model", "perceptron", "--epochs", "20")
    xor = train(capsys, "--dataset", "xor", "--model", "perceptron", "--epochs", "100")
    assert gauss["test_accuracy"] >= 0.95
    assert xor["test_accuracy"] <= 0.8
