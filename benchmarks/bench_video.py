"""End-to-end video speed: a 720p clip with one face, swapped by the folded IDN (identity ONNX) and by the classical swap.

Prints frames/s per stage and overall, and writes them into BENCHMARKS.md between the `video` markers.
Usage: python benchmarks/bench_video.py [--seconds 4] [--models idn,classical] [--no-write]
The IDN's weights do not change its speed; until trained weights ship, the file is folded from the seeded, untrained IDN.
"""
import argparse, json, os, re, sys, tempfile, time
from pathlib import Path
import numpy as np

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=4.0); ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--models", default="idn,classical"); ap.add_argument("--detect-every", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args(argv)
    import torch; torch.set_num_threads(1)
    import cv2; cv2.setNumThreads(1)
    from faceswaplite.core import sample_image
    from faceswaplite.swap import make_sample_video, swap_video, video_info
    from faceswaplite.export import export_identity, machine_info
    d = Path(tempfile.mkdtemp())
    clip = make_sample_video(d / "clip720.mp4", size=(1280, 720), seconds=a.seconds, fps=a.fps, zoom=0.5)
    info = video_info(clip)
    rows = {}
    for m in a.models.split(","):
        model = export_identity(sample_image("astronaut"), "idn", d / "astronaut.onnx") if m == "idn" else m
        r = swap_video(sample_image("astronaut"), clip, d / f"out_{m}.mp4", model=model, detect_every=a.detect_every, progress=False)
        rows[m] = r
        print(f"{m:10s} {r['fps_overall']:6.1f} frames/s overall  ms/frame {r['ms_per_frame']}  swapped {r['swapped']}/{r['frames']}")
    load = os.getloadavg()
    mi = machine_info()
    lines = ["## Video, end to end", "",
             f"Written by `python benchmarks/bench_video.py`. Clip: {info['width']}x{info['height']}, {info['frames']} frames at "
             f"{info['fps']:.0f} fps, one face (the sample photo under a moving virtual camera). One thread for torch/OpenCV/onnxruntime; "
             f"detection every {a.detect_every} frames on a <=640 px copy, landmark tracking + One Euro smoothing between. "
             f"Load average after the run: {[round(x, 2) for x in load]} (shared machine). {mi.get('cpu', '')}", "",
             "| model | overall frames/s | decode ms | track ms | swap ms | encode ms |", "|---|---:|---:|---:|---:|---:|"]
    for m, r in rows.items():
        ms = r["ms_per_frame"]
        lines.append(f"| {'IDN folded, identity ONNX (fp32)' if m == 'idn' else m} | {r['fps_overall']:.1f} | {ms['decode']:.1f} | "
                     f"{ms['track']:.1f} | {ms['swap']:.1f} | {ms['encode']:.1f} |")
    lines += ["", "Swap = align + model + paste back (+ colour match); track = detection every k frames and landmark tracking between."]
    section = "\n".join(lines)
    if not a.no_write:
        p = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
        txt = p.read_text() if p.exists() else "# Benchmarks\n"
        block = f"<!-- video:start -->\n{section}\n<!-- video:end -->"
        txt = re.sub(r"<!-- video:start -->.*<!-- video:end -->", block, txt, flags=re.S) if "<!-- video:start -->" in txt else txt.rstrip() + "\n\n" + block + "\n"
        p.write_text(txt); print(f"wrote {p}")
    print(json.dumps({m: {k: r[k] for k in ("fps_overall", "ms_per_frame", "frames", "swapped")} for m, r in rows.items()}))

if __name__ == "__main__": main()
