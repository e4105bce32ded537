"""Keras's own callbacks on a GAN, whose two optimizers Keras sees as one
multi-optimizer (`OptimizerGroup.optimizers`)."""

import keras
import numpy as np
import pytest

from keras_aegan.callbacks import SampleGrid
from tests.helpers import to_numpy
from tests.models.gan.test_gans import tiny

RATES = {"discriminator_optimizer": 1e-3, "generator_optimizer": 4e-4}


def _gan(use_ema=False):
    # The networks' initializers draw from Keras's global seed.
    keras.utils.set_random_seed(0)
    model = tiny("DCGAN")
    model.compile(
        **{
            name: keras.optimizers.Adam(rate, beta_1=0.5, use_ema=use_ema)
            for name, rate in RATES.items()
        }
    )
    return model


@pytest.fixture(scope="module")
def digits(mnist_signed):
    return mnist_signed[:64]


def _rates(model):
    return {
        name: float(to_numpy(model.optimizer[name].learning_rate))
        for name in model.optimizer.names
    }


def test_learning_rate_scheduler_acts_on_each_optimizer(digits):
    model = _gan()
    schedule = keras.callbacks.LearningRateScheduler(lambda e, lr: lr * 0.5)
    model.fit(digits, batch_size=32, epochs=2, verbose=0, callbacks=[schedule])
    # Called before each of the 2 epochs, each from its own rate.
    for name, rate in _rates(model).items():
        assert rate == pytest.approx(RATES[name] / 4, rel=1e-6)
    # Setting the group's rate sets every member's.
    model.optimizer.learning_rate = 1e-5
    assert list(_rates(model).values()) == pytest.approx([1e-5, 1e-5])


def test_reduce_lr_on_plateau_and_early_stopping(digits):
    model = _gan()
    # No epoch counts as an improvement by 1e9: the rates halve after the
    # second epoch, and early stopping ends the run there.
    reduce = keras.callbacks.ReduceLROnPlateau(
        "g_loss", factor=0.5, patience=0, min_delta=1e9, mode="min"
    )
    stop = keras.callbacks.EarlyStopping(
        "d_loss",
        patience=1,
        min_delta=1e9,
        mode="min",
        restore_best_weights=True,
    )
    history = model.fit(
        digits, batch_size=32, epochs=10, verbose=0, callbacks=[reduce, stop]
    )
    assert history.epoch == [0, 1]
    # The plateau callback saw epochs 0 and 1 (halving once after the
    # second), then early stopping ended the run.
    for name, rate in _rates(model).items():
        assert rate == pytest.approx(RATES[name] / 2, rel=1e-6)


def test_tensorboard_logs_losses_rates_and_sample_grids(digits, tmp_path):
    import tensorflow as tf

    # The paper's optimizers, named after their roles.
    model = tiny("DCGAN")
    model.compile()
    log_dir = tmp_path / "logs"
    model.fit(
        digits,
        batch_size=32,
        epochs=2,
        verbose=0,
        callbacks=[
            keras.callbacks.TensorBoard(str(log_dir)),
            SampleGrid(num=9, log_dir=log_dir),
        ],
    )
    tags, images = {}, []
    for path in (log_dir / "train").glob("events.out.tfevents.*"):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                tags.setdefault(value.tag, set()).add(event.step)
                if value.tag == "samples":
                    images.append(tf.make_ndarray(value.tensor))
    for tag in (
        "epoch_d_loss",
        "epoch_g_loss",
        "epoch_learning_rate_discriminator_optimizer",
        "epoch_learning_rate_generator_optimizer",
    ):
        assert tags[tag] == {0, 1}, tags
    assert tags["samples"] == {1, 2}
    # Each image summary holds (width, height, encoded PNG): a 3 x 3 grid
    # of 28 x 28 images with 2-pixel padding.
    assert [bytes(i[0]) for i in images] == [b"92", b"92"]


def test_model_checkpoint_and_backup_and_restore(digits, tmp_path):
    model = _gan()
    path = tmp_path / "gan.keras"
    model.fit(
        digits,
        batch_size=32,
        epochs=1,
        verbose=0,
        callbacks=[keras.callbacks.ModelCheckpoint(str(path))],
    )
    loaded = keras.saving.load_model(path)
    for name in model.optimizer.names:
        for a, b in zip(
            model.optimizer[name].variables,
            loaded.optimizer[name].variables,
            strict=True,
        ):
            np.testing.assert_array_equal(to_numpy(a), to_numpy(b))
    assert int(to_numpy(loaded.optimizer.iterations)) == 2

    # BackupAndRestore: a run that fails at the start of its third epoch
    # continues from the end of the second.
    class Crash(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                raise RuntimeError("crash")

    backup = str(tmp_path / "backup")
    interrupted = _gan()
    with pytest.raises(RuntimeError, match="crash"):
        interrupted.fit(
            digits,
            batch_size=32,
            epochs=4,
            verbose=0,
            shuffle=False,
            callbacks=[keras.callbacks.BackupAndRestore(backup), Crash()],
        )
    resumed = _gan()
    history = resumed.fit(
        digits,
        batch_size=32,
        epochs=4,
        verbose=0,
        shuffle=False,
        callbacks=[keras.callbacks.BackupAndRestore(backup)],
    )
    assert history.epoch == [2, 3]
    for name in resumed.optimizer.names:
        assert int(to_numpy(resumed.optimizer[name].iterations)) == 8
    # The backup holds the seed generators' states too (Keras alone saves
    # none; without them the resumed run differed by 5e-3), so the resumed
    # run is the uninterrupted one.
    uninterrupted = _gan()
    uninterrupted.fit(digits, batch_size=32, epochs=4, verbose=0, shuffle=False)
    for a, b in zip(resumed.weights, uninterrupted.weights, strict=True):
        np.testing.assert_array_equal(to_numpy(a), to_numpy(b))


def test_use_ema_optimizers_and_swap_ema_weights(digits):
    with pytest.raises(ValueError, match="use_ema=True"):
        _gan().fit(
            digits,
            batch_size=32,
            epochs=1,
            verbose=0,
            validation_data=(digits,),
            callbacks=[keras.callbacks.SwapEMAWeights()],
        )
    model = _gan(use_ema=True)
    generator = model.optimizer["generator_optimizer"]
    seen = {}

    def values(variables):
        return [to_numpy(v) for v in variables]

    class Record(keras.callbacks.Callback):
        # After SwapEMAWeights.on_test_begin the averages are in the model
        # and the trained weights in the average slots; after its
        # on_test_end, the other way round.
        def on_test_begin(self, logs=None):
            seen["begin"] = values(generator._trainable_variables)
            seen["begin_slots"] = values(
                generator._model_variables_moving_average
            )

        def on_test_end(self, logs=None):
            seen["end"] = values(generator._trainable_variables)
            seen["end_slots"] = values(
                generator._model_variables_moving_average
            )

    model.fit(
        digits,
        batch_size=32,
        epochs=1,
        verbose=0,
        validation_data=(digits,),
        callbacks=[keras.callbacks.SwapEMAWeights(), Record()],
    )
    # TensorFlow swaps by additions, exact to rounding only.
    for a, b in [("begin", "end_slots"), ("begin_slots", "end")]:
        for x, y in zip(seen[a], seen[b], strict=True):
            np.testing.assert_allclose(x, y, atol=1e-6)
    assert (
        max(
            np.abs(x - y).max()
            for x, y in zip(seen["begin"], seen["end"], strict=True)
        )
        > 1e-5
    )
    # As keras.Model.fit does, the moving averages replace the weights
    # when training ends.
    for name in model.optimizer.names:
        optimizer = model.optimizer[name]
        for var, average in zip(
            optimizer._trainable_variables,
            optimizer._model_variables_moving_average,
            strict=True,
        ):
            np.testing.assert_array_equal(to_numpy(var), to_numpy(average))
    for var, average in zip(
        generator._trainable_variables, seen["begin"], strict=True
    ):
        np.testing.assert_allclose(to_numpy(var), average, atol=1e-6)
