"""An order file kept between its preview and its post (the Import Data page's two steps).

The browser cannot send a file a second time, so the upload is kept on this machine's disk
under a random name the preview page carries in its Post form, with the e-mail of the person
who uploaded it: only they can post it. A posted file is deleted; one never posted is deleted
after a day, when the next preview finds it. Web processes of one server share the folder.
"""
from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

FOLDER = Path(tempfile.gettempdir()) / "shopledger-previews"
KEPT_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_OWNER = "owner"


def hold(upload: BinaryIO, name: str, owner: str) -> tuple[str, Path]:
    """Keep the upload as `name`; returns its token and path."""
    _forget_old()
    token = secrets.token_urlsafe(24)
    folder = FOLDER / token
    folder.mkdir(parents=True, mode=0o700)
    (folder / _OWNER).write_text(owner, encoding="utf-8")
    path = folder / "file" / name
    path.parent.mkdir()
    with path.open("wb") as saved:
        shutil.copyfileobj(upload, saved)
    return token, path


def held(token: str, owner: str) -> Path | None:
    """The file kept under `token` for `owner`, or None (unknown, another person's, or gone)."""
    if not _TOKEN.match(token or ""):
        return None
    folder = FOLDER / token
    try:
        if (folder / _OWNER).read_text(encoding="utf-8") != owner:
            return None
        return next((folder / "file").iterdir(), None)
    except OSError:
        return None


def let_go(token: str) -> None:
    if _TOKEN.match(token or ""):
        shutil.rmtree(FOLDER / token, ignore_errors=True)


def _forget_old() -> None:
    if not FOLDER.is_dir():
        return
    oldest = time.time() - KEPT_SECONDS
    for folder in FOLDER.iterdir():
        try:
            if folder.stat().st_mtime < oldest:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
