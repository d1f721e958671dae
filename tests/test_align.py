"""faceswaplite.align: what the notebook cannot hold: a property test of `umeyama`, the SCRFD path with a stand-in ONNX model."""
import math
import numpy as np
import pytest
from hypothesis import given, settings, assume, strategies as st
from hypothesis.extra.numpy import arrays

from faceswaplite.align import (umeyama, apply_affine, template, align_face, paste_back, detect_faces, detect_face, get_detector,
                                Face, NoFaceError, DetectorError, SCRFD, ARCFACE_112)
from faceswaplite.core import FaceSwapError

# ---------------------------------------------------------------- umeyama: a property test

coords = st.floats(-300, 300, allow_nan=False, allow_infinity=False)

@settings(max_examples=300, deadline=None)
@given(angle=st.floats(-math.pi, math.pi), scale=st.floats(0.05, 20), tx=st.floats(-500, 500), ty=st.floats(-500, 500),
       pts=st.integers(2, 12).flatmap(lambda n: arrays(np.float64, (n, 2), elements=coords)))
def test_umeyama_recovers_similarity(angle, scale, tx, ty, pts):
    c = pts - pts.mean(0)
    assume(np.linalg.svd(c, compute_uv=False)[0] > 1.0)     # not all points (nearly) on top of each other
    M = np.array([[scale * math.cos(angle), -scale * math.sin(angle), tx], [scale * math.sin(angle), scale * math.cos(angle), ty]])
    got = umeyama(pts, apply_affine(M, pts))
    assert np.abs(got - M).max() <= 1e-6 * max(1.0, np.abs(M).max())

@settings(max_examples=100, deadline=None)
@given(src=arrays(np.float64, (5, 2), elements=coords), dst=arrays(np.float64, (5, 2), elements=coords))
def test_umeyama_matches_skimage(src, dst):
    from skimage.transform import SimilarityTransform
    assume(np.linalg.svd(src - src.mean(0), compute_uv=False)[1] > 1.0)   # a 2-D spread: the fit is unique
    est = SimilarityTransform.from_estimate(src, dst)
    assume(bool(est))                                                     # skimage declines ill-conditioned sets
    ref = est.params[:2]
    assert np.abs(umeyama(src, dst) - ref).max() <= 1e-6 * max(1.0, np.abs(ref).max())

def test_umeyama_never_reflects():
    src = np.array([[0, 0], [3, 0], [0, 1], [1, 2.]])
    M = umeyama(src, src * [-1, 1])                           # a mirror image cannot be fitted by a rotation ...
    assert np.linalg.det(M[:, :2]) > 0                        # ... so the best fit is a (smaller) rotation, never a flip

# ---------------------------------------------------------------- SCRFD, with a stand-in model of the same signature

def make_scrfd_standin(path, input_size=640):
    """An ONNX model with SCRFD's 9 outputs (scores, box distances, keypoints for strides 8, 16, 32; 2 anchors per place)
    that "detects" red squares: at stride 32, a place whose 32x32 cell is red scores ~1; every other score is ~0.
    Boxes: 1.5 strides from the anchor point each way; keypoints at fixed offsets (in strides) from it."""
    import onnx
    from onnx import helper, TensorProto, numpy_helper
    n = {s: (input_size // s) ** 2 * 2 for s in (8, 16, 32)}
    kps = np.array([[-0.5, -0.4], [0.5, -0.4], [0.0, 0.0], [-0.4, 0.5], [0.4, 0.5]], np.float32).reshape(1, 10)
    inits = [numpy_helper.from_array(np.array([0], np.int64), "c0"), numpy_helper.from_array(np.array([1], np.int64), "c1"),
             numpy_helper.from_array(np.array([1], np.int64), "ax1"), numpy_helper.from_array(np.array(0.9, np.float32), "thr"),
             numpy_helper.from_array(np.array(20.0, np.float32), "gain"), numpy_helper.from_array(np.array([-1, 1], np.int64), "shp")]
    nodes = [helper.make_node("Slice", ["input.1", "c0", "c1", "ax1"], ["red"]),                      # channel 0 = R (blob is RGB)
             helper.make_node("AveragePool", ["red"], ["pool"], kernel_shape=[32, 32], strides=[32, 32]),
             helper.make_node("Sub", ["pool", "thr"], ["d"]), helper.make_node("Mul", ["d", "gain"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["sig"]), helper.make_node("Reshape", ["sig", "shp"], ["s1"]),
             helper.make_node("Concat", ["s1", "s1"], ["s2"], axis=1), helper.make_node("Reshape", ["s2", "shp"], ["score_32"])]
    outs = []
    for s in (8, 16):
        inits.append(numpy_helper.from_array(np.zeros((n[s], 1), np.float32), f"score_{s}"))
    for s in (8, 16, 32):
        inits.append(numpy_helper.from_array(np.full((n[s], 4), 1.5, np.float32), f"bbox_{s}"))
        inits.append(numpy_helper.from_array(np.repeat(kps, n[s], 0), f"kps_{s}"))
    # graph outputs must be produced by nodes: pass the constants through Identity
    for name in ["score_8", "score_16", "bbox_8", "bbox_16", "bbox_32", "kps_8", "kps_16", "kps_32"]:
        inits[[i.name for i in inits].index(name)].name = name + "_c"
        nodes.append(helper.make_node("Identity", [name + "_c"], [name]))
    for kind, w in (("score", 1), ("bbox", 4), ("kps", 10)):
        for s in (8, 16, 32): outs.append(helper.make_tensor_value_info(f"{kind}_{s}", TensorProto.FLOAT, [n[s], w]))
    g = helper.make_graph(nodes, "scrfd_standin", [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, [1, 3, input_size, input_size])],
                          outs, initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
    return path

@pytest.fixture(scope="module")
def scrfd_pack(tmp_path_factory):
    d = tmp_path_factory.mktemp("buffalo_standin")
    make_scrfd_standin(d / "det_10g.onnx")
    return d

def test_scrfd_standin_box_and_keypoints(scrfd_pack):
    # a 320x320 image is resized x2 to 640: the red 16x16 square at rows 160:176, cols 96:112 is the stride-32 cell (row 10, col 6)
    img = np.zeros((320, 320, 3), np.uint8); img[160:176, 96:112] = (255, 0, 0)
    faces = detect_faces(img, detector="scrfd", model_path=scrfd_pack)
    assert len(faces) == 1
    f = faces[0]
    ax, ay = 6 * 32 / 2, 10 * 32 / 2                 # the anchor point (a cell's top-left corner) in image pixels
    np.testing.assert_allclose(f.box, (ax - 24, ay - 24, ax + 24, ay + 24), atol=1e-3)
    off = np.array([[-0.5, -0.4], [0.5, -0.4], [0.0, 0.0], [-0.4, 0.5], [0.4, 0.5]]) * 32 / 2
    np.testing.assert_allclose(f.kps, [ax, ay] + off, atol=1e-3)
    assert f.score > SCRFD.threshold and f.landmarks68 is None

def test_scrfd_reads_rgb_and_pack_paths(scrfd_pack):
    blue = np.zeros((320, 320, 3), np.uint8); blue[160:176, 96:112] = (0, 0, 255)
    assert detect_faces(blue, detector=f"scrfd:{scrfd_pack}") == []             # channel order: only red fires
    red = np.zeros((320, 320, 3), np.uint8); red[160:176, 96:112] = (255, 0, 0)
    by_file = detect_faces(red, detector=f"scrfd:{scrfd_pack / 'det_10g.onnx'}")
    assert len(by_file) == 1 and isinstance(get_detector("scrfd", scrfd_pack), SCRFD)

def test_scrfd_bad_paths(tmp_path):
    with pytest.raises(DetectorError, match="no SCRFD model"): get_detector("scrfd", tmp_path)
    (tmp_path / "det_bad.onnx").write_bytes(b"not a model")
    with pytest.raises(DetectorError, match="cannot load as an SCRFD model"): get_detector("scrfd", tmp_path)

# ---------------------------------------------------------------- errors and the record

def test_no_face_is_a_clear_error():
    blank = np.full((200, 200, 3), 128, np.uint8)
    assert detect_faces(blank) == []
    with pytest.raises(NoFaceError, match="no face found"): detect_face(blank)
    assert issubclass(NoFaceError, FaceSwapError)

def test_detect_face_index_out_of_range():
    from faceswaplite.core import sample_image
    with pytest.raises(NoFaceError, match="only 1 found"): detect_face(sample_image("tom_hanks"), index=3)

def test_bad_arguments():
    img = np.zeros((64, 64, 3), np.uint8)
    with pytest.raises(DetectorError, match="landmarks must be"): detect_faces(img, landmarks="3")
    with pytest.raises(ValueError, match="5x2"): align_face(img, np.zeros((4, 2)))

def test_align_paste_inputs_untouched_and_sizes():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (300, 280, 3), dtype=np.uint8); before = img.copy()
    kps = ARCFACE_112 * 1.5 + [60, 50]
    for size in (112, 128, 224, 256):
        crop, M = align_face(img, kps, size)
        assert crop.shape == (size, size, 3) and M.shape == (2, 3)
        np.testing.assert_allclose(apply_affine(M, kps), template(size), atol=1e-4)
        c0 = crop.copy()
        out = paste_back(img, crop, M, color_match=True)
        assert out.shape == img.shape and out.dtype == np.uint8 and out is not img
        np.testing.assert_array_equal(img, before); np.testing.assert_array_equal(crop, c0)

def test_scrfd_with_dlib68(scrfd_pack):
    img = np.zeros((320, 320, 3), np.uint8); img[160:176, 96:112] = (255, 0, 0)
    plain, with68 = (detect_faces(img, detector="scrfd", model_path=scrfd_pack, landmarks=lm)[0] for lm in ("5", "68"))
    assert with68.landmarks68.shape == (68, 2)
    np.testing.assert_array_equal(with68.kps, plain.kps)   # SCRFD's own 5 points are kept; dlib's 68 come alongside
