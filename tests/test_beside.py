"""Work beside the generator (generator.build.beside): results and errors come back."""

from __future__ import annotations

import os

import pytest

from generator.build import beside
from generator.build.errors import SiteBuildError

pytestmark = pytest.mark.skipif(not beside.can_fork(), reason="fork is Linux's")


def test_the_result_comes_back_from_the_child():
    parent = os.getpid()
    wait = beside.start(lambda: (os.getpid(), [1, 2, 3]), "a job")
    pid, value = wait()
    assert value == [1, 2, 3]
    assert pid != parent  # it ran in another process


def test_an_error_in_the_child_is_raised_naming_the_job(capfd):
    def fails():
        raise ValueError("no such record")

    wait = beside.start(fails, "the determination pages")
    with pytest.raises(SiteBuildError, match="the determination pages: ValueError: no such record"):
        wait()
    assert "Traceback" in capfd.readouterr().err  # the child's traceback, for the log


def test_a_child_that_dies_is_an_error_with_its_exit_code():
    wait = beside.start(lambda: os._exit(3), "the index")
    with pytest.raises(SiteBuildError, match="the index: its process ended with exit code 3"):
        wait()


def test_without_fork_the_job_runs_when_waited_for():
    ran = []
    wait = beside.start(lambda: ran.append(os.getpid()) or "done", "a job", fork=False)
    assert ran == []
    assert wait() == "done" and ran == [os.getpid()]
    with pytest.raises(SiteBuildError, match="a job: KeyError"):
        beside.start(lambda: {}["x"], "a job", fork=False)()


def test_jobs_not_waited_for_are_stopped():
    import time

    wait = beside.start(lambda: time.sleep(60), "a slow job")
    [child] = list(beside._running)
    assert child.is_alive()
    beside.stop_all()
    assert not child.is_alive() and not beside._running
    with pytest.raises(SiteBuildError, match="a slow job"):
        wait()
