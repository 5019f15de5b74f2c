"""Character models with a recurrent layer: the rnn, lstm and gru kinds.

    model.py    embedding -> RNN | LSTM | GRU -> softmax at every step (CharModel)
    train.py    truncated BPTT with Adam and clipping; the fluent curriculum (SequenceTrainer)
    metrics.py  test_loss, bits_per_char, completion_accuracy
    spec.py     settings and command-line options shared by the three kinds
    build.py    config + data -> a Run for the session and `nn-tui train` (its state for resuming)
    model_file.py  the model file: the layers' arrays and the vocabulary
    kind.py     the registry entries (rnn.py, lstm.py, gru.py hold one each)

    probes.py   the state over a held-out text, a free sample, the gap chart (views.py)
    commands.py complete a prompt, switch the cell, change the gap, show another story
    panes.py    the screen (UI only; its widgets are nn_tui/ui/widgets/sequence_*.py)
"""
