"""The attention kind's model file: the transformer's arrays and its vocabulary, in the
engine's model file (`.npz` of plain arrays, JSON meta, never pickle).

meta: {"kind": "char-transformer", "d", "heads", "blocks", "context", "dtype", "chars"}
plus the run's metadata; entries: embedding.E, positions.P, block{i}.{ln1,attn,ln2,fc1,fc2}.*
for every block, final_norm.gamma/beta, head.W, head.b.
"""

from __future__ import annotations

from nn_tui.data.text import CharVocab
from nn_tui.engine.model_file import ModelFileError, register_file_kind, write_named_arrays
from nn_tui.engine.transformer import MLP_RATIO, CharTransformer
from nn_tui.kinds.sequence.model_file import MAX_UNITS, _chars, _count

FILE_KIND = "char-transformer"
BLOCK_PARTS = ("ln1", "attn", "ln2", "fc1", "fc2")  # TransformerBlock.layers, in order
MAX_BLOCKS = 64


def _entries(model):
    """(entry name, layer) for every layer of the model, in its storage order."""
    named = [("embedding", model.embedding), ("positions", model.positions)]
    for i, block in enumerate(model.blocks):
        named += [(f"block{i}.{part}", layer) for part, layer in zip(BLOCK_PARTS, block.layers)]
    return named + [("final_norm", model.final_norm), ("head", model.head)]


def save_char_transformer(model: CharTransformer, vocab: CharVocab, path, metadata: dict) -> None:
    if vocab.size != model.vocab_size:
        raise ValueError(f"the vocabulary has {vocab.size} characters, the model {model.vocab_size}")
    description = {"d": model.d, "heads": model.heads, "blocks": model.n_blocks, "context": model.context,
                   "dtype": model.dtype.name, "chars": list(vocab.chars)}
    arrays = {f"{name}.{key}": value for name, layer in _entries(model) for key, value in layer.params.items()}
    write_named_arrays(path, FILE_KIND, description, arrays, metadata)


def array_shapes(meta) -> dict:
    d, heads = _count(meta, "d", MAX_UNITS), _count(meta, "heads", MAX_UNITS)
    if d % heads:
        raise ModelFileError(f"d ({d}) must be a multiple of heads ({heads})")
    blocks, context = _count(meta, "blocks", MAX_BLOCKS), _count(meta, "context", MAX_UNITS)
    vocab, hidden = len(_chars(meta)), MLP_RATIO * d
    shapes = {"embedding.E": (vocab, d), "positions.P": (context, d)}
    for i in range(blocks):
        b = f"block{i}"
        shapes.update({f"{b}.ln1.gamma": (d,), f"{b}.ln1.beta": (d,),
                       f"{b}.attn.W_qkv": (d, 3 * d), f"{b}.attn.b_qkv": (3 * d,),
                       f"{b}.attn.W_o": (d, d), f"{b}.attn.b_o": (d,),
                       f"{b}.ln2.gamma": (d,), f"{b}.ln2.beta": (d,),
                       f"{b}.fc1.W": (d, hidden), f"{b}.fc1.b": (hidden,),
                       f"{b}.fc2.W": (hidden, d), f"{b}.fc2.b": (d,)})
    return {**shapes, "final_norm.gamma": (d,), "final_norm.beta": (d,), "head.W": (d, vocab), "head.b": (vocab,)}


def build(description, arrays, metadata) -> CharTransformer:
    chars = description["chars"]
    model = CharTransformer(len(chars), d=description["d"], heads=description["heads"],
                            blocks=description["blocks"], context=description["context"], dtype=description["dtype"])
    for name, layer in _entries(model):
        for key in layer.params:
            layer.params[key] = arrays[f"{name}.{key}"]
    model.vocab = CharVocab(chars)
    model.metadata = metadata
    return model


register_file_kind(FILE_KIND, array_shapes, build)
