"""The sparse lesson: pruning and cutting, and claims that fail when they should."""

import copy

import numpy as np

from nn_tui.engine import Network
from nn_tui.lessons import sparse
from lesson_walk import walk


def test_steps_from_dense_to_l1():
    seen = walk(sparse.LESSON, {"test_accuracy": 0.1, "connections": 2368, "prune_rounds": 0, "reg": "none",
                                "zero_weights": 0.0}, [
        {"test_accuracy": 0.96},
        {"connections": 2367},
        {"prune_rounds": 2}, {"prune_rounds": 3},
        {"reg": "l1", "zero_weights": 0.1}, {"zero_weights": 0.35},
        "next",
    ])
    assert seen == [1, 2, 2, 3, 3, 4, 5]


def test_pruning_keeps_each_layers_largest_weights():
    net = Network.mlp(4, [3], 2, seed=0)
    before = [np.abs(layer.params["W"]).copy() for layer in net.layers]
    sparse.prune_smallest(net, 0.5)
    assert sparse.connections(net) == 6 + 3  # half of 12, half of 6
    for layer, magnitude in zip(net.layers, before):
        kept = layer.mask.astype(bool)
        assert magnitude[kept].min() >= magnitude[~kept].max()
        assert np.all(layer.params["W"][~kept] == 0)


def test_a_random_cut_keeps_as_many_connections():
    net = Network.mlp(4, [3], 2, seed=0)
    assert sparse.connections(sparse.cut_at_random(copy.deepcopy(net), 0.5)) == 9


def test_claims_fail_when_pruned_too_far_or_not_far_enough():
    assert not sparse.pruning_keeps_accuracy(keep=0.05).holds
    assert not sparse.too_few_connections_fail(keep=0.5).holds


def test_the_l1_claim_fails_without_l1():
    result = sparse.l1_switches_links_off(settings={**sparse.L1, "reg_rate": 0.0})
    assert not result.holds and result.value["zero_weights"] < 0.01


def test_the_pruned_network_keeps_its_accuracy_with_room_to_spare():
    # Issue 17: the claim says "within 2 pp"; it must hold at half that on the verified seed,
    # or another machine's last digits can tip it (10 retraining epochs left 1.12 pp).
    assert sparse.pruning_keeps_accuracy(within=0.01).holds
