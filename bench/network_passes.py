"""Title: Where a DCGAN step's time goes, per network and pass
Author: keras_aegan developers
Date created: 2026-12-02
Last modified: 2026-12-02
Description: Forward and forward-plus-backward times of the DCGAN networks.

Times, on the active backend, the default DCGAN networks for 28x28x1 at
batch 128 (`networks.dcgan_generator()` and `dcgan_discriminator()`, the
generator with its sub-pixel upsampling where the backend prefers it):
each network's forward pass, and its forward pass with the gradient of
the output's sum with respect to its weights (compiled: `tf.function`,
`jax.jit`; eager on PyTorch). The median of `--repeats` after 2 warm-up
calls, in milliseconds. Run it on each backend:

    KERAS_BACKEND=jax python bench/network_passes.py --repeats 10
"""

import argparse
import json
import time

import keras
import numpy as np

from keras_aegan import networks


def timed(fn, repeats):
    for _ in range(2):
        fn()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return round(1e3 * float(np.median(seconds)), 1)


def passes(net, x, repeats):
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        forward = tf.function(lambda: tf.reduce_sum(net(x, training=True)))

        @tf.function
        def backward():
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(net(x, training=True))
            return tape.gradient(loss, net.trainable_variables)

        def run_forward():
            return forward().numpy()

        def run_backward():
            return [g.numpy() for g in backward()[:1]]

    elif backend == "jax":
        import jax

        trainable = [v.value for v in net.trainable_variables]
        non_trainable = [v.value for v in net.non_trainable_variables]

        def loss(trainable):
            y, _ = net.stateless_call(
                trainable, non_trainable, x, training=True
            )
            return y.sum()

        forward = jax.jit(loss)
        backward = jax.jit(jax.value_and_grad(loss))

        def run_forward():
            return forward(trainable).block_until_ready()

        def run_backward():
            return jax.block_until_ready(backward(trainable))

    else:
        import torch

        def run_forward():
            with torch.no_grad():
                return float(net(x, training=True).sum())

        def run_backward():
            params = [v.value for v in net.trainable_variables]
            loss = net(x, training=True).sum()
            return torch.autograd.grad(loss, params)

    return timed(run_forward, repeats), timed(run_backward, repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    z = keras.ops.convert_to_tensor(
        rng.standard_normal((args.batch_size, 100)).astype("float32")
    )
    images = keras.ops.convert_to_tensor(
        rng.uniform(-1, 1, (args.batch_size, 28, 28, 1)).astype("float32")
    )
    row = {"backend": keras.backend.backend()}
    for name, net, x in (
        ("generator", networks.dcgan_generator(100, (28, 28, 1)), z),
        ("discriminator", networks.dcgan_discriminator((28, 28, 1)), images),
    ):
        forward, backward = passes(net, x, args.repeats)
        row[f"{name}_forward_ms"] = forward
        row[f"{name}_forward_backward_ms"] = backward
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
