#!/usr/bin/env python3
"""unpack - unpacks a student's archive, or says in one short line why not.

    unpack.py ARCHIVE DEST

ARCHIVE is a .tar.gz, .tgz or .zip.  Only plain files and folders are
unpacked, with modes 644 and 755, owned by whoever runs this.  The archive
is refused (and DEST emptied), with a reason of at most MAX_REASON characters on stderr and
exit status 1, as soon as something in it breaks a limit:

  - a name is absolute, has a ".." part, or is longer than MAX_NAME;
  - a member is not a plain file or a folder (links, devices, sparse files);
  - there are more than MAX_FILES members, or more than MAX_BYTES to write;
  - a tar header (GNU long name, pax) is longer than MAX_HEADER.

Members are checked one by one as they are read, before anything of them
is kept: a tar archive is streamed, never listed whole first.  The process
also limits itself (MAX_MEMORY of address space, MAX_CPU seconds of CPU,
no file over MAX_BYTES): what the checks miss fails there, with a short
reason too.  grade-all adds a wall-clock timeout.
"""
import os
import resource
import shutil
import sys
import tarfile
import zipfile

MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 2000
MAX_NAME = 1024
MAX_HEADER = 64 * 1024
MAX_MEMORY = 256 * 1024 * 1024
MAX_CPU = 60
MAX_REASON = 200
CHUNK = 64 * 1024


class Refused(Exception):
    """The archive breaks a rule; the message says which."""


def shown(name, limit=60):
    """A member name as a short printable text, for a reason."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class BoundedTarInfo(tarfile.TarInfo):
    """A tar header that refuses a long-name or pax header longer than
    MAX_HEADER before reading it (tarfile would read all of it into memory)."""

    def _proc_gnulong(self, tarfile_):
        if self.size > MAX_HEADER:
            raise Refused(f"a GNU long name of {self.size} bytes (at most {MAX_HEADER})")
        return super()._proc_gnulong(tarfile_)

    def _proc_pax(self, tarfile_):
        if self.size > MAX_HEADER:
            raise Refused(f"a pax header of {self.size} bytes (at most {MAX_HEADER})")
        return super()._proc_pax(tarfile_)


class Unpacker:
    """Writes members into dest, keeping count of files and bytes."""

    def __init__(self, dest):
        self.dest = dest
        self.files = 0
        self.bytes = 0

    def check(self, name, size):
        """Refuses a member called name, of size bytes, that breaks a limit."""
        self.files += 1
        if self.files > MAX_FILES:
            raise Refused(f"more than {MAX_FILES} files")
        if len(name) > MAX_NAME:
            raise Refused(f"a name of {len(name)} characters (at most {MAX_NAME})")
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts:
            raise Refused(f"{shown(name)}: a path outside the submission")
        self.bytes += size
        if self.bytes > MAX_BYTES:
            raise Refused(f"more than {MAX_BYTES} bytes unpacked")

    def path(self, name):
        return os.path.join(self.dest, *[p for p in name.replace("\\", "/").split("/") if p])

    def folder(self, name):
        os.makedirs(self.path(name), mode=0o755, exist_ok=True)

    def file(self, name, data, size):
        """Copies at most size bytes of the file object data to member name."""
        path = self.path(name)
        os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            left = size
            while left > 0:
                chunk = data.read(min(CHUNK, left))
                if not chunk:
                    raise Refused(f"{shown(name)}: shorter than its header says")
                f.write(chunk)
                left -= len(chunk)


def unpack_tar(archive, unpacker):
    # "r|gz": a stream, read member after member; iterating it checks each
    # one before the next header is even read.
    with tarfile.open(archive, "r|gz", tarinfo=BoundedTarInfo) as tar:
        for member in tar:
            unpacker.check(member.name, member.size)
            if member.isdir():
                unpacker.folder(member.name)
            elif member.isfile() and not member.issparse():
                unpacker.file(member.name, tar.extractfile(member), member.size)
            else:
                raise Refused(f"{shown(member.name)}: not a plain file or folder")


def unpack_zip(archive, unpacker):
    with zipfile.ZipFile(archive) as z:
        members = z.infolist()
        # Every size and name first (the zip's directory is already read):
        # nothing is written from an archive that breaks a limit.
        for info in members:
            unpacker.check(info.filename, info.file_size)
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise Refused(f"{shown(info.filename)}: a symbolic link")
        for info in members:
            if info.is_dir():
                unpacker.folder(info.filename)
            else:
                # zipfile stops at the size the directory gives, and fails
                # on data that does not match it.
                with z.open(info) as data:
                    unpacker.file(info.filename, data, info.file_size)


def limit_self():
    resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY, MAX_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (MAX_CPU, MAX_CPU))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_BYTES, MAX_BYTES))


def unpack(archive, dest):
    """None when archive is unpacked into dest, else why not."""
    unpacker = Unpacker(dest)
    try:
        if os.path.getsize(archive) > MAX_BYTES:
            raise Refused(f"the archive is larger than {MAX_BYTES} bytes")
        if archive.endswith(".zip"):
            unpack_zip(archive, unpacker)
        else:
            unpack_tar(archive, unpacker)
    except Refused as e:
        return str(e)
    except MemoryError:
        return f"unpacking needs more than {MAX_MEMORY // 2**20} MiB of memory"
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError,
            UnicodeError, ValueError) as e:
        return f"cannot unpack: {e}"
    except Exception as e:  # noqa: BLE001 (zlib.error and the like: a reason all the same)
        return f"cannot unpack: {type(e).__name__}: {e}"
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    limit_self()
    why = unpack(sys.argv[1], sys.argv[2])
    if why:
        # Nothing is kept of a refused archive (a tar is refused only when
        # the member that breaks a rule comes).
        for name in os.listdir(sys.argv[2]):
            path = os.path.join(sys.argv[2], name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        why = "".join(c if c.isprintable() else " " for c in why)
        print(why if len(why) <= MAX_REASON else why[: MAX_REASON - 3] + "...", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
