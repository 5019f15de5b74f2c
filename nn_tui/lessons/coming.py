"""Lessons 9-12: listed now, filled when their model kinds land. No steps, no claims yet."""

from __future__ import annotations

from nn_tui.lessons.lesson import Lesson

COMING = (
    Lesson(name="cnn", title="Convolutional networks: local patterns, few weights",
           summary="Why a dense layer on a full-HD image needs 2,073,600 inputs; filters and feature maps on the digits.",
           available=False, needs="cnn"),
    Lesson(name="rnn", title="Recurrent networks: keeping context",
           summary="'I live in France. I speak fluent ___': a plain RNN against an LSTM and a GRU as the gap grows.",
           available=False, needs="rnn"),
    Lesson(name="autoencoder", title="Autoencoders: squeeze and rebuild",
           summary="Digits through a narrow middle: denoising, and the 2-D code map.",
           available=False, needs="autoencoder"),
    Lesson(name="gan", title="Generative adversarial networks: a forger and a detective",
           summary="A generator against a discriminator on 2-D data; the divergence falling, mode collapse.",
           available=False, needs="gan"),
)
