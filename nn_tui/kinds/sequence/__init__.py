"""Character models with a recurrent layer: the rnn, lstm and gru kinds.

    model.py    embedding -> RNN | LSTM | GRU -> softmax at every step (CharModel)
    train.py    truncated BPTT with Adam and clipping; the fluent curriculum (SequenceTrainer)
    metrics.py  test_loss, bits_per_char, completion_accuracy
    spec.py     settings and command-line options shared by the three kinds
    build.py    config + data -> a Run for the session and `nn-tui train`
    kind.py     the registry entries (rnn.py, lstm.py, gru.py hold one each)

The screen of issue 9 is not built yet (ModelKind.fits_view refuses the app).
"""
