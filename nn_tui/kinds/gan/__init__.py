"""GANs: a generator against a discriminator on 2-D distributions (GAN Lab's ideas).

`nn-tui train --model gan --dataset two-gaussians --json` trains and reports d_loss,
g_loss, js_divergence, kl_divergence (and modes_covered for ring and grid);
`nn-tui --model gan --dataset ring` opens its screen (panes.py). model_file.py writes and
reads its model file (both networks, the averaged generator); build.py's GanRun keeps
the state a resumed run needs.

kind.py holds its registry entry (`KIND`), imported when the kind is first used;
spec.py its settings, options and the one line --help shows (read at every launch).
"""
