"""The attention kind: a tiny causal transformer over characters (issue 21).

    train.py       settings and trainer (the sequence kinds' trainer with a CharTransformer)
    metrics.py     answer_attention_on_country; text loss in windows of the context
    spec.py        settings and command-line options (--d, --heads, --blocks, --context, ...)
    model_file.py  the model file: the transformer's arrays and the vocabulary
    probes.py      every head's T × T map over a held-out story (views.py: AttentionView)
    commands.py    the sequence kinds' commands and the sample's temperature (t / T)
    jump.py        find_jump: when completion leapt from near chance (the screen and the lesson)
    panes.py       its screen (imported only by the UI; widgets in ui/widgets/attention_views.py)
    kind.py        the registry entry, `KIND` (the run and data are the sequence kinds'), imported
                   when the kind is first used; spec.py is what every launch reads

The engine side is nn_tui/engine/transformer.py.
"""
