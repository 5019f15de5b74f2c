"""The attention kind's registry entry: a character transformer on the sequence kinds'
data and run (it differs in its model, settings, probes, commands and screen)."""

from __future__ import annotations

from nn_tui.settings import ConfigError
from nn_tui.data.text import FluentStories
from nn_tui.engine.transformer import CharTransformer
from nn_tui.kinds.attention import commands as attention_commands
from nn_tui.kinds.attention import model_file as attention_file
from nn_tui.kinds.attention import probes as attention_probes
from nn_tui.kinds.attention import spec as attention_spec
from nn_tui.kinds.attention.train import AttentionTrainer
from nn_tui.kinds.sequence import build as sequence_build
from nn_tui.kinds.sequence.kind import SequenceKind


class AttentionRun(sequence_build.SequenceRun):
    resolve = staticmethod(attention_spec.resolve)
    trainer_class = AttentionTrainer

    def save(self, path) -> None:
        attention_file.save_char_transformer(self.model, self.dataset.vocab, path, self.metadata())


class AttentionKind(SequenceKind):
    name = "attention"
    summary = attention_spec.SUMMARY
    spec = attention_spec.AttentionSpec
    options = attention_spec.OPTIONS
    defaults = attention_spec.TRAIN_DEFAULTS  # measured in bench/attention_fluent.py
    commands = attention_commands.COMMANDS
    keeps_scores = attention_commands.KEEPS_SCORES
    panes = "nn_tui.kinds.attention.panes"

    def __init__(self) -> None:  # one kind, not one per cell
        pass

    def check(self, config) -> None:
        attention_spec.check(config.model)

    def build(self, config, dataset, model=None):
        source = getattr(dataset, "source", None)
        if isinstance(source, FluentStories):  # a held-out story is read whole
            longest = max(len(c.story) for c in source.test)
            if longest > config.model.context:
                raise ConfigError(f"--context {config.model.context} is shorter than the gap {source.gap} "
                                  f"stories ({longest} characters): give at least --context {longest}")
        return sequence_build.build(config, dataset, model, run_class=AttentionRun)

    def owns(self, model) -> bool:
        return isinstance(model, CharTransformer)

    def spec_for(self, model, current):
        """The file decides the sizes; the rest (gap, clip, ...) is the run's."""
        base = current if isinstance(current, attention_spec.AttentionSpec) else self.spec()
        gap = getattr(current, "gap", base.gap)  # the data already loaded (a sequence kind's) is at its gap
        return self.spec(d=model.d, heads=model.heads, blocks=model.n_blocks, context=model.context, gap=gap,
                         answer_weight=base.answer_weight, clip=base.clip, temperature=base.temperature)

    def settings(self, run) -> dict:
        s = run.settings
        return {"cell": s.cell, "d": s.d, "heads": s.heads, "blocks": s.blocks, "context": s.context, "gap": s.gap,
                "status_metrics": (("train_loss", "train loss", None), ("test_loss", "test loss", None),
                                   ("completion_accuracy", "completion", "{:.2f}"),
                                   ("answer_attention_on_country", "looks at country", "{:.2f}"),
                                   ("bits_per_char", "bits/char", "{:.3f}")),
                "status_settings": (f"lr {run.config.train.lr:g}", "cell", "optimizer")}

    def report(self, run) -> dict:
        s = run.settings
        return {"cell": s.cell, "d": s.d, "heads": s.heads, "blocks": s.blocks, "context": s.context, "gap": s.gap,
                "parameters": run.model.n_params}

    def probes(self, run) -> tuple:
        return attention_probes.probes(run)


KIND = AttentionKind()
