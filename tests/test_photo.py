"""Phone-size photos as a user meets them: a 20 MP swap and verify, the mark after edits, and bad big files."""
import json, os, subprocess, sys
import numpy as np
import pytest
from PIL import Image
from faceswaplite.core import sample_path
from faceswaplite.swap import photo_at, run_timed
from faceswaplite.provenance import embed_watermark, watermark_score, load_for_verify, WM_THRESHOLD

@pytest.fixture(scope="module")
def photo20(tmp_path_factory):
    d = tmp_path_factory.mktemp("photo")
    img = photo_at(20); p = d / "photo20.jpg"; Image.fromarray(img).save(p, quality=92)
    return img, p

def test_20mp_swap_is_marked_bounded_and_torch_free(photo20, tmp_path):
    "A 20 MP JPEG swapped with the learned ONNX model: same size, marked, under 600 MB, and torch never imported."
    img, p = photo20
    out = tmp_path / "out.jpg"
    r = run_timed(["swap", sample_path("tom_hanks"), p, "-o", out, "--model", "idn-synth-onnx", "--json"])
    assert r["rc"] == 0, r
    rep = json.loads(r["stdout"])
    assert rep["swapped"] == [0] and Image.open(out).size == (img.shape[1], img.shape[0])
    assert r["peak_mb"] < 600, r["peak_mb"]
    v = run_timed(["verify", out, "--json"])
    assert v["rc"] == 0 and json.loads(v["stdout"])["watermark"], v
    assert v["peak_mb"] < 300, v["peak_mb"]                 # verify decodes a 20 MP JPEG at 1/4 of its size
    code = ("import sys; from faceswaplite.cli import main; "
            f"rc = main(['swap', {str(sample_path('tom_hanks'))!r}, {str(p)!r}, '-o', {str(tmp_path / 'o2.jpg')!r}, '--model', 'idn-synth-onnx']); "
            "assert rc == 0; print('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1] == "False"

def test_mark_survives_edits_at_photo_sizes(photo20):
    "JPEG q75, a 0.5x resize and a crop to 80% leave the mark readable at 2 and 20 MP; unmarked photos stay near chance."
    import cv2
    for img in (photo_at(2, "t1"), photo20[0]):
        m = embed_watermark(img)
        h, w = m.shape[:2]
        jpg = cv2.imdecode(cv2.imencode(".jpg", m[..., ::-1].copy(), [cv2.IMWRITE_JPEG_QUALITY, 75])[1], 1)[..., ::-1]
        edits = [jpg, cv2.resize(m, (w // 2, h // 2), interpolation=cv2.INTER_AREA), m[h // 10:h - h // 10, w // 10:w - w // 10]]
        assert all(watermark_score(e) >= 0.9 for e in edits)
        assert watermark_score(img) <= 0.7
        assert 10 * np.log10(255 ** 2 / np.mean((m.astype(np.float32) - img) ** 2)) >= 38

def test_verify_reads_a_big_jpeg_at_a_reduction(photo20, tmp_path):
    img, _ = photo20
    p = tmp_path / "m.jpg"; Image.fromarray(embed_watermark(img)).save(p, quality=85)
    a, n = load_for_verify(p)
    assert n == 2 and max(a.shape) < 1400 and watermark_score(a, shrunk=n) >= WM_THRESHOLD

@pytest.mark.parametrize("kind", ["cmyk", "gray16", "exif6"])
def test_big_unusual_files_swap_correctly(kind, photo20, cli, tmp_path):
    "A 20 MP CMYK or 16-bit TIFF and an EXIF-rotated JPEG: a correct, upright, marked result."
    img, _ = photo20
    if kind == "cmyk": p = tmp_path / "c.tif"; Image.fromarray(img).convert("CMYK").save(p)
    elif kind == "gray16": p = tmp_path / "g.tif"; Image.fromarray(img[..., 1].astype(np.uint16) * 257).save(p)
    else:   # pixels stored turned 90 degrees anticlockwise, Orientation 6 says: turn them back
        im = Image.fromarray(np.ascontiguousarray(np.rot90(img, 1))); ex = im.getexif(); ex[0x0112] = 6
        p = tmp_path / "r.jpg"; im.save(p, exif=ex, quality=90)
    out = tmp_path / "out.jpg"
    r = cli("swap", sample_path("tom_hanks"), p, "-o", out, "--model", "idn-synth-onnx", "--json")
    assert r.returncode == 0, r.stderr
    assert Image.open(out).size == (img.shape[1], img.shape[0])       # upright, as displayed
    small = lambda a: np.asarray(Image.fromarray(a).convert("L").resize((64, 64), Image.BOX), np.float32)
    assert np.abs(small(np.asarray(Image.open(out).convert("RGB"))) - small(img)).mean() < 8   # the same picture, same way up
    assert json.loads(cli("verify", out, "--json").stdout)["watermark"]

@pytest.mark.parametrize("mode", ["L", "CMYK"])
def test_verify_grey_and_cmyk_jpeg_of_a_marked_photo(mode, photo20, tmp_path):
    "A marked 20 MP photo re-saved as a greyscale or CMYK JPEG: read through DCT scaling, the mark is still there."
    from faceswaplite.provenance import verify
    p = tmp_path / f"m_{mode}.jpg"; Image.fromarray(embed_watermark(photo20[0])).convert(mode).save(p, quality=90)
    v = verify(p)
    assert v["watermark"] and load_for_verify(p)[1] >= 1, v

def test_caller_arrays_untouched_by_a_learned_swap(photo20, tmp_path):
    "Arrays passed in are never written, even where the pipeline may paste and mark in place."
    from faceswaplite.core import sample_image
    from faceswaplite.swap import swap_file, swap_image
    src, tgt = sample_image("tom_hanks"), photo_at(2)
    s0, t0 = src.copy(), tgt.copy()
    out, _ = swap_image(src, tgt, model="idn-synth-onnx", measure=False)
    swap_file(src, tgt, tmp_path / "o.jpg", model="idn-synth-onnx", measure=False)
    assert np.array_equal(src, s0) and np.array_equal(tgt, t0) and not np.shares_memory(out, tgt)

def test_decompression_bomb_is_refused_before_decoding(cli, tmp_path):
    "A tiny file claiming 80 MP (over the limit): a clear error, exit 2, little memory, nothing written."
    p = tmp_path / "bomb.png"; Image.new("L", (10000, 8000)).save(p)
    assert p.stat().st_size < 200_000
    r = run_timed(["swap", sample_path("tom_hanks"), p, "-o", tmp_path / "o.jpg", "--model", "idn-synth-onnx"])
    assert r["rc"] == 2 and r["peak_mb"] < 250, r
    assert not (tmp_path / "o.jpg").exists()
    v = cli("verify", p)
    assert v.returncode == 2 and "too large" in v.stderr
