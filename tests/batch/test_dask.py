"""--dask: the same per-chunk function on a Dask cluster gives the same tables as the local pool."""

from __future__ import annotations

import pytest

from .conftest import READ, REFUSED

distributed = pytest.importorskip("distributed")


@pytest.mark.parametrize("processes", [False, True], ids=["threads", "worker-process"])
def test_local_cluster_gives_the_same_tables(tmp_path, corpus_folder, batch_run, processes):
    _, local = batch_run(corpus_folder, out=tmp_path / "local", workers=1, chunk_size=8)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=processes,
                                  dashboard_address=None) as cluster:
        summary, remote = batch_run(corpus_folder, out=tmp_path / "dask", dask=cluster.scheduler_address,
                                    chunk_size=8)
    assert remote == local
    assert (summary.processed, summary.errors) == (READ, REFUSED)
