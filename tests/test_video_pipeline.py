"""The pipelined `swap_video`: the same frames, order, timestamps and sound as the serial run; a failure leaves no file."""
import numpy as np
import pytest
from faceswaplite.core import sample_image
from faceswaplite.swap import make_sample_video, swap_video, read_frames, video_info, ClassicalSwapper

def _pts(path):
    import av
    with av.open(str(path)) as c:
        v = [f.pts for f in c.decode(video=0)]
    with av.open(str(path)) as c:
        a = [(p.pts, p.size) for p in c.demux(audio=0) if p.dts is not None] if c.streams.audio else []
    return v, a

@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_sample_video(tmp_path_factory.mktemp("v") / "clip.mp4", size=(320, 240), seconds=2.0, fps=15, audio=True)

@pytest.mark.parametrize("model", ["classical", "idn-synth-onnx"])
def test_pipelined_equals_serial(clip, tmp_path, model):
    src = sample_image("astronaut")
    r0 = swap_video(src, clip, tmp_path / "serial.mp4", model=model, pipeline=False, progress=False)
    r1 = swap_video(src, clip, tmp_path / "piped.mp4", model=model, pipeline=True, progress=False, queue_size=2)
    assert r0["frames"] == r1["frames"] == video_info(clip)["frames"] and r0["swapped"] == r1["swapped"] > 0
    a, b = list(read_frames(tmp_path / "serial.mp4")), list(read_frames(tmp_path / "piped.mp4"))
    assert len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))
    assert _pts(tmp_path / "serial.mp4") == _pts(tmp_path / "piped.mp4")
    assert video_info(tmp_path / "piped.mp4")["audio"] and _pts(tmp_path / "piped.mp4")[1] == _pts(clip)[1]   # sound copied as is

class _Fails(ClassicalSwapper):
    def __init__(self, exc): super().__init__(); self.k, self.exc = 0, exc
    def swap(self, *a, **kw):
        self.k += 1
        if self.k == 7: raise self.exc
        return super().swap(*a, **kw)

@pytest.mark.parametrize("exc", [KeyboardInterrupt(), RuntimeError("model crashed")])
def test_a_failed_stage_stops_everything_and_writes_nothing(clip, tmp_path, exc):
    with pytest.raises(type(exc)):
        swap_video(sample_image("astronaut"), clip, tmp_path / "out.mp4", model=_Fails(exc), progress=False)
    assert list(tmp_path.iterdir()) == []          # no output, no temporary file
    import threading
    assert not [t for t in threading.enumerate() if t.name.startswith("swap_video-")]   # every stage thread has ended

# --- bad and unusual input: variable frame rate, phone rotation, damaged files, faceless frames, a full disk ---
import errno, fractions, hashlib, struct
from faceswaplite.swap import VideoError, VideoWriter

def _sha(p): return hashlib.sha256(open(p, "rb").read()).hexdigest()

def _write(path, frames, times=None, fps=15):
    "Frames to an H.264 mp4 at `times` (seconds; None: constant rate)."
    import av
    with av.open(str(path), "w") as o:
        v = o.add_stream("libx264", rate=fps, options={"crf": "14"}); v.width, v.height, v.pix_fmt = frames[0].shape[1], frames[0].shape[0], "yuv420p"
        v.codec_context.time_base = fractions.Fraction(1, 90000)
        for i, f in enumerate(frames):
            vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(f), format="rgb24")
            vf.pts, vf.time_base = round((times[i] if times is not None else i / fps) * 90000), fractions.Fraction(1, 90000)
            for p in v.encode(vf): o.mux(p)
        for p in v.encode(): o.mux(p)
    return path

def _times(path):
    import av
    with av.open(str(path)) as c: return [f.time for f in c.decode(video=0)]

def test_variable_frame_rate_keeps_every_timestamp(clip, tmp_path):
    frames = list(read_frames(clip))[:16]
    ts = np.cumsum([0.0] + [0.033, 0.1, 0.02, 0.066, 0.2, 0.033, 0.05] * 3)[:16]   # irregular gaps, as phones record
    vfr = _write(tmp_path / "vfr.mp4", frames, list(ts))
    for pipeline in (False, True):
        out = tmp_path / f"out{int(pipeline)}.mp4"
        r = swap_video(sample_image("astronaut"), vfr, out, pipeline=pipeline, progress=False)
        assert r["frames"] == 16 and r["swapped"] > 0
        assert np.allclose(_times(out), _times(vfr), atol=1e-3), (_times(out), _times(vfr))

def test_constant_rate_timestamps_and_frame_count_kept(clip, tmp_path):
    out = tmp_path / "out.mp4"
    swap_video(sample_image("astronaut"), clip, out, progress=False)
    assert np.allclose(_times(out), _times(clip), atol=1e-3) and video_info(out)["frames"] == video_info(clip)["frames"]

def _rotate_display(path, out):
    "A copy of `path` whose track matrix says 'show turned 90 degrees clockwise', as a phone filming upright writes."
    b = bytearray(open(path, "rb").read()); i = b.find(b"tkhd") + 44     # the 3x3 matrix of the track header (version 0)
    b[i:i + 36] = struct.pack(">9i", 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
    open(out, "wb").write(bytes(b)); return out

def test_rotated_phone_video_is_read_and_swapped_upright(clip, tmp_path):
    upright = list(read_frames(clip))[:12]
    stored = _write(tmp_path / "stored.mp4", [np.rot90(f, 1) for f in upright])   # the sensor's sideways frames
    phone = _rotate_display(stored, tmp_path / "phone.mp4")
    info = video_info(phone)
    assert (info["width"], info["height"], info["rotation"]) == (upright[0].shape[1], upright[0].shape[0], 270)
    got = list(read_frames(phone))
    assert got[0].shape == upright[0].shape
    assert np.abs(got[5].astype(int) - upright[5]).mean() < 3            # upright again (codec noise only)
    before = _sha(phone)
    r = swap_video(sample_image("astronaut"), phone, tmp_path / "out.mp4", progress=False)
    assert r["swapped"] == 12 and _sha(phone) == before
    o = video_info(tmp_path / "out.mp4")
    assert (o["width"], o["height"], o["rotation"]) == (upright[0].shape[1], upright[0].shape[0], 0)

def test_damaged_file_is_a_clear_error_and_nothing_is_written(clip, tmp_path):
    b = bytearray(open(clip, "rb").read()); n = len(b)
    b[n // 2: n // 2 + 3000] = np.random.default_rng(0).integers(0, 256, 3000, dtype=np.uint8).tobytes()
    bad = tmp_path / "bad.mp4"; bad.write_bytes(bytes(b)); before = _sha(bad)
    for pipeline in (False, True):
        with pytest.raises(VideoError, match="damaged after frame"):
            swap_video(sample_image("astronaut"), bad, tmp_path / "out.mp4", pipeline=pipeline, progress=False)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.mp4"] and _sha(bad) == before

def test_frames_without_a_face_pass_through(clip, tmp_path):
    frames = list(read_frames(clip))[:20]
    for i in range(6, 11): frames[i] = np.full_like(frames[i], 120)   # the face leaves the picture
    v = _write(tmp_path / "gap.mp4", frames)
    r = swap_video(sample_image("astronaut"), v, tmp_path / "out.mp4", progress=False)
    assert (r["frames"], r["swapped"]) == (20, 15)
    out, inp = list(read_frames(tmp_path / "out.mp4")), list(read_frames(v))
    assert all(np.abs(out[i].astype(int) - inp[i]).mean() < 1.5 for i in range(6, 11))   # as they came (codec noise only)
    assert all(np.abs(out[i].astype(int) - inp[i]).mean() > 3 for i in (0, 12))            # the faces around them: swapped

def test_output_equal_to_input_is_refused(clip):
    before = _sha(clip)
    with pytest.raises(VideoError, match="overwrite"):
        swap_video(sample_image("astronaut"), clip, clip, progress=False)
    assert _sha(clip) == before

def test_full_disk_is_a_clear_error_and_leaves_no_file(clip, tmp_path, monkeypatch):
    real, calls = VideoWriter._mux, [0]
    def then_full(packets):                     # the eighth write meets a full disk, as the muxer reports it
        calls[0] += 1
        if calls[0] == 8: raise OSError(errno.ENOSPC, "No space left on device")
        yield from packets
    monkeypatch.setattr(VideoWriter, "_mux", lambda self, packets: real(self, then_full(packets)))
    before = _sha(clip)
    for pipeline in (False, True):
        calls[0] = 0
        with pytest.raises(VideoError, match="No space left"):
            swap_video(sample_image("astronaut"), clip, tmp_path / "out.mp4", pipeline=pipeline, progress=False)
        assert list(tmp_path.iterdir()) == [] and _sha(clip) == before

def _crop_swapper_class():
    from faceswaplite.swap import get_swapper
    return type(get_swapper("idn-synth-onnx"))

@pytest.mark.parametrize("where", ["run", "paste"])
def test_a_failing_model_or_paste_thread_stops_the_four_stage_pipeline(clip, tmp_path, where):
    base = _crop_swapper_class()
    class Fails(base):                     # a crop swapper: its swap runs as two threads (align + model, paste-back)
        k = 0
        def run(self, state, crop):
            if where == "run":
                Fails.k += 1
                if Fails.k == 6: raise RuntimeError("model crashed")
            return super().run(state, crop)
        def paste(self, *a, **kw):
            if where == "paste":
                Fails.k += 1
                if Fails.k == 6: raise RuntimeError("paste crashed")
            return super().paste(*a, **kw)
    with pytest.raises(RuntimeError, match="crashed"):
        swap_video(sample_image("astronaut"), clip, tmp_path / "out.mp4", model=Fails(), progress=False)
    assert list(tmp_path.iterdir()) == []
    import threading
    assert not [t for t in threading.enumerate() if t.name.startswith("swap_video-")]

def test_variable_frame_rate_through_the_crop_swapper_pipeline(clip, tmp_path):
    frames = list(read_frames(clip))[:12]
    ts = list(np.cumsum([0.0] + [0.05, 0.02, 0.12, 0.033] * 3)[:12])
    vfr = _write(tmp_path / "vfr.mp4", frames, ts)
    r = swap_video(sample_image("astronaut"), vfr, tmp_path / "out.mp4", model="idn-synth-onnx", progress=False)
    assert r["frames"] == 12 and r["swapped"] > 0
    assert np.allclose(_times(tmp_path / "out.mp4"), ts, atol=1e-3)

def test_a_subclass_with_its_own_swap_is_not_split(clip, tmp_path):
    base, calls = _crop_swapper_class(), []
    class Own(base):
        def swap(self, state, frame, face, **kw):
            calls.append(1); return super().swap(state, frame, face, **kw)
    r = swap_video(sample_image("astronaut"), clip, tmp_path / "out.mp4", model=Own(), progress=False)
    assert len(calls) == r["swapped"] > 0
