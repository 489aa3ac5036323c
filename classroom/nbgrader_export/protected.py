"""Writing into a course folder an instructor works in, without ever destroying what the instructor changed there.

``make nbgrader`` (and ``make nbgrader-homework``) records in the folder's ``.make-nbgrader.json`` the SHA-256 of each
file it writes. When it runs again, a file whose content is neither what it last wrote nor what it would write now
was changed by someone else (hidden tests added to a source notebook, points changed, the config edited): it is
left as it is and reported, and the command ends with an error status. ``--overwrite`` (``make nbgrader
OVERWRITE=1``) replaces such files anyway. A file with no record (a folder written before these records existed)
counts as changed when it differs from the new text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

RECORD = ".make-nbgrader.json"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ProtectedWriter:
    """Writes files under ``course``, keeping those changed since they were written (see the module's docstring)."""

    def __init__(self, course: Path, overwrite: bool = False):
        self.course = Path(course)
        self.overwrite = overwrite
        self.kept: list[Path] = []
        self._record_path = self.course / RECORD
        self._record = json.loads(self._record_path.read_text(encoding="utf-8")) if self._record_path.is_file() \
            else {}

    def write(self, path: Path, text: str) -> bool:
        """Write ``text`` to ``path`` unless the file there was changed by someone else; False when it was kept."""
        path = Path(path)
        key = path.relative_to(self.course).as_posix()
        if path.is_file() and not self.overwrite:
            current = _digest(path.read_text(encoding="utf-8"))
            if current not in (self._record.get(key), _digest(text)):
                self.kept.append(path)
                return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self._record[key] = _digest(text)
        self._record_path.parent.mkdir(parents=True, exist_ok=True)
        self._record_path.write_text(json.dumps(self._record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return True

    def report(self) -> str:
        """What was kept and how to replace it; empty when nothing was."""
        if not self.kept:
            return ""
        listed = "\n".join(f"  {path.relative_to(self.course).as_posix()}" for path in self.kept)
        return (f"Kept {len(self.kept)} file(s) of {self.course} as they are: they changed since make nbgrader "
                f"wrote them (your hidden tests or other edits), so the chapters' current versions were not written "
                f"over them:\n{listed}\nTo replace them, copy your changes elsewhere, then run make nbgrader "
                "OVERWRITE=1 (or delete those files and run it again).")
