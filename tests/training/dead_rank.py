"""Run by test_dead_rank.py, one process per rank:

    RANK=r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=p \\
        python tests/training/dead_rank.py TIMEOUT

Two PyTorch processes join a `gloo` group the way a user's `torchrun`
script does, through `keras_aegan.training.distribute("torch")`, and
train a DCGAN on real digits. Rank 1 dies abruptly (`os._exit`, no
cleanup) before its third batch; rank 0, inside its next all-reduce, must
fail with an error instead of waiting forever.
"""

import os
import sys

os.environ["KERAS_BACKEND"] = "torch"

import keras  # noqa: E402

from keras_aegan import datasets  # noqa: E402
from keras_aegan import models  # noqa: E402
from keras_aegan import training  # noqa: E402

DIES_AT_BATCH = 2


class DieAbruptly(keras.callbacks.Callback):
    def __init__(self, rank):
        super().__init__()
        self.rank = rank

    def on_train_batch_begin(self, batch, logs=None):
        if self.rank == 1 and batch == DIES_AT_BATCH:
            os._exit(3)


def main(timeout):
    distributed = training.distribute("torch", timeout=timeout)
    with distributed.scope:
        model = models.DCGAN(image_shape=(16, 16, 1), seed=0)
        model.compile()
    images, _ = datasets.load_arrays("mnist_sample", split="train")
    signed = images[:, 6:22, 6:22].astype("float32") / 127.5 - 1.0
    model.fit(
        signed,
        batch_size=8,
        epochs=3,
        shuffle=False,
        callbacks=[DieAbruptly(distributed.rank)],
        verbose=0,
    )
    print("finished")


if __name__ == "__main__":
    main(int(sys.argv[1]))
