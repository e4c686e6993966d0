"""map_documents gives the same results, in order, with one process or several."""

import os

from corpusflow.parallel import map_documents


def square_and_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def test_results_keep_their_order_and_workers_really_run():
    items = list(range(8))
    serial = map_documents(square_and_pid, items, processes=1)
    forked = map_documents(square_and_pid, items, processes=2)
    assert [r for r, _ in serial] == [r for r, _ in forked] == [i * i for i in items]
    assert {pid for _, pid in serial} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in forked}


class Unpicklable:
    """A function whose state cannot be pickled, as a partial holding a large shard should not
    be: once per document."""

    def __call__(self, value: int) -> int:
        return value + 1

    def __reduce__(self):
        raise AssertionError("the function was pickled to be sent to a worker")


def test_workers_inherit_the_function_and_are_sent_only_the_items():
    assert map_documents(Unpicklable(), [1, 2, 3], processes=2) == [2, 3, 4]
