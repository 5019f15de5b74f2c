"""`python -m nn_tui` behaves like the `nn-tui` command."""

from nn_tui.cli import main

raise SystemExit(main())
