"""What the image screens' probes cost the training process: epochs/s of a Session that
publishes (and pickles, as for the pipe) ten snapshots a second, against the headless
loop (run_epoch + scores), for the CNN and the autoencoder of issue 8's screens.

    python3 bench/image_screens_overhead.py [seconds]
"""

import os
import pickle
import sys
import threading
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the CLI pins it
os.environ.setdefault("OMP_NUM_THREADS", "1")

from nn_tui.config import RunConfig  # noqa: E402
from nn_tui.session import Session  # noqa: E402

CONFIGS = {
    "cnn 16,32 / 64": dict(dataset="digits", model="cnn", conv=(16, 32), layers=(64,), activation="relu"),
    "autoencoder 32,2": dict(dataset="digits", model="autoencoder", layers=(32, 2), activation="relu"),
}


def headless(config: dict, seconds: float) -> float:
    run = Session(RunConfig.of(**config)).training_run
    start, epochs = time.process_time(), 0
    while time.process_time() - start < seconds:
        run.run_epoch()
        run.scores()
        epochs += 1
    return epochs / (time.process_time() - start)


def live(config: dict, seconds: float) -> tuple[float, float]:
    session = Session(RunConfig.of(**config), fps=10)
    sizes = []
    session.publish_hook = lambda snapshot: sizes.append(len(pickle.dumps(snapshot)))
    session.send("play")
    thread = threading.Thread(target=session.run)
    start = time.process_time()
    thread.start()
    time.sleep(seconds)
    session.stop()
    thread.join()
    elapsed = time.process_time() - start  # CPU time: the machine is shared
    return session.snapshot.epoch / elapsed, sum(sizes) / max(len(sizes), 1)


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0
    for name, config in CONFIGS.items():
        plain = headless(config, seconds)
        with_probes, size = live(config, seconds)
        print(f"{name}: headless {plain:.2f} epochs/CPU-s, session publishing 10/s {with_probes:.2f} "
              f"({with_probes / plain:.2f}x), snapshot {size / 1024:.1f} KB pickled")
