"""The tabular lesson: permutation importance, and claims that fail when they should."""

import numpy as np

from nn_tui.engine import Network
from nn_tui.lessons import tabular
from nn_tui.kinds.importance import column_groups, permutation_importance, source_column
from lesson_walk import walk


def test_steps_from_training_to_the_importance_bars():
    seen = walk(tabular.LESSON, {"epoch": 0, "test_accuracy": 0.4, "importance_shown": 0}, [
        {"epoch": 10, "test_accuracy": 0.7},
        {"test_accuracy": 0.8},               # 75 % passed, but step 2 asks for 40 more epochs
        {"epoch": 50, "test_accuracy": 0.79},
        {"importance_shown": 1},
        "next", "next",
    ])
    assert seen == [1, 1, 2, 3, 4, 5]


def test_encoded_inputs_go_back_to_their_columns():
    assert source_column("sex=male") == "sex" and source_column("age_missing") == "age"
    assert source_column("fare") == "fare"
    groups = column_groups(("age", "age_missing", "embarked=C", "embarked=S", "embark_town=Cherbourg"),
                           {"embarked": "port", "embark_town": "port"})
    assert groups == {"age": [0, 1], "port": [2, 3, 4]}


def test_permutation_importance_sees_only_the_input_that_matters():
    # A network that reads input 0 only: shuffling input 1 costs nothing.
    net = Network.mlp(2, [], 1, seed=0)
    net.layers[0].params["W"] = np.array([[10.0], [0.0]])
    X = np.array([[-1.0, 5.0], [1.0, -5.0]] * 20)
    Y = (X[:, :1] > 0).astype(float)
    scores = permutation_importance(net, X, Y, {"a": [0], "b": [1]}, repeats=10)
    assert scores["b"] == 0.0 and scores["a"] > 0.3


def test_claims_fail_when_they_should():
    assert not tabular.learns_survival(epochs=0).holds
    # Sex on its own predicts survival far better than guessing: the "alone is weak" claim must say no.
    result = tabular.port_alone_is_weak(columns=tabular.SEX)
    assert not result.holds and result.value["alone"] > result.value["always_died"] + 0.1
    # The measured gap without the port is about half a point: a claim of "within 0.1 pp" is false.
    assert not tabular.port_not_needed(within=0.001).holds
    assert not tabular.uses_port_a_little(above=0.05).holds
    assert not tabular.leans_on_sex_most(at_least_drop=0.5).holds
