"""How one process takes part in a distributed run, whatever the engine.

`keras_aegan.training.distribute(kind, ...)` asks the backend's training
core to start one of the engines below and returns a `Distributed`: the
scope to build and compile the model under, this process's rank, and the
rows of each global batch that it feeds.

- `mirrored` (TensorFlow): `tf.distribute.MirroredStrategy` over the
  local devices. The process feeds the global batch; Keras splits it over
  the replicas.
- `multi_worker` (TensorFlow): `tf.distribute.MultiWorkerMirroredStrategy`
  over the workers of `TF_CONFIG`. Each worker reads the same pipeline of
  global batches, auto-sharded by data (`AutoShardPolicy.DATA`).
- `data_parallel` (JAX): `keras.distribution.DataParallel` over every
  device of every process (`keras.distribution.initialize` first when
  there are several processes). Each process feeds its rows of each
  global batch.
- `torch` (PyTorch): a `torch.distributed` process group (`gloo` on CPU,
  `nccl` on GPU) from `torchrun`'s environment. Each process feeds its
  rows of each global batch.

In every engine the gradients of each update are averaged over the
replicas before its optimizer applies them, and noise is drawn for the
global batch and sliced per replica (`training.replica_random`), so a
distributed step equals one device's step on the global batch
(`tests/training/test_distribute.py`, `test_multiprocess.py`).
"""

import dataclasses
import typing

KINDS = ("mirrored", "multi_worker", "data_parallel", "torch")
BACKEND_OF = {
    "mirrored": "tensorflow",
    "multi_worker": "tensorflow",
    "data_parallel": "jax",
    "torch": "torch",
}


@dataclasses.dataclass(frozen=True)
class Distributed:
    """One process's part in a distributed run.

    Attributes:
        kind: str. One of `KINDS`.
        scope: context manager. Build and compile the model under it.
        rank: int. This process's index, 0 for the chief.
        processes: int. The processes of the run.
        replicas: int. The replicas that share each global batch.
        feeds_own_rows: bool. Whether each process feeds only its rows of
            each global batch (`shard` then keeps them), rather than the
            whole batch for its engine to split.
    """

    kind: str
    scope: typing.Any
    rank: int = 0
    processes: int = 1
    replicas: int = 1
    feeds_own_rows: bool = False

    @property
    def chief(self):
        """Whether this process writes the run's files."""
        return self.rank == 0

    def check_batch_size(self, batch_size):
        """Raises unless `batch_size` splits evenly over the replicas."""
        if batch_size % self.replicas:
            raise ValueError(
                f"Expected a global batch size divisible by the "
                f"{self.replicas} replicas of --distribute {self.kind}. "
                f"Received {batch_size}."
            )

    def shard(self, dataset):
        """The `tf.data` pipeline this process feeds to `fit()`, from the
        pipeline of global batches that every process reads alike."""
        import tensorflow as tf

        if self.feeds_own_rows and self.processes > 1:
            rank, processes = self.rank, self.processes

            def rows(*batch):
                share = tf.shape(batch[0])[0] // processes
                parts = tuple(
                    x[rank * share : (rank + 1) * share] for x in batch
                )
                return parts if len(parts) > 1 else parts[0]

            return dataset.map(rows)
        if self.kind == "multi_worker":
            options = tf.data.Options()
            options.experimental_distribute.auto_shard_policy = (
                tf.data.experimental.AutoShardPolicy.DATA
            )
            return dataset.with_options(options)
        return dataset


def refuse(kind, backend, kinds):
    """The error for a `kind` that `backend` cannot run."""
    if kind not in KINDS:
        return ValueError(
            f"Expected a distribution among {list(KINDS)}. Received {kind!r}."
        )
    return ValueError(
        f"Expected a distribution among {list(kinds)} on the {backend} "
        f"backend. Received {kind!r}, which runs on the "
        f"{BACKEND_OF[kind]} backend (--backend {BACKEND_OF[kind]})."
    )
