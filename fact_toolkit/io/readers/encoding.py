"""Text encoding of a CSV/HTML file (BOMs, UTF-8, GB18030, else detection), and binary content."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from ...errors import FactInputError

__all__ = ["sniff_encoding", "_HEAD_BYTES", "_UTF8_BOM", "_ASCII_SAFE", "_FIX_ENCODING", "_looks_binary"]

_HEAD_BYTES = 1 << 20                # bytes used for encoding detection / header search
_TAIL_BYTES = 64 << 10
_UTF8_BOM = codecs.BOM_UTF8
# Encodings in which the bytes of '\n', '\r', '"', ',', '\t' and ';' never occur inside
# a multi-byte character: records can be cut at byte level.
_ASCII_SAFE = {
    "utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950",
    "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "ascii", "latin-1", "iso8859-1",
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
}
_FIX_ENCODING = "save the file as UTF-8 or GB18030 (in Excel: Save As → CSV UTF-8)"


def sniff_encoding(path_or_bytes: str | os.PathLike[str] | bytes | bytearray | memoryview) -> str:
    """Detect the text encoding of a CSV file.

    Parameters
    ----------
    path_or_bytes : path or bytes
        A file (its first ~1 MB and last 64 KB are examined) or its bytes.

    Returns
    -------
    str
        ``"utf-8-sig"`` (UTF-8 BOM), ``"utf-16"``/``"utf-32"`` (their BOMs, e.g. Excel
        "Unicode Text"), ``"utf-8"`` if valid UTF-8, ``"gb18030"`` if valid GB18030
        (covers GBK/GB2312), else charset-normalizer's best confident guess.

    Raises
    ------
    FactInputError
        If no encoding fits.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        label: str | os.PathLike[str] = "<bytes>"
        chunks = [(bytes(path_or_bytes), True)]
    else:
        label = path_or_bytes
        chunks = _sample_chunks(Path(path_or_bytes))
    head = chunks[0][0]
    if head.startswith(_UTF8_BOM):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for candidate in ("utf-8", "gb18030"):
        if all(_decodes(data, candidate, final) for data, final in chunks):
            return candidate
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(head[:256 << 10]).best()
    except Exception:  # pragma: no cover - defensive: detection must not crash the reader
        best = None
    if best is not None and best.encoding:
        return best.encoding
    raise FactInputError(label, "unknown text encoding", fix=_FIX_ENCODING)


def _sample_chunks(path: Path) -> list[tuple[bytes, bool]]:
    """First ``_HEAD_BYTES`` and (cut at a line start) last ``_TAIL_BYTES`` of a file."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(_HEAD_BYTES)
        if size <= len(head):
            return [(head, True)]
        f.seek(max(len(head), size - _TAIL_BYTES))
        tail = f.read()
    # '\n' never occurs inside a UTF-8 or GB18030 character: start the tail after one
    nl = tail.find(b"\n")
    tail = tail[nl + 1:] if nl >= 0 else b""
    return [(head, False), (tail, True)]


def _decodes(data: bytes, encoding: str, final: bool) -> bool:
    """True if ``data`` decodes; an incomplete character at the end is allowed unless final."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return False  # UTF-16/32 with BOM
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(head) // 100)
