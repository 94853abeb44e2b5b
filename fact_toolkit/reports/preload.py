"""Notebook kernels forked from one preloaded process (a "fork server" for ipykernel).

Every report notebook starts a fresh kernel that imports the same libraries (pandas,
matplotlib, seaborn, scipy.stats, statsmodels, the toolkit): about 2–3 s of CPU per
kernel before its first cell does anything useful. With several runs the runner starts
one *preload server* first: a process that imports those modules once, then waits on a
Unix socket. Each kernel is a ``fork()`` of it that runs ipykernel exactly as
``python -m ipykernel_launcher -f <connection file>`` would (same connection file, working
directory and environment as jupyter_client would give the subprocess), so it starts with
the modules already in memory (copy-on-write) instead of importing them again.

What a kernel computes does not change: modules are imported, nothing is configured —
the server imports no matplotlib backend (``MPLBACKEND`` is set the way ipykernel sets it,
so the backend is chosen at the first figure, as in a normal kernel), creates no figure,
socket or event loop, and each child gets the kernel's environment and working directory
before ipykernel starts. A kernel whose command is not this environment's
``python -m ipykernel_launcher`` is started normally.

The server is used by :func:`fact_toolkit.reports.runner.run_reports` when two or more
runs are rendered (``fact-toolkit report --no-preload`` or ``preload=False`` turns it off).
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["PRELOAD_MODULES", "PreloadServer", "ForkedKernel", "available", "keep_dataset", "kernel_manager_class",
           "serve"]

#: imported once by the server (what the report notebooks import); missing ones are skipped
PRELOAD_MODULES: tuple[str, ...] = (
    "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "seaborn", "scipy.stats",
    # the statsmodels parts the toolkit uses (statsmodels.api would add ~0.2 s of modules no notebook needs)
    "statsmodels.tsa.statespace.structural", "statsmodels.tsa.api", "statsmodels.tsa.ardl", "statsmodels.tsa.seasonal",
    "fact_toolkit", "fact_toolkit.plotting", "fact_toolkit.models", "fact_toolkit.models.notebook",
    "fact_toolkit.diagnosis", "fact_toolkit.whatif", "fact_toolkit.widgets", "fact_toolkit.reports.notebook",
    "IPython", "IPython.display", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
    # imported by every kernel while it initialises (debugpy: ~0.2 s of each kernel's start)
    "ipykernel.debugger",
)
#: the backend ipykernel selects when MPLBACKEND is unset (ipykernel.kernelapp.init_gui_pylab)
_INLINE = "module://matplotlib_inline.backend_inline"
_LAUNCHER = "ipykernel_launcher"


def _send(sock: socket.socket, payload: dict) -> None:
    data = json.dumps(payload).encode()
    sock.sendall(struct.pack("!I", len(data)) + data)


def _recv(sock: socket.socket) -> dict:
    head = _recv_exact(sock, 4)
    return json.loads(_recv_exact(sock, struct.unpack("!I", head)[0]))


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("preload server closed the connection")
        buf += chunk
    return buf


def _is_launcher(cmd: list[str]) -> bool:
    """True for ``<this python> -m ipykernel_launcher …`` (the only command a fork can stand in for)."""
    return (len(cmd) >= 3 and os.path.abspath(cmd[0]) == os.path.abspath(sys.executable)
            and cmd[1] == "-m" and cmd[2] == _LAUNCHER)


# --------------------------------------------------------------------------- server side

def _quiet_shutdown_interrupt(record: logging.LogRecord) -> bool:
    """Drop the kernel's "KeyboardInterrupt caught in kernel" line.

    jupyter_client interrupts every kernel just before asking it to shut down, so each
    finished report logged this at ERROR level into the runner's output (and a nightly
    cron mail) although nothing went wrong. Every other kernel log line is kept.
    """
    return "KeyboardInterrupt caught in kernel" not in record.getMessage()


def _child(request: dict[str, Any], listener: socket.socket, conn: socket.socket) -> None:
    """In the forked child: become ``python -m ipykernel_launcher <args>`` and never return."""
    code = 0
    try:
        listener.close()
        conn.close()
        os.setsid()  # its own process group, as jupyter_client's launch_kernel does
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.environ.clear()
        os.environ.update(request["env"])
        if request.get("cwd"):
            os.chdir(request["cwd"])
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        launcher = importlib.util.find_spec(_LAUNCHER)
        args = list(request["cmd"][3:])
        if os.environ.get("JPY_PARENT_PID"):  # ipykernel reads it when imported (in the server, unset)
            args.append(f"--IPKernelApp.parent_handle={int(os.environ['JPY_PARENT_PID'])}")
        sys.argv = [launcher.origin if launcher and launcher.origin else _LAUNCHER, *args]
        if sys.path and sys.path[0] in ("", os.getcwd()):
            del sys.path[0]  # as ipykernel_launcher does; IPython adds it back
        from ipykernel import kernelapp

        logging.getLogger(kernelapp.IPKernelApp.__name__).addFilter(_quiet_shutdown_interrupt)
        kernelapp.launch_new_instance()
    except SystemExit as err:
        code = err.code if isinstance(err.code, int) else (0 if err.code is None else 1)
    except BaseException:  # noqa: BLE001 - report and exit: this is a kernel process
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class _KernelShell:
    """What import-time checks for "am I in a Jupyter kernel?" see while the server imports.

    pandas, for one, picks ``display.max_columns`` (20 in a kernel, 0 in a terminal) from
    the builtin ``get_ipython`` when it is imported; the kernels forked from the server
    must see the defaults a kernel would have chosen.
    """

    kernel = True


class _KernelStream:
    """A stream that reports ipykernel's encoding (pandas reads it for ``display.encoding``)."""

    encoding = "UTF-8"

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _resolve_all(module: Any) -> None:
    """Import every name ``module.__all__`` lists (a lazy package's submodules)."""
    for attr in getattr(module, "__all__", ()):
        getattr(module, attr)


def preload(modules: tuple[str, ...]) -> list[str]:
    """Import ``modules`` as a kernel would see them imported; return those that failed."""
    import builtins

    os.environ.setdefault("MPLBACKEND", _INLINE)
    # debugpy (ipykernel.debugger) warns on stderr at import that frozen modules may hide
    # breakpoints; report kernels are not debugged. Kernels get their own environment.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    failed = []
    had = hasattr(builtins, "get_ipython")
    if not had:
        builtins.get_ipython = _KernelShell  # type: ignore[attr-defined]
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _KernelStream(sys.stdout), _KernelStream(sys.stderr)
    try:
        for name in modules:
            try:
                module = importlib.import_module(name)
                if name.split(".")[0] == "fact_toolkit":
                    _resolve_all(module)  # the toolkit's packages export lazily: load what they name
            except Exception:  # noqa: BLE001 - a module a kernel would import itself anyway
                failed.append(name)
    finally:
        sys.stdout, sys.stderr = streams
        if not had:
            del builtins.get_ipython  # type: ignore[attr-defined]
    return failed


def _keep(path: str) -> bool:
    """Keep the ``(key, dataset)`` pickled at ``path`` in :mod:`fact_toolkit.memo` (kernels forked later see it)."""
    import pickle

    try:
        memo = importlib.import_module("fact_toolkit.memo")
        with open(path, "rb") as fh:
            key, dataset = pickle.load(fh)  # noqa: S301 - written by this invocation's runner, in its private folder
        memo.keep(key, dataset)
        return True
    except Exception:  # noqa: BLE001 - kernels then load the exports themselves
        return False


def serve(fd: int, modules: tuple[str, ...] = PRELOAD_MODULES) -> None:
    """Run the server on an already listening Unix socket ``fd`` (see the module notes)."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    preload(modules)
    if "matplotlib_inline.backend_inline" in sys.modules:  # pragma: no cover - guards the note above
        raise RuntimeError("the inline backend must be imported by the kernel, not the preload server")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    parent = os.getppid()
    listener = socket.socket(fileno=fd)
    listener.settimeout(1.0)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != parent:  # the runner is gone: nobody will ask for kernels
                return
            continue
        except OSError:
            return
        conn.settimeout(None)
        with conn:
            try:
                request = _recv(conn)
            except (ConnectionError, ValueError):
                continue
            if request.get("op") == "stop":
                return
            if request.get("op") == "keep":
                try:
                    _send(conn, {"ok": _keep(str(request.get("path", "")))})
                except OSError:
                    pass
                continue
            pid = os.fork()
            if pid == 0:
                _child(request, listener, conn)
            try:
                _send(conn, {"pid": pid})
            except OSError:
                pass


# --------------------------------------------------------------------------- client side

class ForkedKernel:
    """The part of :class:`subprocess.Popen` jupyter_client's provisioner uses, for a forked kernel.

    The kernel is the server's child, not ours: liveness is probed with signal 0 and the
    exit status is not known (reported as 0).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # pragma: no cover - pid reused by another user's process
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def available() -> bool:
    """True where kernels can be forked from a server (POSIX: ``fork`` and Unix sockets)."""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX")


class PreloadServer:
    """Start, use and stop a preload server (a context manager).

    Examples
    --------
    >>> with PreloadServer(modules=("json",)) as server:   # doctest: +SKIP
    ...     pid = server.spawn([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"], cwd=".", env={})
    """

    def __init__(self, modules: tuple[str, ...] = PRELOAD_MODULES) -> None:
        self._dir = tempfile.mkdtemp(prefix="ft-preload-")
        self.address = str(Path(self._dir) / "server.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.address)
        listener.listen(16)  # clients may connect (and wait) while the server still imports
        # this file run on its own: importing the package first would import pandas before
        # the server can make it see a kernel (see preload())
        code = ("import sys, importlib.util as u; s = u.spec_from_file_location('_ft_preload', sys.argv[1]); "
                "m = u.module_from_spec(s); s.loader.exec_module(m); "
                "m.serve(int(sys.argv[2]), tuple(sys.argv[3].split(',')) if sys.argv[3] else ())")
        self._proc = subprocess.Popen([sys.executable, "-c", code, __file__, str(listener.fileno()),
                                       ",".join(modules)],
                                      pass_fds=(listener.fileno(),), stdin=subprocess.DEVNULL)
        listener.close()

    def stop(self) -> None:
        """Stop the server, even while it still imports, and remove its socket.

        Kernels it forked run on (their own process groups); one left over by a crashed
        worker exits once the server is gone, as a kernel does when its parent dies.
        """
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - stuck in an import
                self._proc.kill()
                self._proc.wait()
        import shutil

        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> PreloadServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _ask(address: str, request: dict, timeout: float) -> dict:
    """One request to the server at ``address`` and its reply (waits while the server imports)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(address)
        _send(s, request)
        return _recv(s)


def spawn(address: str, cmd: list[str], cwd: str | None, env: dict[str, str], timeout: float = 120) -> int:
    """Ask the server at ``address`` for a kernel running ``cmd``; return its pid."""
    return int(_ask(address, {"op": "spawn", "cmd": cmd, "cwd": cwd, "env": env}, timeout)["pid"])


def keep_dataset(address: str, key: tuple | None, dataset: Any, folder: str | Path, timeout: float = 120) -> bool:
    """Hand a loaded dataset to the server at ``address`` before it forks the kernels.

    The server keeps it in :mod:`fact_toolkit.memo`; in every kernel forked afterwards,
    :func:`fact_toolkit.load` of the same files with the same options returns a copy of
    it instead of loading the exports again. Waits while the server still imports.

    Parameters
    ----------
    address : str
        The server's socket (:attr:`PreloadServer.address`).
    key : tuple or None
        :func:`fact_toolkit.loader.memo_key` of the load, computed before it.
    dataset : Dataset
    folder : path
        A private folder for the hand-over file (removed afterwards).
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    bool
        False (and nothing changes for the kernels) when it could not be handed over.
    """
    import pickle
    import uuid

    if key is None:
        return False
    path = Path(folder) / f"dataset-{uuid.uuid4().hex}.pkl"
    try:
        with open(path, "wb") as fh:
            pickle.dump((key, dataset), fh, protocol=pickle.HIGHEST_PROTOCOL)
        return bool(_ask(address, {"op": "keep", "path": str(path)}, timeout).get("ok"))
    except Exception:  # noqa: BLE001 - a speed-up only: the kernels then load the exports themselves
        return False
    finally:
        path.unlink(missing_ok=True)


def _ready_client_class() -> type:
    """``AsyncKernelClient`` that is ready when the kernel reports idle after ``kernel_info``.

    jupyter_client's ``wait_for_ready`` ends by reading IOPub until it has been silent for
    0.2 s: 0.2 s of every kernel's start spent waiting. A kernel publishes ``status: idle``
    as the last message of each request, so once that arrives for the ``kernel_info``
    request IOPub is connected and drained; anything published later belongs to another
    request (nbclient matches messages to the cell that sent them).
    """
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyOnIdleKernelClient(AsyncKernelClient):
        async def _idle_after(self, msg_id: str, timeout: float) -> bool:
            end = time.monotonic() + timeout
            while (left := end - time.monotonic()) > 0:
                try:
                    msg = await self.iopub_channel.get_msg(timeout=left)
                except Empty:
                    return False
                if (msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == msg_id
                        and msg["content"].get("execution_state") == "idle"):
                    return True
            return False

        async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
            end = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    # IOPub missed it (subscribed late): ask again, as jupyter_client does
                    if await self._idle_after(reply["parent_header"]["msg_id"], timeout=0.1):
                        self._handle_kernel_info_reply(reply)
                        return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > end:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    return ReadyOnIdleKernelClient


def kernel_manager_class(address: str) -> type:
    """An ``AsyncKernelManager`` subclass whose kernels come from the server at ``address``.

    Falls back to a normal subprocess when the kernel command is not this environment's
    ``python -m ipykernel_launcher`` or the server cannot be reached.
    """
    from jupyter_client.manager import AsyncKernelManager

    ready_client = _ready_client_class()

    class PreloadedKernelManager(AsyncKernelManager):
        def client(self, **kwargs: Any) -> Any:
            """A client whose ``wait_for_ready`` returns on the kernel's idle (see ``_ready_client_class``)."""
            self.client_factory = ready_client
            return super().client(**kwargs)

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            prov = self.provisioner
            if _is_launcher(kernel_cmd) and prov is not None and hasattr(prov, "process"):
                env = dict(os.environ if kw.get("env") is None else kw["env"])
                if not kw.get("independent"):  # as jupyter_client.launcher.launch_kernel does
                    env["JPY_PARENT_PID"] = str(os.getpid())
                try:
                    # papermill changes this process's directory rather than passing cwd
                    pid = spawn(address, list(kernel_cmd), str(kw.get("cwd") or os.getcwd()), env)
                except (OSError, ValueError, KeyError, ConnectionError):
                    pid = None
                if pid:
                    prov.process = ForkedKernel(pid)
                    prov.pid = prov.pgid = pid
                    prov.cwd = kw.get("cwd") or os.getcwd()
                    self._reconcile_connection_info(prov.connection_info)
                    return
            await super()._async_launch_kernel(kernel_cmd, **kw)

    PreloadedKernelManager.preload_address = address  # type: ignore[attr-defined]
    return PreloadedKernelManager
