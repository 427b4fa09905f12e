"""The company's logo and signature printed on documents: PNG, JPEG or SVG, kept in the database
(a backup, or a second web process, has them too), at most limits.MAX_DOCUMENT_IMAGE bytes."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from shopledger.adapters import images as image_files
from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.upsert import upsert
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError
from shopledger.domain.limits import MAX_DOCUMENT_IMAGE

KINDS = {"logo": "logo", "signature": "signature"}
REMOVE = "none"


def media_type_of(data: bytes) -> str | None:
    """What the bytes are, by their first bytes (never by the file's name)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head) or (
            head.startswith(b"<!--") and b"<svg" in head):
        return "image/svg+xml"
    return None


def set_image(engine: Engine, kind: str, path: Path | str, *, now: datetime | None = None) -> dict:
    """Keep the image at `path` as the logo or signature; `none` removes it."""
    if kind not in KINDS:
        raise DomainError("invalid_setting", f"unknown image {kind!r}: logo or signature")
    if str(path) == REMOVE:
        with writing(engine) as conn:
            conn.execute(t.document_images.delete().where(t.document_images.c.kind == kind))
        return images_shown(engine)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_IMAGE:
            raise DomainError("invalid_image", f"the {kind} is {size / 1_000_000:.1f} MB; at most "
                                               f"{MAX_DOCUMENT_IMAGE // 1_000_000} MB is printed on documents")
        data = path.read_bytes()
    except OSError as error:
        raise DomainError("invalid_image", f"cannot read the {kind} file {path.name}: {error.strerror}") from None
    media_type = media_type_of(data)
    if media_type is None:
        raise DomainError("invalid_image", f"the {kind} file {path.name} is not a PNG, JPEG or SVG image")
    if media_type != "image/svg+xml" and image_files.opens_as(data) != media_type:
        raise DomainError("invalid_image", f"the {kind} file {path.name} does not open as an image: "
                                           "it is damaged, cut off or too large in pixels")
    with writing(engine) as conn:
        upsert(conn, t.document_images, [{"kind": kind, "media_type": media_type, "data": data,
                                          "filename": path.name[:200], "updated_at": now or utc_now()}],
               ["kind"], ["media_type", "data", "filename", "updated_at"])
    return images_shown(engine)


def images(conn: Connection) -> dict[str, tuple[str, bytes]]:
    """kind -> (media type, bytes) of the images set."""
    return {r.kind: (r.media_type, r.data) for r in conn.execute(select(t.document_images))}


def images_shown(engine: Engine) -> dict:
    """What the settings show of them: file name, type and size, or None."""
    di = t.document_images
    with reading(engine) as conn:
        rows = {r.kind: r for r in conn.execute(select(di.c.kind, di.c.media_type, di.c.filename, di.c.updated_at))}
    return {kind: ({"filename": rows[kind].filename, "media_type": rows[kind].media_type,
                    "updated_at": rows[kind].updated_at.isoformat()} if kind in rows else None) for kind in KINDS}


def image_of(engine: Engine, kind: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of the logo or the signature, or None when none is set."""
    with reading(engine) as conn:
        return images(conn).get(kind)
