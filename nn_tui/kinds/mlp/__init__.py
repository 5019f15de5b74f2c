"""The multi-layer network on tables, the plane and the digits: the playground's kind.

kind.py holds its registry entry (`KIND`), imported when the kind is first used;
spec.py its settings, options and the one line --help shows (read at every launch).
"""
