"""Run by test_multiprocess.py, one process per call:

    python tests/training/multiprocess_equivalence.py single OUT.npz
    python tests/training/multiprocess_equivalence.py worker OUT.npz RANK \
        WORLD PORT [BROKEN]

`single` trains each model on one process with the global batches;
`worker` is one of WORLD PyTorch processes joined in a `gloo` process group
on 127.0.0.1:PORT, which trains the same model from the same seed on its
share of each global batch (rows `rank * b : (rank + 1) * b` of each, as
`tf.distribute` splits a batch). Each writes the trained weights.

BROKEN breaks, on purpose, one mechanism that makes the processes agree,
to show that the test's bound discriminates: `local_gradients` (each
process applies its own gradient) or `shared_noise` (every process draws
the first process's latent and augmentation noise).

Float64, and SGD with momentum rather than Adam (which normalizes
gradients and would hide a wrongly averaged one), as in
`distributed_equivalence.py`.
"""

import datetime
import os
import sys

os.environ["KERAS_BACKEND"] = "torch"

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from keras_aegan import augment  # noqa: E402
from keras_aegan import datasets  # noqa: E402
from keras_aegan import models  # noqa: E402

GLOBAL_BATCH = 8
STEPS = 2
MODELS = ("vae", "dcgan")


def build(name):
    """The model, compiled, and its training images (unbatched)."""
    images, _ = datasets.load_arrays("mnist_sample", split="train")
    count = GLOBAL_BATCH * STEPS
    signed = images[:count, 6:22, 6:22].astype("float32") / 127.5 - 1.0
    if name == "vae":
        model = models.VAE(image_shape=(16, 16, 1), seed=1)
        data = (signed + 1.0) / 2.0
    else:
        # With DiffAugment: the processes' augmentation noise is checked
        # along with their latent noise and synchronized batch norm.
        model = models.DCGAN(
            image_shape=(16, 16, 1),
            augment=augment.DiffAugment(seed=2),
            seed=1,
        )
        data = signed
    model.compile(
        **{
            n: keras.optimizers.SGD(0.05, momentum=0.5)
            for n in model.default_optimizers()
        }
    )
    return model, data


def break_on_purpose(broken):
    from keras_aegan import training
    from keras_aegan.training import torch_core

    if broken == "local_gradients":
        torch_core._average_over_processes = lambda grads: grads
    elif broken == "shared_noise":

        def first_process_noise(sampler, shape, seed):
            world = torch.distributed.get_world_size()
            noise = sampler((shape[0] * world, *shape[1:]), seed=seed)
            return noise[: shape[0]]

        training.replica_random = first_process_noise
    else:
        raise ValueError(f"Unknown mechanism to break: {broken!r}.")


def main(mode, out, rank=0, world=1, port=0, broken=None):
    if broken:
        break_on_purpose(broken)
    if mode == "worker":
        torch.distributed.init_process_group(
            "gloo",
            init_method=f"tcp://127.0.0.1:{port}",
            rank=rank,
            world_size=world,
            timeout=datetime.timedelta(seconds=120),
        )
    weights = {}
    for name in MODELS:
        keras.utils.set_random_seed(0)
        model, data = build(name)
        batch = GLOBAL_BATCH
        if mode == "worker":
            share = GLOBAL_BATCH // world
            data = np.concatenate(
                [
                    data[
                        s * batch + rank * share : s * batch
                        + (rank + 1) * share
                    ]
                    for s in range(STEPS)
                ]
            )
            batch = share
        model.fit(data, batch_size=batch, epochs=1, shuffle=False, verbose=0)
        for i, w in enumerate(model.get_weights()):
            weights[f"{name}/{i}"] = w
        steps = {
            n: int(keras.ops.convert_to_numpy(model.optimizer[n].iterations))
            for n in model.optimizer.names
        }
        assert set(steps.values()) == {STEPS}, steps
    np.savez(out, **weights)
    if mode == "worker":
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    mode, out, *rest = sys.argv[1:]
    broken = rest.pop() if len(rest) == 4 else None
    main(mode, out, *map(int, rest), broken=broken)
