"""`python -m nn_tui` behaves like the `nn-tui` command."""

from nn_tui.cli import main

if __name__ == "__main__":  # not when the training process (spawned) imports this module
    raise SystemExit(main())
