"""The selected neuron: what it computes, its bias and every incoming weight."""

from __future__ import annotations

from rich.text import Text

from nn_tui.views import NetworkView
from nn_tui.ui.key_hints import key_hint
from nn_tui.ui.widgets.text_pane import TextPane


def describe_neuron(snapshot: NetworkView, layer: int, neuron: int, max_weights: int = 16, hints: str = "") -> Text:
    """``hints``: the keys that select and edit on this screen (``key_hints``), "" for none."""
    text = Text()
    if layer == 0:
        label = snapshot.input_labels[neuron] if neuron < len(snapshot.input_labels) else f"input {neuron + 1}"
        text.append(f"input {label}", style="bold")
        if hints:
            text.append(f"  {hints}", style="dim")
        return text
    is_output = layer == len(snapshot.sizes) - 1
    activation = snapshot.output_activation if is_output else snapshot.activation
    name = "output" if is_output else f"layer {layer}"
    text.append(f"{name} · neuron {neuron + 1} ({activation})", style="bold")
    bias = float(snapshot.biases[layer - 1][neuron])
    text.append(f"  bias {bias:+.3f}")
    weights = snapshot.weights[layer - 1][:, neuron]
    mask = snapshot.masks[layer - 1]
    sources = snapshot.input_labels if layer == 1 else [f"h{layer - 1}.{i + 1}" for i in range(len(weights))]
    text.append("  w:", style="dim")
    for index, weight in enumerate(weights[:max_weights]):
        if mask is not None and not mask[index, neuron]:
            continue
        style = "#0877bd" if weight >= 0 else "#f59322"
        text.append(f" {sources[index]}", style="dim")
        text.append(f"{weight:+.2f} ", style=style)
    if len(weights) > max_weights:
        text.append(f" … {len(weights) - max_weights} more (e)", style="dim")
    return text


class NeuronPanel(TextPane):
    """Its weights change with every frame while training; its height only when the
    number of lines does (TextPane lays the screen out again only then)."""

    DEFAULT_CSS = """
    NeuronPanel { height: auto; width: 1fr; }
    """

    def update_selection(self, snapshot: NetworkView, layer: int, neuron: int) -> None:
        hints = " · ".join(hint for hint in (
            key_hint(self, "select a neuron", "Select left", "Select right", "Select up", "Select down"),
            key_hint(self, "edit its weights", "Edit weights")) if hint)
        self.show(lambda width: describe_neuron(snapshot, layer, neuron, hints=hints))
