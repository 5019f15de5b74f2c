"""A denoising autoencoder on the digits: an MLP 64-encoder-decoder-64 that rebuilds
clean pixels from noisy ones (sigmoid output, MSE).

kind.py holds its registry entry (`KIND`), imported when the kind is first used;
spec.py its settings, options and the one line --help shows (read at every launch).
"""
