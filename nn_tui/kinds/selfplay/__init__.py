"""Self-play on tic-tac-toe (AlphaGo's recipe at toy scale): a value network of the engine
learns by playing itself, with only wins, draws and losses to go on.

`nn-tui train --model selfplay --dataset tictactoe --json` trains and reports `vs_perfect`
and `vs_random` ({as_x: {win, draw, loss}, as_o: ...}) from games at the end against exact
minimax and a random player. game.py holds the rules (the agent's environment is its
data), agent.py the network's play and its TD(λ) targets, train.py the learner and the
measuring games, build.py the run.

kind.py holds its registry entry (`KIND`), imported when the kind is first used;
spec.py its settings, options and the one line --help shows (read at every launch).
"""
