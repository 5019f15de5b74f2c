"""The rnn lesson: its steps, the hidden state over the characters, and a claim that fails on a run too short."""

from nn_tui.lessons import rnn
from lesson_walk import walk


def test_steps_follow_the_rnn_without_a_gap_then_with_one_then_the_lstm():
    seen = walk(rnn.LESSON, {"step": 0, "run": "rnn_no_gap"}, [
        {"step": 199},
        {"step": 200, "completion_accuracy": 0.1},
        {"step": 800, "completion_accuracy": 0.81},       # step 3: press 2 for the gap
        {"step": 1400, "completion_accuracy": 0.9},       # still the run without a gap
        {"run": "rnn", "step": 0, "completion_accuracy": 0.06},  # the gap run starts afresh
        {"step": 599},
        {"step": 600, "completion_accuracy": 0.06},       # step 4: the LSTM
        {"step": 900, "completion_accuracy": 0.9},        # a plain RNN at 0.9 would not do it
        {"run": "lstm", "step": 0, "completion_accuracy": 0.06},
        {"step": 800, "completion_accuracy": 0.94},
        "next",
    ])
    assert seen == [0, 1, 2, 2, 2, 2, 3, 3, 3, 4, 5]


def test_the_gru_finishes_the_lstm_step_too():
    seen = walk(rnn.LESSON, {"step": 0, "run": "rnn_no_gap"}, [
        {"step": 300, "completion_accuracy": 0.9},
        {"run": "rnn", "step": 0}, {"step": 600, "completion_accuracy": 0.06},
        {"run": "gru", "step": 0}, {"step": 500, "completion_accuracy": 0.85},
    ])
    assert seen == [2, 2, 3, 3, 4]


def test_a_few_steps_keep_nothing_and_the_hidden_state_has_one_row_per_character():
    short = rnn.keeps_the_country(steps=20)
    assert not short.holds and set(short.value) == {"lstm", "gru", "rnn"}
    assert not rnn.rnn_without_gap(steps=20).holds
    model = rnn.trained("lstm", steps=20)["model"]
    states = rnn.hidden_states(model, "I live in France.")
    assert states.shape == (len("I live in France."), model.hidden)
    assert not (states[0] == states[-1]).all()  # the state moves as characters come in


def test_the_gru_step_says_its_new_run_must_be_trained():
    # Step 5: "Press 4 for a GRU ... which does the same": 4 opens an untrained GRU (epoch 0)
    # and the step is read-only, so the learner saw noise and i completed with gibberish.
    from nn_tui.lessons.rnn import LESSON
    from tests.lessons.lesson_walk import names

    step = LESSON.steps[4]
    assert names(step.text, "4") and names(step.text, "space") and "space" in step.keys, step.text
