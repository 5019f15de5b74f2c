"""A convolutional network on images (the digits): conv → pool stages, dense layers, softmax.

kind.py holds its registry entry (`KIND`), imported when the kind is first used;
spec.py its settings, options and the one line --help shows (read at every launch).
"""
