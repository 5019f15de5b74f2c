"""The attention kind: a tiny causal transformer over characters (issue 21).

    train.py       settings and trainer (the sequence kinds' trainer with a CharTransformer)
    metrics.py     answer_attention_on_country; text loss in windows of the context
    spec.py        settings and command-line options (--d, --heads, --blocks, --context, ...)
    model_file.py  the model file: the transformer's arrays and the vocabulary
    probes.py      the story coloured by where each head looks, through the sequence screen
    kind.py        the registry entry (the run, data and commands are the sequence kinds')

The engine side is nn_tui/engine/transformer.py.
"""

from nn_tui.kinds.attention.kind import AttentionKind

KIND = AttentionKind()
