"""Rosenblatt's perceptron: a threshold unit and its learning rule, on two classes.

kind.py holds its registry entry (`KIND`), imported when the kind is first used;
spec.py its settings, options and the one line --help shows (read at every launch).
"""
