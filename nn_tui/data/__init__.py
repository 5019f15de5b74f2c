"""Data sets: the 2-D playground sets, 1-D regression, digits, CSV files, images (IDX
files such as MNIST, .npz arrays, folders of pictures), and the real 2-D distributions
a GAN learns.

Imports numpy and the standard library only (a folder of pictures is decoded with
Pillow, an optional extra imported only when such a folder is read).
"""

from nn_tui.data.dataset import BINARY, MULTICLASS, REGRESSION, Dataset, DataError
from nn_tui.data.toy import TOY_DATASETS, make_toy
from nn_tui.data.features import FEATURES, FEATURE_LABELS, expand_features
from nn_tui.data.digits import load_digits
from nn_tui.data.csv_loader import load_csv
from nn_tui.data.idx_sets import load_idx
from nn_tui.data.image_folder import load_image_folder
from nn_tui.data.npz_loader import load_npz
from nn_tui.data.images import load_images
from nn_tui.data.distributions import DISTRIBUTIONS, NOISE_KINDS, Distribution, make_distribution, sample_noise
from nn_tui.data.text import CharVocab, FluentStories, TextCorpus, load_text

__all__ = [
    "BINARY",
    "MULTICLASS",
    "REGRESSION",
    "Dataset",
    "DataError",
    "TOY_DATASETS",
    "make_toy",
    "FEATURES",
    "FEATURE_LABELS",
    "expand_features",
    "load_digits",
    "load_csv",
    "load_idx",
    "load_image_folder",
    "load_npz",
    "load_images",
    "DISTRIBUTIONS",
    "NOISE_KINDS",
    "Distribution",
    "make_distribution",
    "sample_noise",
    "CharVocab",
    "FluentStories",
    "TextCorpus",
    "load_text",
]
