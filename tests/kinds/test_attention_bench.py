"""bench/attention_fluent.py runs end to end on a few steps and says whether the goal is met."""

from bench import attention_fluent


def test_the_bench_prints_a_row_per_seed_and_judges_the_goal(capsys, monkeypatch):
    monkeypatch.setattr(attention_fluent, "limit_threads", lambda threads: "test")
    code = attention_fluent.main(["--seeds", "3", "--gap", "0", "--steps", "2", "--every", "1"])
    out = capsys.readouterr().out
    assert code == 1  # two steps do not learn the look-up: the goal is missed, and said so
    row = [line for line in out.splitlines() if line.startswith("seed 3  gap 0")][0]
    for word in ("completion", "attention on country", "steps 2", "cpu", "wall", "goal MISSED"):
        assert word in row
    assert "seed 3 step     1" in out
