"""AlexNet's training, counted from its paper, and what it would take at a given rate.

The facts are the paper's (Krizhevsky, Sutskever & Hinton, "ImageNet Classification
with Deep Convolutional Neural Networks", NIPS 2012): about 1.2 million training
images, "roughly 90 cycles through the training set", "five to six days on two
NVIDIA GTX 580 3GB GPUs", 15.3 % top-5 test error; and its layers (section 3.5,
figure 2), from which the multiply-adds of one forward pass are counted below. The
paper gives no operation count itself. Two assumptions, said wherever the estimate
is shown: the backward pass costs about twice the forward (so a training pass is
about 3 x the forward's work, the usual rule of thumb), and the convolutions would
run at the measured dense-layer rate (a generous one: convolutions reach it only
when written as large matrix products).
"""

from __future__ import annotations

TRAINING_IMAGES = 1_200_000
EPOCHS = 90
PAPER_DAYS = (5, 6)
GPUS = "two GTX 580"
TOP5_ERROR = 0.153
TRAINING_PER_FORWARD = 3  # forward + backward, the backward about twice the forward (an assumption)
SECONDS_A_DAY = 86_400

# (name, output side, output channels, multiply-adds per output value): each convolution's
# kernel size times its input channels (the paper's 5x5x48 and 3x3x192 kernels see half
# the channels: the network was split over its two GPUs), each dense layer's inputs.
LAYERS = (
    ("conv1", 55, 96, 11 * 11 * 3),
    ("conv2", 27, 256, 5 * 5 * 48),
    ("conv3", 13, 384, 3 * 3 * 256),
    ("conv4", 13, 384, 3 * 3 * 192),
    ("conv5", 13, 256, 3 * 3 * 192),
    ("fc6", 1, 4096, 6 * 6 * 256),
    ("fc7", 1, 4096, 4096),
    ("fc8", 1, 1000, 4096),
)
# Others count the same: 666 million multiply-adds in the convolutions per 227x227 image
# (Chen et al., "Eyeriss", ISSCC 2016), 724 million with the dense layers (Sze et al.,
# "Efficient Processing of Deep Neural Networks", Proc. IEEE 2017). A claim checks ours.
CITED_CONVOLUTION_MULTIPLY_ADDS = 666e6
CITED_MULTIPLY_ADDS = 724e6


def forward_multiply_adds() -> int:
    """Multiply-adds of one image's forward pass (the convolutions and dense layers;
    pooling, normalisation and activations are a few per value and not counted)."""
    return sum(side * side * channels * per_value for _, side, channels, per_value in LAYERS)


def convolution_multiply_adds() -> int:
    return sum(side * side * channels * per_value for name, side, channels, per_value in LAYERS
               if name.startswith("conv"))


def training_operations() -> float:
    """Floating-point operations of the paper's whole training run: 2 per multiply-add,
    3 x the forward pass per image, 1.2 M images, 90 epochs."""
    return 2 * forward_multiply_adds() * TRAINING_PER_FORWARD * TRAINING_IMAGES * EPOCHS


def days_at(rate: float) -> float:
    """Days the paper's training would take at ``rate`` operations a second."""
    return training_operations() / rate / SECONDS_A_DAY


def paper_rate() -> tuple[float, float]:
    """The sustained rate the paper's figures imply for its two GPUs together (six days, five days)."""
    return tuple(training_operations() / (days * SECONDS_A_DAY) for days in sorted(PAPER_DAYS, reverse=True))


def duration(days: float) -> str:
    """"49 days", "5.3 years": a long time in words."""
    if days >= 730:
        return f"{days / 365.25:.1f} years"
    if days >= 2:
        return f"{days:,.0f} days"
    return f"{days * 24:.0f} hours"
