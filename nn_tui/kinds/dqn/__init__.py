"""Deep Q-learning in a gridworld (REINFORCEjs's, ConvNetJS's rldemo): an engine MLP
learns the value of every move from rewards alone.

`nn-tui train --model dqn --dataset gridworld --json` trains (an epoch is one episode)
and reports mean_return, success_rate and optimal_share (the greedy policy against
value iteration's exact answer); gridworld.py is the world, agent.py the learner,
build.py the run the session and `nn-tui train` drive.

kind.py holds its registry entry (`KIND`), imported when the kind is first used;
spec.py its settings, options and the one line --help shows (read at every launch).
"""
