"""A function run in a forked child process (the keyness stage's reruns beside its default run)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable


class Forked:
    """``function()`` run in a forked child process; :meth:`result` returns its value.

    The child sees everything the parent had loaded when it was forked (no pickling of
    ``function``); its value, or the exception it raised, comes back pickled through a pipe.
    """

    def __init__(self, function: Callable[[], object]):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def child() -> None:
            try:
                outcome = ("value", function())
            except BaseException as error:  # noqa: BLE001 - handed to the parent, raised there
                # Sent as class, args and attributes: coded errors take (code, message) and
                # do not unpickle from their formatted args.
                outcome = ("error", (type(error), error.args, vars(error)))
            send.send(outcome)
            send.close()

        self._process = context.Process(target=child, daemon=True)
        self._process.start()
        send.close()

    def result(self):
        try:
            kind, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"the forked worker ended without a result (exit code {self._process.exitcode})"
            ) from None
        self._process.join()
        if kind == "error":
            error_type, args, attributes = value
            error = error_type.__new__(error_type)
            error.args = args
            vars(error).update(attributes)
            raise error
        return value

    def stop(self) -> None:
        """End the child if it still runs (the parent failed first), and close the pipe."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()
