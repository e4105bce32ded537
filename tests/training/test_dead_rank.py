"""A PyTorch process that dies makes the other processes of its run fail
within a bounded time, instead of hanging in the next all-reduce.

Two processes in a `gloo` group on 127.0.0.1 (a free port), joined through
`keras_aegan.training.distribute("torch", timeout=...)`; the script is
`dead_rank.py`. The survivor must exit non-zero with the process group's
error before the test's own limit, a few times the collective timeout.
"""

import os
import subprocess
import sys

import pytest

from tests.helpers import BACKEND
from tests.helpers import REPO
from tests.helpers import free_ports
from tests.helpers import wait_for_processes

COLLECTIVE_TIMEOUT = 30
LIMIT = 240


@pytest.mark.skipif(BACKEND != "torch", reason="torch.distributed's test")
def test_a_dead_rank_makes_the_other_fail_instead_of_hanging():
    (port,) = free_ports(1)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(REPO / "tests" / "training" / "dead_rank.py"),
                str(COLLECTIVE_TIMEOUT),
            ],
            cwd=REPO,
            env={
                **os.environ,
                "KERAS_BACKEND": "torch",
                "RANK": str(rank),
                "WORLD_SIZE": "2",
                "MASTER_ADDR": "127.0.0.1",
                "MASTER_PORT": str(port),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rank in range(2)
    ]
    results = wait_for_processes(processes, LIMIT)
    (survivor_code, survivor_out, survivor_err), (dead_code, _, _) = results
    assert dead_code == 3
    assert survivor_code != 0 and "finished" not in survivor_out
    # The process group's own error, not some unrelated crash.
    assert any(
        word in survivor_err
        for word in ("Connection", "connection", "Gloo", "gloo", "timed out")
    ), survivor_err[-2000:]
