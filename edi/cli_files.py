"""Files of a folder replaced together (the tables of `edi remit --format csv`), safely in a folder
others may write to.

Each file is written into a private folder that edi makes inside the target folder (`mkdtemp`:
mode 0700, so no one else can put a file or a link in it), opened by descriptor, so that a link or
file planted where edi writes is never followed, nor chmod-ed. Once every file is written, they
are put in place with the target folder locked (`flock` on the folder itself: there is no lock file
to plant), all or none: the files they replace are first moved aside into the private folder, and
moved back if one cannot be put in place (a failure, Ctrl-C, SIGTERM). The private folder is removed
however the run ends, unless a table moved aside could not be moved back: it is kept there, and said.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

# How long to wait for another run that holds the folder (another edi writing its tables there)
# before saying so: a lock that is never released (any user who can read the folder can take it)
# must not hang a run without a word (the second hostile tester).
LOCK_WAIT_SECONDS = 30.0

# Descriptors of folders (`dir_fd`) where the system has them (POSIX): names are then looked up in
# the folders edi opened, even if someone renames them meanwhile.
_BY_FOLDER = {os.open, os.rename, os.unlink, os.rmdir} <= os.supports_dir_fd  # rename: replace too


def new_file_mode(target: Path) -> int:
    """The permissions of a file put in place of `target`: those of the regular file there, when
    it is the user's own; else those of a file made anew (0o666 less the umask). A link is not
    followed (a link planted to /dev/null would make the file world-writable), nor are another
    user's permissions taken (a planted 0o666 file)."""
    with contextlib.suppress(OSError):
        found = os.lstat(target)
        owner = getattr(os, "getuid", None)
        if stat.S_ISREG(found.st_mode) and (owner is None or found.st_uid == owner()):
            return stat.S_IMODE(found.st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class ReplacedTogether:
    """New files for `folder/<name>`, written apart and put in place together (`commit`) or not at
    all; used as a context manager, which removes what is left of them however the run ends.

    Example:
        >>> with ReplacedTogether(Path("out")) as files:    # doctest: +SKIP
        ...     files.open("claims.csv").write("...")
        ...     files.commit()
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.private = Path(tempfile.mkdtemp(dir=folder, prefix=".edi-"))
        self.names: list[str] = []
        self.files: list[IO[str]] = []
        self.keep = False  # a table moved aside could not be put back: it is left in `private`
        self.folder_fd: int | None = None
        self.private_fd: int | None = None
        if _BY_FOLDER:
            with contextlib.suppress(OSError):  # a folder that cannot be read: by path
                self.folder_fd = os.open(folder, os.O_RDONLY)
                self.private_fd = os.open(self.private, os.O_RDONLY)

    def __enter__(self) -> ReplacedTogether:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _at(self, name: str, private: bool) -> dict[str, Any]:
        """`name` for an os call, in the private folder or the target one: by descriptor where
        there is one, else by path."""
        fd = self.private_fd if private else self.folder_fd
        if fd is not None:
            return {"path": name, "dir_fd": fd}
        return {"path": str((self.private if private else self.folder) / name)}

    def open(self, name: str) -> IO[str]:
        """A new text file (UTF-8, bytes read that were no UTF-8 as they came) to put in place of
        `folder/<name>`, with the permissions of the file it replaces (`new_file_mode`)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        at = self._at(name, private=True)
        fd = os.open(at.pop("path"), flags, 0o600, **at)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, new_file_mode(self.folder / name))
            fh = open(fd, "w", newline="", encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
        except BaseException:
            os.close(fd)
            raise
        self.names.append(name)
        self.files.append(fh)
        return fh

    def _move(self, name: str, to: str, *, into_private: bool) -> None:
        src = self._at(name, private=not into_private)
        dst = self._at(to, private=into_private)
        os.replace(
            src["path"], dst["path"], src_dir_fd=src.get("dir_fd"), dst_dir_fd=dst.get("dir_fd")
        )

    def commit(self) -> None:
        """Put every file in place, all or none, with the folder locked. An `OSError` raised names
        the file (`filename`: its name in the folder) that could not be replaced; the folder is then
        as it was."""
        for fh in self.files:  # a full disk may show only now, when the rest is flushed
            fh.close()
        with self._locked():
            aside: list[str] = []
            placed: list[str] = []
            name = ""
            try:
                for name in self.names:  # the files they replace, into the private folder
                    try:
                        self._move(name, "old." + name, into_private=True)
                    except FileNotFoundError:
                        continue
                    aside.append(name)
                for name in self.names:
                    self._move(name, name, into_private=False)
                    placed.append(name)
            except BaseException as exc:  # an OSError, or Ctrl-C, SIGTERM (SystemExit) meanwhile
                for done in placed:  # taken out again, and removed with the private folder
                    with contextlib.suppress(OSError):
                        self._move(done, done, into_private=True)
                for old in aside:
                    try:
                        self._move("old." + old, old, into_private=False)
                    except OSError:  # kept where it is: the private folder is not removed
                        self.keep = True
                if isinstance(exc, OSError):
                    why = exc.strerror or str(exc)
                    if self.keep:
                        why += f" (and the tables it replaces could not all be put back: see {self.private})"
                    raise OSError(exc.errno, why, name) from exc
                raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The folder locked against another run putting its files in place meanwhile (not where
        there is no `flock`, as on Windows, nor in a folder that cannot be read)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        if self.folder_fd is None:
            yield
            return
        waited = 0.0
        while True:
            try:
                fcntl.flock(self.folder_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if waited >= LOCK_WAIT_SECONDS:
                    raise BlockingIOError(
                        0,
                        f"the folder is locked by another process (another edi writing its tables "
                        f"there?) for {LOCK_WAIT_SECONDS:g} s",
                        "",
                    ) from None
                time.sleep(0.1)
                waited += 0.1
            except OSError:  # a file system without locks (ENOLCK, EOPNOTSUPP): not locked
                yield
                return
        try:
            yield
        finally:
            fcntl.flock(self.folder_fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the files and remove the private folder with what is left in it (the files not
        put in place, those they replaced)."""
        for fh in self.files:
            with contextlib.suppress(OSError):  # a full disk: said by `commit`, or the caller
                fh.close()
        if self.keep:
            self._close_folders()
            return
        with contextlib.suppress(OSError):
            left = os.listdir(self.private_fd if self.private_fd is not None else self.private)
            for name in left:
                with contextlib.suppress(OSError):
                    at = self._at(name, private=True)
                    os.unlink(at.pop("path"), **at)
        with contextlib.suppress(OSError):
            if self.folder_fd is not None:
                os.rmdir(self.private.name, dir_fd=self.folder_fd)
            else:
                os.rmdir(self.private)
        self._close_folders()

    def _close_folders(self) -> None:
        for fd in (self.private_fd, self.folder_fd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.private_fd = self.folder_fd = None
