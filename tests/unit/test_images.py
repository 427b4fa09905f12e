"""A logo or signature must really open as a PNG or JPEG, whatever the process imported before:
WeasyPrint (the PDFs) tells Pillow to accept cut-off images for the whole process."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from shopledger.adapters.images import opens_as

pytestmark = pytest.mark.unit


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


@pytest.mark.parametrize("kind, media_type", [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_a_whole_image_opens_and_a_cut_one_does_not_even_after_weasyprint(kind, media_type):
    import weasyprint  # noqa: F401 - imported for its side effect on Pillow

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # what WeasyPrint does; the check must not care
    data = _image(kind)
    assert opens_as(data) == media_type
    assert opens_as(data[: len(data) // 2]) is None
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # and the PDFs keep their leniency


def test_not_an_image_at_all():
    assert opens_as(b"hello") is None
