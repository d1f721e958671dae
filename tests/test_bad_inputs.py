"""A corpus of bad and awkward inputs, generated at test time: each gets `ImageError` with a message naming the file and the
reason, or loads as RGB uint8; no input file ever changes."""
import io, os
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
from faceswaplite.core import ImageError, load_image, save_image
from conftest import snapshot

RNG = np.random.default_rng(0)
RGB = Image.fromarray(RNG.integers(0, 256, (48, 40, 3), dtype=np.uint8))

def _png(im, **kw):
    b = io.BytesIO(); im.save(b, "PNG", **kw); return b.getvalue()

def _jpg(im, **kw):
    b = io.BytesIO(); im.save(b, "JPEG", **kw); return b.getvalue()

BAD = {  # file name -> (bytes, expected words in the message)
    "text.png": (b"this is not an image at all", "not an image"),
    "empty.jpg": (b"", "empty file"),
    "truncated.jpg": (_jpg(RGB)[:300], "truncated"),
    "truncated.png": (_png(RGB)[:120], "truncated"),
    "one_pixel.png": (_png(Image.new("RGB", (1, 1))), "too small"),
    "zero_height.npy": (None, None),  # array case below
    "bomb.png": (_png(Image.new("1", (20000, 20000))), "too large"),
}

def _exif_rotated():
    ex = Image.Exif(); ex[0x0112] = 6  # rotate 90 degrees clockwise when shown
    return _jpg(RGB, exif=ex.tobytes())

GOOD = {  # file name -> (bytes, expected shape)
    "gray.png": (_png(RGB.convert("L")), (48, 40, 3)),
    "rgba.png": (_png(RGB.convert("RGBA")), (48, 40, 3)),
    "palette.png": (_png(RGB.convert("P")), (48, 40, 3)),
    "gray16.png": (_png(Image.fromarray((RNG.integers(0, 65535, (48, 40))).astype(np.uint16))), (48, 40, 3)),
    "cmyk.jpg": (_jpg(RGB.convert("CMYK")), (48, 40, 3)),
    "exif_rotated.jpg": (_exif_rotated(), (40, 48, 3)),
}

@pytest.fixture
def corpus(tmp_path):
    for name, (data, _) in {**BAD, **GOOD}.items():
        if data is not None: (tmp_path / name).write_bytes(data)
    os.chmod(tmp_path, 0o755)
    return tmp_path

@pytest.mark.parametrize("name", [n for n, (d, _) in BAD.items() if d is not None])
def test_bad_file_clear_error(corpus, name):
    before = snapshot(corpus)
    with pytest.raises(ImageError) as e: load_image(corpus / name)
    msg = str(e.value)
    assert name in msg and BAD[name][1] in msg, msg
    assert "\n" not in msg
    assert snapshot(corpus) == before

@pytest.mark.parametrize("name", list(GOOD))
def test_awkward_file_loads(corpus, name):
    before = snapshot(corpus)
    a = load_image(corpus / name)
    assert a.dtype == np.uint8 and a.shape == GOOD[name][1]
    assert snapshot(corpus) == before

def test_16bit_scaled_not_clipped(tmp_path):
    a = np.full((16, 16), 65535, np.uint16); a[:8] = 32768
    p = tmp_path / "g16.png"; Image.fromarray(a).save(p)
    img = load_image(p)
    assert img[0, 0, 0] == 128 and img[-1, -1, 0] == 255

def test_missing_and_folder(tmp_path):
    with pytest.raises(ImageError, match="file not found"): load_image(tmp_path / "nope.png")
    with pytest.raises(ImageError, match="is a folder"): load_image(tmp_path)

def test_zero_size_array():
    with pytest.raises(ImageError, match="too small"): load_image(np.zeros((0, 10, 3), np.uint8))

def test_pixel_limit_configurable(corpus):
    with pytest.raises(ImageError, match="too large"): load_image(corpus / "gray.png", max_pixels=100)
    assert load_image(corpus / "gray.png", max_pixels=10_000).shape == (48, 40, 3)

def test_save_never_overwrites_input(corpus):
    before = snapshot(corpus)
    img = load_image(corpus / "gray.png")
    with pytest.raises(ImageError, match="refusing to overwrite an input"): save_image(img, corpus / "gray.png")
    with pytest.raises(ImageError, match="refusing to overwrite an input"): save_image(img, corpus / "new.png", inputs=[corpus / "new.png"])
    assert snapshot(corpus) == before

def test_save_unwritable_folder(tmp_path):
    ro = tmp_path / "ro"; ro.mkdir(); os.chmod(ro, 0o555)
    try:
        if os.access(ro, os.W_OK): pytest.skip("running as a user who can write anywhere")
        with pytest.raises(ImageError, match="not writable"): save_image(np.zeros((16, 16, 3), np.uint8), ro / "x.png")
    finally: os.chmod(ro, 0o755)

def test_save_is_atomic_on_failure(tmp_path, monkeypatch):
    "If encoding fails half-way, the old file stays and no temp file is left."
    out = tmp_path / "out.png"; out.write_bytes(b"old")
    def boom(*a, **k): raise RuntimeError("disk full")
    monkeypatch.setattr(Image.Image, "save", boom)
    with pytest.raises(RuntimeError): save_image(np.zeros((16, 16, 3), np.uint8), out)
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.png"]

def test_save_into_a_file_not_a_folder(tmp_path):
    f = tmp_path / "afile"; f.write_bytes(b"x")
    with pytest.raises(ImageError, match="not a folder"): save_image(np.zeros((16, 16, 3), np.uint8), f / "x.png")
    assert f.read_bytes() == b"x"
