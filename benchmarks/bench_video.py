"""End-to-end video speed: clips with one face at 720p and 480p, swapped serially and through the pipeline, in one run.

The model is the folded IDN (identity ONNX, fp32, 224 px crops; the classical swap with --models idn,classical).
Prints frames/s per stage and overall, checks that the pipelined output equals the serial one, and writes the table
into BENCHMARKS.md between the `video` markers.
It also swaps the SynthFaces clip that has an exact answer for every frame (`synth_clip`) with per-frame detection and
no smoothing (the MobileFaceSwap authors' video script), with tracking + smoothing, and with the true landmarks, and
reports per-frame error and flicker against the exact frames.
Usage: python benchmarks/bench_video.py [--seconds 4] [--models idn] [--no-write] [--no-clip]
The IDN's speed does not depend on its weights: the file is folded from the seeded full-size IDN.
"""
import argparse, json, os, re, sys, tempfile, time
from pathlib import Path
import numpy as np

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=4.0); ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--models", default="idn"); ap.add_argument("--detect-every", type=int, default=5)
    ap.add_argument("--no-write", action="store_true"); ap.add_argument("--no-clip", action="store_true")
    a = ap.parse_args(argv)
    import torch; torch.set_num_threads(1)
    import cv2; cv2.setNumThreads(1)          # the serial run on one thread; the pipeline sets this itself
    from faceswaplite.core import sample_image
    from faceswaplite.swap import make_sample_video, swap_video, video_info, read_frames
    from faceswaplite.export import export_identity, machine_info
    d = Path(tempfile.mkdtemp())
    rows = []
    for size in ((1280, 720), (854, 480)):
        clip = make_sample_video(d / f"clip{size[1]}.mp4", size=size, seconds=a.seconds, fps=a.fps, zoom=0.5)
        info = video_info(clip)
        for m in a.models.split(","):
            model = export_identity(sample_image("astronaut"), "idn", d / "astronaut.onnx") if m == "idn" else m
            res = {}
            for pipe in (False, True):
                out = d / f"out_{m}_{size[1]}_{int(pipe)}.mp4"
                res[pipe] = swap_video(sample_image("astronaut"), clip, out, model=model, detect_every=a.detect_every,
                                       progress=False, pipeline=pipe)
                r = res[pipe]
                print(f"{size[1]}p {m:10s} {'pipelined' if pipe else 'serial':9s} {r['fps_overall']:6.1f} frames/s  ms/frame {r['ms_per_frame']}")
            fa = list(read_frames(d / f"out_{m}_{size[1]}_0.mp4")); fb = list(read_frames(d / f"out_{m}_{size[1]}_1.mp4"))
            same = len(fa) == len(fb) and max(int(np.abs(x.astype(int) - y).max()) for x, y in zip(fa, fb)) == 0
            rows.append(dict(size=f"{info['width']}x{info['height']}", model=m, frames=info["frames"], serial=res[False],
                             pipelined=res[True], identical=same))
    load = os.getloadavg()
    mi = machine_info()
    name = lambda m: "IDN folded, identity ONNX (fp32)" if m == "idn" else m
    lines = ["## Video, end to end", "",
             f"Written by `python benchmarks/bench_video.py --models {a.models}`. Clips of {a.seconds:g} s at {a.fps} fps, one face "
             f"(the sample photo under a moving virtual camera), serial and pipelined in the same run. One thread for torch/"
             f"OpenCV/onnxruntime per stage; detection every {a.detect_every} frames on a <=640 px copy, landmark tracking + One "
             f"Euro smoothing between. Stage columns: milliseconds of work per frame (pipelined: each stage's own thread). "
             f"Load average after the run: {[round(x, 2) for x in load]}. {mi.get('cpu', '')}, {os.cpu_count()} cores", "",
             "| clip | model | run | frames/s | decode ms | track ms | swap ms | encode ms | pipelined / serial | same frames |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        for pipe in (False, True):
            x = r["pipelined" if pipe else "serial"]; ms = x["ms_per_frame"]
            ratio = f"{r['pipelined']['fps_overall'] / r['serial']['fps_overall']:.2f}x" if pipe else ""
            lines.append(f"| {r['size']} | {name(r['model'])} | {'pipelined' if pipe else 'serial'} | {x['fps_overall']:.1f} | "
                         f"{ms['decode']:.1f} | {ms['track']:.1f} | {ms['swap']:.1f} | {ms['encode']:.1f} | {ratio} | "
                         f"{('yes' if r['identical'] else 'NO') if pipe else ''} |")
    lines += ["", "Swap = align + model + paste back (+ colour match); track = detection every k frames and landmark tracking between."]
    if not a.no_clip:
        from faceswaplite.swap import synth_clip, compare_tracking, tracking_markdown, CLIP_TEMPORAL
        import faceswaplite.distill   # registers the SynthFaces swappers (idn-synth)
        clip = synth_clip()
        res = compare_tracking(clip)
        lines += ["", "### Flicker against exact frames: a SynthFaces clip", "",
                  f"`synth_clip()`: {len(clip)} frames of {clip.target.shape[2]}x{clip.target.shape[1]} at {clip.fps:g} frames/s "
                  "(smooth pose, expression, light and camera motion) and the same film rendered with the source identity, the "
                  "exact swap. Per-frame error: mean |result - exact| in the face region; flicker: mean change of (result - exact) "
                  "from one frame to the next in the face region; both in grey levels (0-255). Landmark error against the "
                  f"renderer's true landmarks. Output smoothing: `CropEMA` with beta {CLIP_TEMPORAL:g} (`swap_video(..., temporal=...)`), "
                  "crop swappers only.", "", tracking_markdown(res, len(clip))]
    section = "\n".join(lines)
    print(section)
    if not a.no_write:
        p = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
        txt = p.read_text() if p.exists() else "# Benchmarks\n"
        block = f"<!-- video:start -->\n{section}\n<!-- video:end -->"
        txt = re.sub(r"<!-- video:start -->.*<!-- video:end -->", lambda _: block, txt, flags=re.S) if "<!-- video:start -->" in txt else txt.rstrip() + "\n\n" + block + "\n"
        p.write_text(txt); print(f"wrote {p}")

if __name__ == "__main__": main()
