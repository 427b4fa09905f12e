"""Whether bytes that start like a PNG or a JPEG really open as one (Pillow, which WeasyPrint
already brings): a logo printed on every document must not be a renamed file or a broken one."""
from __future__ import annotations

import io
import threading
import warnings

from PIL import Image, ImageFile, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a logo, not a poster: far below what would take the server's memory
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
_STRICT = threading.Lock()


def opens_as(data: bytes) -> str | None:
    """The media type the bytes decode as (PNG or JPEG), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in FORMATS or image.width * image.height > MAX_PIXELS:
                    return None
                _load_strictly(image)  # every pixel decoded: a cut-off file fails here
                return FORMATS[image.format]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        return None


def _load_strictly(image: Image.Image) -> None:
    """WeasyPrint, once imported, lets Pillow fill a cut-off image with grey for the whole process
    (ImageFile.LOAD_TRUNCATED_IMAGES); this check must refuse one whatever was imported before."""
    with _STRICT:
        lenient = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient
