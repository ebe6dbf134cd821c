"""A streaming multipart/form-data encoder.

A MultipartBody knows its exact length up front (so it can be sent with Content-Length) and
yields its bytes chunk by chunk: file parts are read from disk, generated parts are produced on
the fly, so bodies of any size stay out of memory.
"""
from __future__ import annotations

import os
import random
import uuid
from dataclasses import dataclass
from typing import Callable, Iterator

CHUNK = 256 * 1024


@dataclass
class Part:
    name: str
    length: int
    chunks: Callable[[], Iterator[bytes]]   # a fresh iterator each call
    filename: str | None = None
    content_type: str | None = None

    def header(self, boundary: str) -> bytes:
        disposition = f'form-data; name="{self.name}"'
        if self.filename is not None:
            disposition += f'; filename="{self.filename}"'
        lines = [f"--{boundary}", f"Content-Disposition: {disposition}"]
        if self.content_type:
            lines.append(f"Content-Type: {self.content_type}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


def field(name: str, value: str) -> Part:
    data = value.encode()
    return Part(name, len(data), lambda: iter([data]))


def bytes_file(name: str, data: bytes, filename: str,
               content_type: str = "application/octet-stream") -> Part:
    return Part(name, len(data), lambda: iter([data]), filename, content_type)


def path_file(name: str, path: str | os.PathLike, filename: str | None = None,
              content_type: str = "application/octet-stream") -> Part:
    def chunks() -> Iterator[bytes]:
        with open(path, "rb") as f:
            while block := f.read(CHUNK):
                yield block
    return Part(name, os.path.getsize(path), chunks,
                filename if filename is not None else os.path.basename(path), content_type)


def random_bytes(size: int, seed: int = 0) -> Iterator[bytes]:
    """Deterministic pseudo-random bytes, generated CHUNK by CHUNK."""
    rng = random.Random(seed)
    left = size
    while left > 0:
        n = min(CHUNK, left)
        yield rng.randbytes(n)
        left -= n


def generated_file(name: str, size: int, filename: str, seed: int = 0,
                   content_type: str = "application/octet-stream") -> Part:
    return Part(name, size, lambda: random_bytes(size, seed), filename, content_type)


class MultipartBody:
    """Iterable multipart/form-data body. closing=False leaves out the final boundary."""

    def __init__(self, parts: list[Part], boundary: str | None = None, closing: bool = True):
        self.parts = parts
        self.boundary = boundary or f"kinora-test-{uuid.uuid4().hex}"
        self.closing = closing

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def _trailer(self) -> bytes:
        return f"--{self.boundary}--\r\n".encode() if self.closing else b""

    def __len__(self) -> int:
        total = sum(len(p.header(self.boundary)) + p.length + 2 for p in self.parts)
        return total + len(self._trailer())

    def __iter__(self) -> Iterator[bytes]:
        for part in self.parts:
            yield part.header(self.boundary)
            yield from part.chunks()
            yield b"\r\n"
        if trailer := self._trailer():
            yield trailer

    def headers(self) -> dict[str, str]:
        return {"Content-Type": self.content_type, "Content-Length": str(len(self))}

    def to_bytes(self) -> bytes:
        """Only for small bodies (tests of framing)."""
        return b"".join(self)
