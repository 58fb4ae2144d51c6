"""Where `publish` writes: a folder, S3-compatible storage, or an SFTP server, through fsspec.

Every target offers the same few operations on paths relative to its root (POSIX, `/`):
list what is there with sizes, read a small file, upload a file with its HTTP headers, delete.

An upload never leaves a half-written file under its final name:
- S3: a single PUT (or a completed multipart upload) is atomic; the object appears whole.
- folder and SFTP: the bytes go to a hidden temporary name in the same folder, then a rename
  replaces the old file (POSIX `rename`, OpenSSH's `posix-rename@openssh.com`).

A folder target never writes or deletes through a symlink inside the folder: a `feed.xml`
or an episode folder at the destination that is a link (to elsewhere, or even within the
folder) stops the publish with an error naming it, before anything is read or written
(`check_paths`), and again at each write (in case it appeared meanwhile). The folder itself
may be reached through a symlink: that is the user's choice of destination.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from stationcast.errors import Message, Option, StationcastError

__all__ = [
    "FolderTarget",
    "PublishError",
    "S3Options",
    "S3Target",
    "SFTPOptions",
    "SFTPTarget",
    "Target",
    "open_target",
    "parse_destination",
]

TMP_MARK = ".stationcast-tmp-"


class PublishError(StationcastError):
    """Publishing could not start or could not finish; the message says what to do."""


@dataclass(frozen=True)
class Destination:
    """A parsed `--to` value."""

    scheme: str  # "file", "s3" or "sftp"
    root: str  # folder path; "bucket/prefix" for S3; absolute remote path for SFTP
    host: str = ""
    port: int | None = None
    user: str | None = None

    def display(self) -> str:
        if self.scheme == "s3":
            return f"s3://{self.root}"
        if self.scheme == "sftp":
            user = f"{self.user}@" if self.user else ""
            port = f":{self.port}" if self.port else ""
            return f"sftp://{user}{self.host}{port}{self.root}"
        return self.root


def _bad_destination(dest: str, reason: str) -> PublishError:
    """The error for a `dest` that is not a destination: the value given, then why."""
    return PublishError(Message(Option("dest", dest or None), f": {reason}"))


def parse_destination(dest: str) -> Destination:
    """`DIR`, `file:///DIR`, `s3://bucket[/prefix]` or `sftp://[user@]host[:port]/path`."""
    if "://" not in dest:
        if not dest.strip():
            raise _bad_destination("", "empty destination")
        return Destination("file", str(Path(dest).expanduser()))
    parts = urlsplit(dest)
    scheme = parts.scheme.lower()
    if parts.query or parts.fragment:
        raise _bad_destination(dest, "a destination URL takes no ?query or #fragment")
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise _bad_destination(dest, "file:// URLs name a local folder (file:///path)")
        return Destination("file", str(Path(unquote(parts.path))))
    if scheme == "s3":
        bucket = parts.netloc
        if not bucket or "@" in bucket or ":" in bucket:
            raise PublishError(
                Message(
                    Option("dest", dest),
                    ": expected s3://BUCKET/PREFIX (credentials come from the AWS environment"
                    " variables or ",
                    Option("profile"),
                    ", never from the URL)",
                )
            )
        prefix = unquote(parts.path).strip("/")
        _check_remote_path(prefix, dest)
        return Destination("s3", f"{bucket}/{prefix}" if prefix else bucket)
    if scheme == "sftp":
        if not parts.hostname:
            raise _bad_destination(dest, "expected sftp://[USER@]HOST[:PORT]/PATH")
        if parts.password is not None:
            raise _bad_destination(
                _redact(dest), "no passwords in the URL; use an SSH key or ssh-agent"
            )
        try:
            port = parts.port
        except ValueError as exc:
            raise _bad_destination(dest, str(exc)) from None
        path = unquote(parts.path) or "/"
        if not path.startswith("/"):
            path = "/" + path
        _check_remote_path(path.strip("/"), dest)
        root = posixpath.normpath(path)
        user = unquote(parts.username) if parts.username else None
        return Destination("sftp", root, host=parts.hostname, port=port, user=user)
    raise _bad_destination(dest, f"unsupported scheme {scheme!r}; use a folder, s3:// or sftp://")


def _check_remote_path(path: str, dest: str) -> None:
    if any(seg in (".", "..") for seg in path.split("/")) or "\\" in path or "\x00" in path:
        raise _bad_destination(dest, "the path must not contain '.', '..', '\\' or NUL")


def _redact(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = f"{parts.username}:***@" if parts.username else ""
    return f"{parts.scheme}://{user}{netloc}{parts.path}"


class Target:
    """An fsspec file system and a root inside it; subclasses decide how a file is written."""

    #: Whether the target stores per-file HTTP headers (S3 does; a folder does not).
    stores_headers = False
    #: Uploads in flight at once within a stage. One SFTP channel and a local disk gain
    #: little from more; object stores answer each PUT with a round trip, so S3 uses 8.
    max_workers = 1

    def __init__(self, fs: Any, root: str, display: str) -> None:
        self.fs = fs
        self.root = root.rstrip("/") or "/"
        self.display = display

    def _full(self, rel: str) -> str:
        return posixpath.join(self.root, rel) if self.root != "/" else "/" + rel

    def list(self) -> dict[str, int]:
        """Every file under the root, as relative path -> size in bytes."""
        try:
            found = self.fs.find(self.root, detail=True, withdirs=False)
        except FileNotFoundError:
            return {}
        prefix = self.root.rstrip("/") + "/"
        files: dict[str, int] = {}
        for path, info in found.items():
            path = path if path.startswith("/") or not self.root.startswith("/") else "/" + path
            if info.get("type") != "file" or not path.startswith(prefix):
                continue
            files[path[len(prefix) :]] = int(info.get("size") or 0)
        return files

    def read(self, rel: str) -> bytes | None:
        """A small file's bytes, or None if it is not there."""
        try:
            data: bytes = self.fs.cat_file(self._full(rel))
        except FileNotFoundError:
            return None
        return data

    def sha256(self, rel: str) -> str | None:
        """The SHA-256 of a file's content (read in full), or None if it is not there."""
        digest = hashlib.sha256()
        try:
            with self.fs.open(self._full(rel), "rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
        except FileNotFoundError:
            return None
        return digest.hexdigest()

    def check_paths(self, rels: Iterable[str]) -> None:
        """Raise PublishError if writing any of `rels` would touch something outside the root.

        Object stores and SFTP have nothing to check here; a folder checks for symlinks.
        """

    def put(
        self, local: Path, rel: str, *, content_type: str, cache_control: str, sha256: str
    ) -> None:
        raise NotImplementedError

    def put_bytes(
        self, data: bytes, rel: str, *, content_type: str, cache_control: str, sha256: str
    ) -> None:
        raise NotImplementedError

    def delete(self, rel: str) -> None:
        self.fs.rm_file(self._full(rel))

    def close(self) -> None:
        """Release connections (SFTP); nothing to do for most targets."""


class _RenamingTarget(Target):
    """Writes to a temporary name beside the file, then renames it over the old one."""

    def _tmp(self, rel: str) -> tuple[str, str]:
        final = self._full(rel)
        folder, name = posixpath.split(final)
        return final, posixpath.join(folder, f".{name}{TMP_MARK}{secrets.token_hex(4)}")

    def _ensure_parent(self, final: str) -> None:
        self.fs.makedirs(posixpath.dirname(final), exist_ok=True)

    def put(
        self, local: Path, rel: str, *, content_type: str, cache_control: str, sha256: str
    ) -> None:
        final, tmp = self._tmp(rel)
        self._ensure_parent(final)
        try:
            self.fs.put_file(str(local), tmp)
            self.fs.mv(tmp, final)
        except BaseException:
            self._discard(tmp)
            raise

    def put_bytes(
        self, data: bytes, rel: str, *, content_type: str, cache_control: str, sha256: str
    ) -> None:
        final, tmp = self._tmp(rel)
        self._ensure_parent(final)
        try:
            self.fs.pipe_file(tmp, data)
            self.fs.mv(tmp, final)
        except BaseException:
            self._discard(tmp)
            raise

    def _discard(self, tmp: str) -> None:
        with contextlib.suppress(Exception):  # best effort; the real error is on its way up
            self.fs.rm_file(tmp)


class FolderTarget(_RenamingTarget):
    """A local folder (a web server's document root, a mounted share, a sync folder)."""

    def __init__(self, folder: Path) -> None:
        from fsspec.implementations.local import LocalFileSystem  # type: ignore[import-untyped]

        folder = Path(folder).absolute()
        super().__init__(LocalFileSystem(), folder.as_posix(), str(folder))

    def _escape(self, rel: str, *, last: bool, seen: dict[str, str | None]) -> str | None:
        """The first symlink on the way to `rel` (to `rel` itself too when `last`), as a
        message; None when there is none. `seen` caches the answer for folders.

        Any symlink counts: one leading out of the folder would make the write land outside
        it, and one leading inside hides what is written from the listing that checks the
        uploads (and, for --delete, what is there).
        """
        root = Path(self.root).resolve()
        parts = rel.split("/")
        here = Path(self.root)
        for i, part in enumerate(parts if last else parts[:-1]):
            here = here / part
            prefix = "/".join(parts[: i + 1])
            if prefix in seen:
                if seen[prefix] is not None:
                    return seen[prefix]
                continue
            found: str | None = None
            if here.is_symlink():
                real = here.resolve()
                out = real != root and not real.is_relative_to(root)
                found = (
                    f"{self.display}/{prefix} is a symlink"
                    + (f" leading outside {self.display}" if out else "")
                    + f" (to {os.readlink(here)}); publish never writes or deletes through a "
                    "symlink at the destination. Replace it with a real "
                    f"{'file' if i == len(parts) - 1 else 'folder'}, or remove it, and rerun"
                )
            elif not here.exists():
                break  # the rest does not exist yet: it will be created inside the folder
            if i < len(parts) - 1:
                seen[prefix] = found
            if found is not None:
                return found
        return None

    def check_paths(self, rels: Iterable[str]) -> None:
        seen: dict[str, str | None] = {}
        for rel in rels:
            problem = self._escape(rel, last=True, seen=seen)
            if problem is not None:
                raise PublishError(problem)

    def _guard(self, rel: str, *, last: bool = True) -> None:
        problem = self._escape(rel, last=last, seen={})
        if problem is not None:
            raise PublishError(problem)

    def read(self, rel: str) -> bytes | None:
        self._guard(rel)
        return super().read(rel)

    def sha256(self, rel: str) -> str | None:
        self._guard(rel)
        return super().sha256(rel)

    def put(
        self, local: Path, rel: str, *, content_type: str, cache_control: str, sha256: str
    ) -> None:
        self._guard(rel)
        final, tmp = self._tmp(rel)
        self._ensure_parent(final)
        try:
            self.fs.put_file(str(local), tmp)
            _fsync(tmp)
            os.replace(tmp, final)
        except BaseException:
            self._discard(tmp)
            raise

    def put_bytes(
        self, data: bytes, rel: str, *, content_type: str, cache_control: str, sha256: str
    ) -> None:
        self._guard(rel)
        final, tmp = self._tmp(rel)
        self._ensure_parent(final)
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except BaseException:
            self._discard(tmp)
            raise

    def delete(self, rel: str) -> None:
        """Unlink the file itself (a symlink is removed, never followed); its folders must not
        lead out of the destination."""
        self._guard(rel, last=False)
        os.unlink(self._full(rel))


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class S3Options:
    endpoint_url: str | None = None
    region: str | None = None
    profile: str | None = None
    #: botocore's request_checksum_calculation. "when_required" is the default because many
    #: S3-compatible stores (older MinIO, Backblaze B2, others) reject the CRC headers
    #: botocore >= 1.36 sends otherwise; "when_supported" suits AWS itself.
    checksums: str = "when_required"


class S3Target(Target):
    """S3 and S3-compatible stores through s3fs; each object carries its HTTP headers."""

    stores_headers = True
    max_workers = 8

    def __init__(self, root: str, options: S3Options, display: str) -> None:
        import s3fs  # type: ignore[import-untyped]

        client_kwargs: dict[str, Any] = {}
        if options.endpoint_url:
            client_kwargs["endpoint_url"] = options.endpoint_url
        if options.region:
            client_kwargs["region_name"] = options.region
        fs = s3fs.S3FileSystem(
            profile=options.profile,
            client_kwargs=client_kwargs,
            config_kwargs={
                "request_checksum_calculation": options.checksums,
                "response_checksum_validation": options.checksums,
            },
            skip_instance_cache=True,
            use_listings_cache=False,
        )
        super().__init__(fs, root, display)

    def list(self) -> dict[str, int]:
        try:
            found = self.fs.find(self.root, detail=True, withdirs=False)
        except FileNotFoundError:
            bucket = self.root.split("/", 1)[0]
            raise PublishError(
                Message(
                    f"bucket {bucket!r} does not exist, or these credentials cannot list it;"
                    " create it (or check ",
                    Option("endpoint_url"),
                    ", ",
                    Option("region"),
                    ", ",
                    Option("profile"),
                    ") and rerun",
                )
            ) from None
        prefix = self.root.rstrip("/") + "/"
        return {
            path[len(prefix) :]: int(info.get("size") or 0)
            for path, info in found.items()
            if info.get("type") == "file" and path.startswith(prefix)
        }

    def _headers(self, content_type: str, cache_control: str, sha256: str) -> dict[str, Any]:
        return {
            "ContentType": content_type,
            "CacheControl": cache_control,
            "Metadata": {"sha256": sha256},
        }

    def put(
        self, local: Path, rel: str, *, content_type: str, cache_control: str, sha256: str
    ) -> None:
        self.fs.put_file(
            str(local), self._full(rel), **self._headers(content_type, cache_control, sha256)
        )

    def put_bytes(
        self, data: bytes, rel: str, *, content_type: str, cache_control: str, sha256: str
    ) -> None:
        self.fs.pipe_file(
            self._full(rel), data, **self._headers(content_type, cache_control, sha256)
        )


@dataclass(frozen=True)
class SFTPOptions:
    key_file: Path | None = None
    known_hosts: Path = field(default_factory=lambda: Path("~/.ssh/known_hosts").expanduser())
    timeout: float = 30.0


class SFTPTarget(_RenamingTarget):
    """An SFTP server through fsspec's paramiko backend.

    The server's host key must already be in the known_hosts file (connect once with `ssh` to
    check it); fsspec's default would trust any key on first contact.
    """

    def __init__(self, dest: Destination, options: SFTPOptions) -> None:
        import paramiko  # type: ignore[import-untyped]
        from fsspec.implementations.sftp import SFTPFileSystem  # type: ignore[import-untyped]

        known_hosts = options.known_hosts

        class _KnownHostsOnly(paramiko.MissingHostKeyPolicy):  # type: ignore[misc]
            def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
                keys = paramiko.HostKeys()
                if known_hosts.is_file():
                    keys.load(str(known_hosts))
                if keys.check(hostname, key):
                    return
                raise paramiko.SSHException(
                    f"host key of {hostname} is not in {known_hosts}; connect once with "
                    f"`ssh` to check and accept it, or pass --known-hosts FILE"
                )

        kwargs: dict[str, Any] = {
            "host_key_policy": _KnownHostsOnly(),
            "timeout": options.timeout,
            "skip_instance_cache": True,
        }
        if dest.port:
            kwargs["port"] = dest.port
        if dest.user:
            kwargs["username"] = dest.user
        if options.key_file:
            kwargs["key_filename"] = str(options.key_file)
        fs = SFTPFileSystem(dest.host, **kwargs)
        super().__init__(fs, dest.root, dest.display())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.fs.client.close()


def open_target(
    dest: str,
    *,
    s3: S3Options | None = None,
    sftp: SFTPOptions | None = None,
) -> Target:
    """Connect to a `--to` destination. Connection problems become PublishError."""
    parsed = parse_destination(dest)
    try:
        if parsed.scheme == "s3":
            return S3Target(parsed.root, s3 or S3Options(), parsed.display())
        if parsed.scheme == "sftp":
            return SFTPTarget(parsed, sftp or SFTPOptions())
        return FolderTarget(Path(parsed.root))
    except PublishError:
        raise
    except Exception as exc:
        raise PublishError(f"cannot connect to {parsed.display()}: {describe_error(exc)}") from exc


def describe_error(exc: BaseException) -> str:
    """One line for a dependency's exception, with a hint for known S3-compatibility traps."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    lowered = text.lower()
    if any(
        s in lowered for s in ("x-amz-checksum", "x-amz-sdk-checksum", "xamzcontentsha256mismatch")
    ):
        text += (
            " (this store rejects botocore's checksum headers: use --s3-checksums when_required)"
        )
    return " ".join(text.split())
