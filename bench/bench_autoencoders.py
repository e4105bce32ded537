"""Benchmark of the autoencoder family on real data (not a test).

Measures and prints:
1. PCA as a linear autoencoder (Baldi & Hornik 1989): the largest principal
   angle between the learned subspace and numpy's top-p principal
   subspace, and the reconstruction error against PCA's, on Olivetti
   faces and MNIST.
2. One-class anomaly detection on MNIST: train on one digit, score the
   10,000 test digits, ROC AUC of the reconstruction error (autoencoder)
   and of the negative ELBO (VAE).
3. VAE vs beta-VAE (beta = 4) on binarized MNIST after a short run: test
   negative ELBO (beta = 1) and the IWAE estimate of -log p(x) (k = 64).

Usage:
    KERAS_BACKEND=jax python bench/bench_autoencoders.py \
        --data-dir ../shared/data
"""

import argparse
import os
import time

import keras
import numpy as np
import tensorflow as tf
from scipy.linalg import subspace_angles

from keras_aegan import applications
from keras_aegan import datasets
from keras_aegan.models.autoencoder.autoencoder import Autoencoder
from keras_aegan.models.autoencoder.linear_autoencoder import LinearAutoencoder
from keras_aegan.models.vae.vae import VAE
from keras_aegan.networks import autoencoder as ae_networks


def pca_benchmark(name, x, p, steps):
    flat = x.reshape(len(x), -1).astype("float64")
    centred = flat - flat.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    pca_error = np.sum(s[p:] ** 2) / len(x)
    model = LinearAutoencoder(image_shape=x.shape[1:], latent_dim=p, seed=0)
    model.compile()
    model.adapt(x)
    start = time.time()
    model.fit(
        tf.data.Dataset.from_tensors(x).repeat(),
        epochs=1,
        steps_per_epoch=steps,
        verbose=0,
    )
    seconds = time.time() - start
    angles = np.degrees(subspace_angles(model.principal_subspace(), vt[:p].T))
    error = np.mean(applications.reconstruction_scores(model, x))
    gap = s[p - 1] ** 2 / s[p] ** 2
    print(
        f"PCA {name:9s} p={p:2d} (eigengap {gap:.2f}): largest principal "
        f"angle {angles.max():.3f} deg, reconstruction error {error:.4f} vs "
        f"PCA {pca_error:.4f} ({100 * (error / pca_error - 1):+.3f}%), "
        f"{steps} full-batch steps in {seconds:.1f}s"
    )


def dense_vae(latent_dim, hidden=256):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Flatten()(images)
    h = keras.layers.Dense(hidden, activation="relu")(h)
    encoder = keras.Model(
        images,
        [keras.layers.Dense(latent_dim)(h), keras.layers.Dense(latent_dim)(h)],
        name="encoder",
    )
    decoder = ae_networks.dense_decoder(latent_dim, (28, 28, 1), (hidden,))
    return encoder, decoder


def anomaly_benchmark(train_x, train_y, test_x, test_y, digits, epochs):
    for digit in digits:
        normal = train_x[train_y == digit]
        is_anomaly = test_y != digit
        ae = Autoencoder(
            encoder=ae_networks.dense_encoder((28, 28, 1), 16, (256,)),
            decoder=ae_networks.dense_decoder(16, (28, 28, 1), (256,)),
            latent_dim=16,
            seed=0,
        )
        ae.compile()
        ae.fit(normal, epochs=epochs, batch_size=128, verbose=0)
        ae_auc = applications.roc_auc(
            applications.reconstruction_scores(ae, test_x), is_anomaly
        )
        encoder, decoder = dense_vae(16)
        vae = VAE(encoder=encoder, decoder=decoder, latent_dim=16, seed=0)
        vae.compile()
        vae.fit(normal, epochs=epochs, batch_size=128, verbose=0)
        vae_auc = applications.roc_auc(
            applications.negative_elbo_scores(vae, test_x), is_anomaly
        )
        print(
            f"Anomaly, normal digit {digit} ({len(normal)} training images, "
            f"{epochs} epochs): ROC AUC reconstruction error {ae_auc:.4f}, "
            f"VAE negative ELBO {vae_auc:.4f}"
        )


def beta_vae_benchmark(train_x, test_x, epochs, iwae_images):
    binary_train = (train_x > 0.5).astype("float32")
    binary_test = (test_x > 0.5).astype("float32")
    for beta in (1.0, 4.0):
        encoder, decoder = dense_vae(16, hidden=512)
        vae = VAE(
            encoder=encoder, decoder=decoder, latent_dim=16, beta=beta, seed=0
        )
        vae.compile()
        start = time.time()
        vae.fit(binary_train, epochs=epochs, batch_size=128, verbose=0)
        seconds = time.time() - start
        nelbo = applications.negative_elbo_scores(vae, binary_test).mean()
        nll = []
        for i in range(0, iwae_images, 100):
            nll.append(
                -keras.ops.convert_to_numpy(
                    vae.log_likelihood(
                        binary_test[i : i + 100], num_samples=64, seed=i
                    )
                )
            )
        nll = np.concatenate(nll).mean()
        print(
            f"VAE beta={beta:g} ({epochs} epochs on binarized MNIST, "
            f"{seconds:.0f}s): test negative ELBO {nelbo:.2f} nats, IWAE "
            f"-log p(x) (k=64, {iwae_images} images) {nll:.2f} nats"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir",
        default=os.environ.get(
            "KERAS_AEGAN_DATA_DIR",
            os.path.join(
                os.path.dirname(__file__), "..", "..", "shared", "data"
            ),
        ),
    )
    parser.add_argument("--digits", default="0,1,7")
    parser.add_argument("--anomaly-epochs", type=int, default=10)
    parser.add_argument("--vae-epochs", type=int, default=5)
    parser.add_argument("--iwae-images", type=int, default=1000)
    args = parser.parse_args()
    print(f"Backend: {keras.backend.backend()}")
    start = time.time()

    faces, _ = datasets.load_arrays("olivetti_faces", data_dir=args.data_dir)
    faces = faces.astype("float32") / 255.0
    if faces.ndim == 3:
        faces = faces[..., None]
    train_x, train_y = datasets.load_arrays(
        "mnist", split="train", data_dir=args.data_dir
    )
    test_x, test_y = datasets.load_arrays(
        "mnist", split="test", data_dir=args.data_dir
    )
    train_x = train_x.astype("float32") / 255.0
    test_x = test_x.astype("float32") / 255.0

    for p in (4, 6):
        pca_benchmark("olivetti", faces, p, steps=500)
    pca_benchmark("mnist-10k", train_x[:10000], 9, steps=500)

    digits = [int(d) for d in args.digits.split(",")]
    anomaly_benchmark(
        train_x, train_y, test_x, test_y, digits, args.anomaly_epochs
    )
    beta_vae_benchmark(train_x, test_x, args.vae_epochs, args.iwae_images)
    print(f"Total {time.time() - start:.0f}s")


if __name__ == "__main__":
    main()
