"""Run -> the DQN's views, every frame: one pass of the shown network over the 100
cells and value iteration's answer (cached until the world or γ changes)."""

from __future__ import annotations

from nn_tui.kinds.dqn.views import GridView


def probes(run) -> tuple:
    agent = run.agent
    q_star, optimal = run.exact()
    return (GridView(cells=agent.world.cells, rewards=agent.world.rewards, q=agent.q_table(), q_star=q_star,
                     optimal=optimal, agent=agent.cell, episode_steps=agent.episode_steps,
                     episode_return=agent.episode_return),)
