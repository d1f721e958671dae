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
