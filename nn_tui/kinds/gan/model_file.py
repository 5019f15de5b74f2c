"""A GAN's file: both networks (and the averaged generator, when the spec keeps one) in
the engine's model file (`.npz` of plain arrays, JSON meta, never pickle;
nn_tui/engine/model_file.py).

meta: {"kind": "gan", "spec": the GanSpec's fields, "distribution", "dtype"} plus the
run's metadata; entries G.{i}.W, G.{i}.b, D.{i}.W, D.{i}.b and, with g_average > 0,
G_average.{i}.W, G_average.{i}.b for each dense layer i.
"""

from __future__ import annotations

from dataclasses import fields

from nn_tui.data.distributions import DISTRIBUTIONS
from nn_tui.engine.model_file import ModelFileError, register_file_kind, write_named_arrays
from nn_tui.kinds.gan.model import POINT_DIM, Gan
from nn_tui.kinds.gan.spec import GanSpec, check_spec

FILE_KIND = "gan"


def _networks(gan: Gan) -> dict:
    networks = {"G": gan.G, "D": gan.D}
    if gan.G_shown is not gan.G:
        networks["G_average"] = gan.G_shown
    return networks


def save_gan(gan: Gan, path, metadata: dict) -> None:
    description = {"spec": gan.spec.as_dict(), "distribution": gan.distribution.name, "dtype": gan.G.dtype.name}
    arrays = {f"{name}.{i}.{key}": value for name, net in _networks(gan).items()
              for i, layer in enumerate(net.layers) for key, value in layer.params.items()}
    write_named_arrays(path, FILE_KIND, description, arrays, metadata)


def spec_from_json(values) -> GanSpec:
    """A checked GanSpec from its JSON fields (ModelFileError, one line, if it is not one)."""
    if not isinstance(values, dict):
        raise ModelFileError("spec must be a JSON object of the GAN's settings")
    names = {f.name for f in fields(GanSpec)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ModelFileError(f"spec has settings this nn-tui does not know: {', '.join(unknown)}")
    if values.get("kind", "gan") != "gan":
        raise ModelFileError(f"spec is of kind {values.get('kind')!r}, not gan")
    spec = GanSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
    try:
        check_spec(spec)
    except ValueError as error:
        raise ModelFileError(f"spec: {error}") from None
    return spec


def _shapes(name, sizes) -> dict:
    return {f"{name}.{i}.{key}": shape for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]))
            for key, shape in (("W", (n_in, n_out)), ("b", (n_out,)))}


def array_shapes(meta) -> dict:
    spec = spec_from_json(meta.get("spec"))
    if meta.get("distribution") not in DISTRIBUTIONS:
        raise ModelFileError(f"unknown distribution {meta.get('distribution')!r}")
    g_sizes = (spec.noise_dim, *spec.g_layers, POINT_DIM)
    shapes = {**_shapes("G", g_sizes), **_shapes("D", (POINT_DIM, *spec.d_layers, 1))}
    if spec.g_average > 0:
        shapes.update(_shapes("G_average", g_sizes))
    return shapes


def build(description, arrays, metadata) -> Gan:
    gan = Gan(spec_from_json(description["spec"]), description["distribution"], dtype=description["dtype"])
    for name, net in _networks(gan).items():
        for i, layer in enumerate(net.layers):
            for key in layer.params:
                layer.params[key] = arrays[f"{name}.{i}.{key}"]
    gan.metadata = metadata
    return gan


register_file_kind(FILE_KIND, array_shapes, build)
