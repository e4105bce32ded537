"""Callbacks: the non-finite guard in the API and in the CLI."""

import hashlib

import keras
import numpy as np
import pytest

from keras_aegan import callbacks
from keras_aegan import checkpointing
from keras_aegan import cli
from keras_aegan.models import VAE
from tests.helpers import sample_run_arguments


def test_diverging_vae_stops_at_its_first_non_finite_loss(mnist_unit):
    vae = VAE(latent_dim=2, seed=0)
    vae.compile(optimizer=keras.optimizers.SGD(1e6))
    seen = []
    recorder = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(batch)
    )
    with pytest.raises(callbacks.NonFiniteError) as error:
        vae.fit(
            mnist_unit[:512],
            batch_size=64,
            epochs=3,
            verbose=0,
            callbacks=[callbacks.StopOnNonFinite(), recorder],
        )
    message = str(error.value)
    assert "loss" in message and "of epoch 1" in message
    step = int(message.split(" at step ")[1].split()[0])
    # Nothing after the guard saw the diverged step.
    assert seen == list(range(step - 1))


def test_guard_lets_a_finite_run_finish(mnist_unit):
    vae = VAE(latent_dim=2, seed=0)
    vae.compile()
    history = vae.fit(
        mnist_unit[:256],
        batch_size=64,
        epochs=2,
        verbose=0,
        callbacks=[callbacks.StopOnNonFinite()],
    )
    assert len(history.history["loss"]) == 2


def test_guard_checks_the_weights_at_the_end_of_an_epoch(mnist_unit):
    vae = VAE(latent_dim=2, seed=0)
    vae.compile()

    class Poison(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            kernel = self.model.decoder.weights[0]
            kernel.assign(np.full(kernel.shape, np.nan, "float32"))

    with pytest.raises(callbacks.NonFiniteError, match="end of epoch 1"):
        vae.fit(
            mnist_unit[:64],
            batch_size=64,
            verbose=0,
            callbacks=[Poison(), callbacks.StopOnNonFinite()],
        )


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_exits_non_zero_and_keeps_the_last_good_checkpoint(
    tmp_path, capsys
):
    out = tmp_path / "run"
    common = sample_run_arguments(
        out, batch_size=64, max_examples=256, latent_dim=2
    )
    assert cli.main(["train", "vae", "--epochs", "1", *common]) == 0
    (folder,) = checkpointing.checkpoints(out)
    checkpoint = folder / checkpointing.CHECKPOINT_FILE
    # The run diverges when it resumes: its saved optimizer takes huge steps.
    model = keras.saving.load_model(checkpoint)
    model.optimizer.learning_rate.assign(1e6)
    model.save(checkpoint)
    before = _digest(checkpoint)
    capsys.readouterr()
    code = cli.main(["train", "vae", "--epochs", "3", "--resume", *common])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Training diverged" in err
    assert "of epoch 2" in err
    assert _digest(checkpoint) == before
    assert checkpointing.checkpoints(out) == [folder]
    state = checkpointing.latest_state(out)
    assert (state["epoch"], state["step"]) == (1, 0)
    assert not (out / "samples" / "epoch_002.png").exists()
