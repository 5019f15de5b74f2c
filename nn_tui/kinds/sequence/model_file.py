"""A character model's file: its layers' arrays and its vocabulary, in the engine's model
file (`.npz` of plain arrays, JSON meta, never pickle; nn_tui/engine/model_file.py).

meta: {"kind": "char-model", "cell", "hidden", "embed", "dtype", "chars"} plus the run's
metadata; entries: embedding.E, cell.W, cell.U, the cell's biases (cell.b, or cell.b_i
and cell.b_h for a GRU), head.W, head.b. The vocabulary is in the file so a loaded
model reads and writes the very characters it was trained on.
"""

from __future__ import annotations

from nn_tui.data.text import CharVocab
from nn_tui.engine.model_file import ModelFileError, register_file_kind, write_named_arrays
from nn_tui.engine.recurrent import RECURRENT_CELLS
from nn_tui.kinds.sequence.model import CharModel

FILE_KIND = "char-model"
PARTS = ("embedding", "cell", "head")  # CharModel.layers, in order
MAX_VOCAB = 100_000
MAX_UNITS = 100_000


def save_char_model(model: CharModel, vocab: CharVocab, path, metadata: dict) -> None:
    if vocab.size != model.vocab_size:
        raise ValueError(f"the vocabulary has {vocab.size} characters, the model {model.vocab_size}")
    description = {"cell": model.cell_name, "hidden": model.hidden, "embed": model.embed_dim,
                   "dtype": model.dtype.name, "chars": list(vocab.chars)}
    arrays = {f"{part}.{name}": value for part, layer in zip(PARTS, model.layers)
              for name, value in layer.params.items()}
    write_named_arrays(path, FILE_KIND, description, arrays, metadata)


def _count(meta, name, high):
    value = meta.get(name)
    if type(value) is not int or not 1 <= value <= high:
        raise ModelFileError(f"{name} must be an integer from 1 to {high}, not {value!r}")
    return value


def _chars(meta) -> list:
    chars = meta.get("chars")
    if (not isinstance(chars, list) or not chars or len(chars) > MAX_VOCAB
            or not all(isinstance(ch, str) and len(ch) == 1 for ch in chars)):
        raise ModelFileError("chars must be a list of single characters (the vocabulary)")
    if chars != sorted(set(chars)):
        raise ModelFileError("chars must be the vocabulary's distinct characters, sorted")
    return chars


def array_shapes(meta) -> dict:
    cell = meta.get("cell")
    if cell not in RECURRENT_CELLS:
        raise ModelFileError(f"unknown cell {cell!r} (one of {', '.join(RECURRENT_CELLS)})")
    hidden, embed = _count(meta, "hidden", MAX_UNITS), _count(meta, "embed", MAX_UNITS)
    vocab = len(_chars(meta))
    layer = RECURRENT_CELLS[cell]
    width = layer.n_gates * hidden
    return {"embedding.E": (vocab, embed), "cell.W": (embed, width), "cell.U": (hidden, width),
            **{f"cell.{name}": (width,) for name in layer.bias_names},
            "head.W": (hidden, vocab), "head.b": (vocab,)}


def build(description, arrays, metadata) -> CharModel:
    chars = description["chars"]
    model = CharModel(len(chars), cell=description["cell"], hidden=description["hidden"],
                      embed=description["embed"], dtype=description["dtype"])
    for part, layer in zip(PARTS, model.layers):
        for name in layer.params:
            layer.params[name] = arrays[f"{part}.{name}"]
    model.vocab = CharVocab(chars)
    model.metadata = metadata
    return model


register_file_kind(FILE_KIND, array_shapes, build)
