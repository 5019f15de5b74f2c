"""The built-in data sources by name, for every kind that trains on tables or planes.

A kind with data of its own (sequences, 2-D distributions for a GAN) overrides
`ModelKind.load_data`; the others share this.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from nn_tui.settings import ConfigError, DataConfig
from nn_tui.data import TOY_DATASETS, Dataset, load_csv, load_digits, make_toy
from nn_tui.data.curves import target_dataset
from nn_tui.data.gates import gate_dataset
from nn_tui.data.subsets import digits_share
from nn_tui.data.images import load_images

DATASETS = tuple(TOY_DATASETS) + ("digits",)
TABLE_TRAIN_RATIO = 0.75  # CSV files and the digits; the 2-D sets keep the Playground's 0.5
# Named data, "<source>:<name>": the truth tables (gates:and, gates:or, gates:xor)
# the 1-D target curves (approximation:wave, approximation:sine, ...) and a share of
# the digits' training images (digits:1%, digits:10%, ...; the same test images).
SOURCES = {"gates": gate_dataset, "approximation": target_dataset, "digits": digits_share}
# Their splits are their own (a train ratio would change nothing): why, as the settings say it.
SOURCE_SPLITS = {"gates": "the same four rows", "approximation": "drawn apart",
                 "digits": "a share of the digits' split"}


def _from_source(name: str, seed: int) -> Dataset:
    source, _, item = name.partition(":")
    try:
        dataset = SOURCES[source](item, seed=seed)
    except (KeyError, TypeError):
        raise ConfigError(f"unknown data set {name!r}") from None
    return dataclasses.replace(dataset, own_split=dataset.own_split or SOURCE_SPLITS[source])


TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def is_image_data(data: DataConfig) -> bool:
    """Does --data name images (an IDX file, a folder of pictures, an .npz) rather than a CSV?
    Read from the path alone: IDX files carry no telling suffix, but their names do."""
    if data.data is None:
        return False
    path = Path(data.data)
    name, suffix = path.name.lower(), path.suffix.lower()
    if suffix in TEXT_SUFFIXES:  # "sales_idx.csv" is a table
        return False
    return (suffix == ".npz" or path.is_dir() or "idx" in name or "ubyte" in name
            or any(value is not None for value in (data.labels, data.test_data, data.test_labels, data.image_size)))


def load_data(data: DataConfig, seed: int) -> Dataset:
    """The data set `data` names, split with `seed`."""
    if is_image_data(data):
        if data.target or data.drop:
            raise ConfigError(f"{data.data}: --target and --drop are for CSV files; images carry their labels")
        kwargs = {} if data.train_ratio is None else {"train_ratio": data.train_ratio}
        return load_images(data.data, labels=data.labels, test_data=data.test_data, test_labels=data.test_labels,
                           image_size=data.image_size, seed=seed, **kwargs)
    if data.data is not None:
        if Path(data.data).suffix.lower() == ".txt":
            # nn_tui.config.check names the kinds that read text; this is the last guard.
            raise ConfigError(f"{data.data}: a text file trains a character model, not this one")
        if not data.target:
            raise ConfigError("--data needs --target COLUMN (the column to predict)")
        ratio = TABLE_TRAIN_RATIO if data.train_ratio is None else data.train_ratio
        return load_csv(data.data, data.target, drop=data.drop, train_ratio=ratio, seed=seed)
    if data.dataset == "digits":
        ratio = TABLE_TRAIN_RATIO if data.train_ratio is None else data.train_ratio
        return load_digits(train_ratio=ratio, seed=seed)
    if data.dataset.partition(":")[0] in SOURCES and ":" in data.dataset:
        return _from_source(data.dataset, seed)
    if data.dataset not in TOY_DATASETS:
        raise ConfigError(f"unknown data set {data.dataset!r}; choose one of: {', '.join(DATASETS)}")
    return make_toy(data.dataset, samples=data.samples, noise=data.noise, train_ratio=data.train_ratio, seed=seed)
