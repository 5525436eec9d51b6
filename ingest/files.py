"""Read a source file safely: refuse missing, empty and non-text files; compute its checksum."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError


@dataclass(frozen=True)
class TextFile:
    path: Path
    text: str
    checksum: str

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def read_text_file(path: Path) -> TextFile:
    """The file's UTF-8 text; an `IngestError` for anything that is not a non-empty text file."""
    if not path.exists():
        raise IngestError(path, "no such file")
    if not path.is_file():
        raise IngestError(path, "not a file")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path, "the file is empty")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise IngestError(path, "not a text file (it contains NUL bytes)", line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise IngestError(path, "not a UTF-8 text file", line=line) from None
    return TextFile(path=path, text=text, checksum=hashlib.sha256(data).hexdigest())
