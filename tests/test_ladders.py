from nn_tui.ladders import BATCH_SIZES, LEARNING_RATES, NOISES, TRAIN_RATIOS, cycle, step_on


def test_steps_go_to_the_next_rung_and_stop_at_the_ends():
    assert step_on(LEARNING_RATES, 0.03, 1) == 0.1
    assert step_on(LEARNING_RATES, 0.03, -1) == 0.01
    assert step_on(LEARNING_RATES, 0.1 * 3, 1) == 1.0  # 0.30000000000000004 is on the 0.3 rung
    assert step_on(LEARNING_RATES, 10.0, 1) == 10.0 and step_on(LEARNING_RATES, 0.00001, -1) == 0.00001
    assert step_on(BATCH_SIZES, 12, 1) == 16 and step_on(BATCH_SIZES, 12, -1) == 10  # off the ladder
    assert step_on(NOISES, 0.0, 1) == 0.05 and step_on(NOISES, 0.5, 1) == 0.5
    assert step_on(TRAIN_RATIOS, 0.75, 1) == 0.8 and step_on(TRAIN_RATIOS, 0.5, -1) == 0.4


def test_cycle_wraps_and_starts_over_from_an_unknown_value():
    assert cycle(("a", "b", "c"), "c") == "a"
    assert cycle(("a", "b", "c"), "a", -1) == "c"
    assert cycle(("a", "b"), "z") == "a"
