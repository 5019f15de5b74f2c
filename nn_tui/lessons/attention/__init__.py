"""Lesson 11: attention: "I live in France. … I speak fluent ___", looked up, not remembered.

The LSTM must carry the country through every character in between; attention lets the
position that names the language look straight back at it. The claims train the kinds'
own trainers (nn_tui/kinds/sequence/train.py, nn_tui/kinds/attention/train.py), the
LSTM in a shorter run than its defaults, so that --verify stays under 2 minutes of CPU
(measured: 88 s user + 7 s system, seed 0, at load 13-16; 64 s of it the two LSTM runs):
  - the LSTM trained from scratch at one gap (the rnn lesson's 800 steps of 32 windows, but
    windows of 256 characters so that every gap-8 story fits one, and no warm-up on shorter
    gaps), at gap 0 and at gap 8: measured 1.00 (reached by step 200-300) and 0.06 (one
    language named for every story, chance 1/16), the same for seeds 0-2 and with every
    initial weight nudged by 1e-7 of itself or the stories drawn in another order
    (bench/lstm_from_scratch_results.txt), and under the LSTM's new summation order (branch
    lstmspeed-reorder) too. The cliff comes early: one filler sentence
    (~50 characters) already keeps it at chance in these 800 steps. (The claim this replaces
    read the rnn lesson's gap-2 LSTM, which warms up on shorter gaps, at gaps 4-8: its gap-8
    value ran from 0.34 to 0.90 over those seeds and nudges, 0.79 under a new LSTM summation
    order, against a bar of 0.5.)
  - the attention model at gap 8 (stories of ≤ 240 characters, context 256), its default
    960 steps (a third more than its default 720, for a margin), evaluated every 64 steps to see
    the jump: measured (batch 6) 0.04 at step 128, 0.22 at 192, 0.81 at 256, 0.99 at 960;
    seeds 1 and 2 jump from step 256 to 448 and 64 to 256, and end at 0.99 and 0.98;
  - the price: CPU time of one training step (batch 4) at T = 128 and 1,024: measured
    23-25× for attention, 8.1-8.2× for the LSTM (T grew 8×; 2026-12-07, after the attention
    step got cheaper: 20× and 7.6× before).
The screen trains at gap 3 (a 128-character context): there the attention model finds
the look-up in ~3 s of CPU (seed 0, batch 6: 0.13 at step 112, 0.61 at 176, 0.9 at 464), so a
learner sees the jump within a minute even on a loaded machine.
"""

from __future__ import annotations

import dataclasses
import time
from functools import lru_cache

import numpy as np

from nn_tui.data.text import FluentStories
from nn_tui.engine.transformer import CharTransformer
from nn_tui.kinds.attention.jump import find_jump
from nn_tui.kinds.attention.train import AttentionSettings
from nn_tui.kinds.attention.train import train as train_attention
from nn_tui.kinds.sequence.model import CharModel
from nn_tui.kinds.sequence.train import SequenceSettings, SequenceTrainer
from nn_tui.kinds.sequence.train import train as train_sequence
from nn_tui.lessons import rnn
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, equals, grew_by

FAR = 8  # filler sentences: ~200 characters between country and blank
# The LSTM's run for the claim: the rnn lesson's short run (800 steps of 32 windows), but from
# scratch at one gap (no warm-up: the kinds' curriculum on the gap is off) and in windows of 256
# characters, so that every story, even at gap 8 (<= 240 characters), fits one whole: the
# distance is the only difference between the runs compared.
FROM_SCRATCH = {"steps": rnn.SHORT["steps"], "batch": rnn.SHORT["batch"], "window": 256, "ramp": 0.0}
LEARNS, STAYS = 0.9, 0.2  # gap 0 learned (measured 1.00, by step 200), gap 8 near chance (0.06)
# More than the default's 720 (at 640, batch 8, seed 0 ended at 0.919 against the claim's 0.9:
# a narrow edge another BLAS could take away); at 960 seeds 0-2 end at 0.99 / 0.99 / 0.98.
ATTENTION_STEPS = 960
EVERY = 64  # steps between the attention run's evaluations (the jump's resolution)
JUMP_WITHIN = 3  # evaluations: a rise of 0.5 within 192 steps
LOOKS = 0.5  # issue 21's "it looks back": attention share on the country's letters
PRICE_LENGTHS = (128, 1024)
SCREEN_GAP, SCREEN_CONTEXT = 3, 128  # the screen's runs (stories of ≤ 118 characters)
# CPU ms of one training step (forward + backward, batch 4, one thread), measured with
# price_per_step() (the least of two rounds; 2-core Xeon, load ~2, 2026-12-07, after the attention
# and embedding steps got cheaper): the screen's table.
MEASURED_PRICE = ((64, 2.4, 1.7), (128, 4.9, 3.4), (256, 11.0, 7.0), (512, 34.1, 13.6), (1024, 114.3, 27.5))
# Completion at its own gap of the LSTM trained from scratch there (lstm_from_scratch), the mean of
# seeds 0-2 (bench/lstm_from_scratch_results.txt): the chart's measured lstm row, and step 2's numbers.
MEASURED_FROM_SCRATCH = {0: 1.000, 1: 0.026, 2: 0.060, 8: 0.062}


def percent(gap: int) -> str:
    return f"{100 * MEASURED_FROM_SCRATCH[gap]:.0f} %"


@lru_cache(maxsize=2)
def attention_run(gap: int = FAR, seed: int = 0, steps: int = ATTENTION_STEPS) -> dict:
    return train_attention(AttentionSettings(gap=gap, seed=seed, steps=steps, eval_every=EVERY))


@lru_cache(maxsize=4)
def lstm_from_scratch(gap: int, seed: int = 0, steps: int = FROM_SCRATCH["steps"], trainer_class=SequenceTrainer):
    """The LSTM kind's own training at one gap, from its first step (no warm-up). ``trainer_class``
    lets bench/lstm_from_scratch.py run it with the weights or the story order nudged."""
    settings = dataclasses.replace(SequenceSettings(), cell="lstm", gap=gap, seed=seed,
                                   **{**FROM_SCRATCH, "steps": steps})
    return train_sequence(settings, trainer_class=trainer_class)


def lstm_fades_with_distance(seed: int = 0, steps: int = FROM_SCRATCH["steps"], trainer_class=SequenceTrainer):
    """The same LSTM, the same training from scratch, at gap 0 and at the far gap."""
    value = {f"gap_{gap}": lstm_from_scratch(gap, seed, steps, trainer_class)["completion_accuracy"]
             for gap in (0, FAR)}
    return ClaimResult(f"the LSTM's memory fades with distance, learning to keep it first: trained from scratch "
                       f"on stories at one gap ({steps} steps of {FROM_SCRATCH['batch']} windows of "
                       f"{FROM_SCRATCH['window']} characters, no warm-up on shorter gaps), it completes at least "
                       f"{LEARNS:g} of them with nothing between the country and 'I speak fluent', and at most "
                       f"{STAYS:g} (chance 1/16) with {FAR} filler sentences (~200 characters) between", value,
                       value["gap_0"] >= LEARNS and value[f"gap_{FAR}"] <= STAYS)


def attention_jumps(seed: int = 0):
    run = attention_run(FAR, seed)
    steps = [row["step"] for row in run["history"]]
    accuracy = [row["completion_accuracy"] for row in run["history"]]
    jump = find_jump(steps, accuracy, within=JUMP_WITHIN)
    value = {"completion_by_step": dict(zip(map(str, steps), accuracy)), "final": run["completion_accuracy"],
             "jump_from_step": None if jump is None else jump.start, "jump_to_step": None if jump is None else jump.end}
    return ClaimResult(f"attention at gap {FAR} (~200 characters back): completion sits near chance, then jumps by "
                       f"at least 0.5 within {JUMP_WITHIN * EVERY} steps when the model finds the look-up, and "
                       f"ends at least 0.9 after {ATTENTION_STEPS} steps", value,
                       jump is not None and run["completion_accuracy"] >= 0.9)


def looks_at_the_country(seed: int = 0):
    run = attention_run(FAR, seed)
    value = run["answer_attention_on_country"]
    return ClaimResult(f"where it looks: from the position that names the language, the most attentive head puts "
                       f"at least {LOOKS:g} of its attention on the country's letters (France, ...), "
                       f"~200 characters back", value, value >= LOOKS)


def every_position_asks_every_earlier_one(seed: int = 0):
    model = attention_run(FAR, seed)["model"]
    stories = FluentStories(FAR)
    story = stories.test[0].story
    model.forward(stories.vocab.encode(story).reshape(1, -1))
    weights = np.stack([w[0] for w in model.attention()]).astype(np.float64)  # (blocks, heads, T, T)
    rows = weights.sum(axis=-1)
    future = np.triu(np.ones(weights.shape[-2:], dtype=bool), 1)
    value = {"largest_row_sum_error": float(np.abs(rows - 1).max()),
             "largest_weight_on_the_future": float(weights[..., future].max()),
             "positions": len(story)}
    return ClaimResult("every position asks every earlier one: each head's weights from a position share out "
                       "exactly all its attention (they sum to 1) over that position and the ones before it, and "
                       "none on later characters", value,
                       value["largest_row_sum_error"] < 1e-4 and value["largest_weight_on_the_future"] == 0.0)


def price_per_step(length: int, model, batch: int = 4, repeats: int = 5) -> float:
    """The least CPU seconds of one forward + backward over (batch, length) ids."""
    ids = np.random.default_rng(0).integers(0, model.vocab_size, size=(batch, length + 1))
    best = float("inf")
    for _ in range(repeats + 1):  # the first is a warm-up (buffers)
        start = time.process_time()
        model.forward(ids[:, :-1])
        model.loss_and_backward(ids[:, 1:])
        best = min(best, time.process_time() - start)
    return best


def attention_costs_t_squared():
    short, long = PRICE_LENGTHS
    transformer = CharTransformer(30, d=48, heads=4, blocks=2, context=long, dtype=np.float32)
    lstm = CharModel(30, cell="lstm", hidden=64, embed=16, dtype=np.float32)
    grows = {name: price_per_step(long, model) / price_per_step(short, model)
             for name, model in (("attention", transformer), ("lstm", lstm))}
    linear = long / short
    return ClaimResult(f"the price: each of T positions asks all T, so a step's work grows like T×T. From T={short} "
                       f"to T={long} ({linear:g}× longer) the attention model's training step costs at least "
                       f"{1.5 * linear:g}× the CPU time, the LSTM's (one pass along the text) at most "
                       f"{1.25 * linear:g}×", grows,
                       grows["attention"] >= 1.5 * linear and grows["lstm"] <= 1.25 * linear)


def jumped(snapshot, state) -> bool:
    """The run's completion has jumped (the screen's mark on the loss plot)."""
    history = snapshot.history
    accuracy = history.get("completion_accuracy")
    return accuracy is not None and find_jump(history.epochs, accuracy) is not None


RUN = {"dataset": "fluent", "gap": SCREEN_GAP, "seed": 0}
LESSON = Lesson(
    name="attention",
    title="Attention: looking back instead of remembering",
    summary="'I live in France. … I speak fluent ___': an LSTM carries the country, attention looks it up.",
    steps=(
        Step("'I live in France. (three sentences) I speak fluent ___.' An LSTM reads one character at a time: "
             "to fill the blank it must carry 'France' in its state through every character in between. "
             "Press Space to train one.", grew_by("step", 160), keys=("space",)),
        Step(f"Its memory fades with distance, and learning to keep it fades first. Trained from scratch at "
             f"one gap (800 steps), an LSTM completes {percent(0)} of new stories with nothing between 'France' "
             f"and 'I speak fluent', but only {percent(FAR)} (chance: 1 in 16) with eight filler sentences, ~200 "
             f"characters, between: the gradient that would teach it to hold on fades on the way back through "
             f"every character. The chart's lstm row has it (measured). Yours (bold) warms up on short gaps "
             f"first, as the rnn lesson's did: that is how an LSTM gets further. Press 2 for another way.",
             equals("run", "attention"), keys=("2",)),
        Step("Attention (Bahdanau et al. 2014; the transformer, Vaswani et al. 2017): every position asks every "
             "earlier one 'are you what I need?' and takes a mix of the answers. Nothing is carried. Train it: "
             "completion sits near chance, then jumps when a head finds the look-up: a line on the loss plot "
             "and a note under the heads say when. Train until it jumps.",
             equals("run", "attention") & equals("jumped", True), keys=("space",)),
        Step("Where it looks: the cursor sits on the space after 'I speak fluent', and the story lights the "
             "characters the chosen head reads from there: the country. ↑ ↓ pick another head (the row of "
             "small maps shows them all), ← → move the cursor, n shows another story.",
             READ_ONLY, keys=("up", "down", "left", "right", "n", "enter")),
        Step("The big map is every position (rows) asking every earlier one (columns): T × T weights for T "
             "characters. That is the price: twice the text, four times the work. The table shows a training "
             "step's CPU time against T, measured: the LSTM grows in step with T, attention faster. Press Enter "
             "to finish.", READ_ONLY, keys=("enter",)),
    ),
    claims=(lstm_fades_with_distance, attention_jumps, looks_at_the_country, every_position_asks_every_earlier_one,
            attention_costs_t_squared),
    setup={"runs": {
        # attention first: the screen's UI (the chosen head, the cursor) is the first kind's
        "attention": {"model": "attention", "context": SCREEN_CONTEXT, **RUN, "key": "2",
                      "label": f"attention, gap {SCREEN_GAP}", "pace": 2.0},
        "lstm": {"model": "lstm", **RUN, "key": "1", "label": f"LSTM, gap {SCREEN_GAP}", "pace": 4.0},
    }, "start": "lstm"},
    panes=("heads", "map", "story", "gaps", "price", "loss"),  # the free sample is the kind screen's
    left_panes=("heads", "map"),
    small_screen_leaves_out=("loss",),  # not the attention panes: an LSTM run hides them (no view)
    keys={"space": "play_pause", "r": "reset_weights", "up": "head_up", "down": "head_down",
          "left": "cursor_left", "right": "cursor_right", "n": "next_story", "i": "type_prompt",
          "enter": "next_step"},
    values={"jumped": jumped},
    screen="nn_tui.lessons.attention.screen",
)
