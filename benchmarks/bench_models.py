"""Side-by-side model benchmark: the folded IDN (fp32, int8 ONNX) vs the dynamic IDN, MobileFSGAN, the teacher and the
SimSwap-architecture generator: params, MACs, file size and 1-thread CPU latency, with ratios to the folded IDN; then the
shipped SynthFaces models (128 px) timed the same way. The video section of BENCHMARKS.md (bench_video.py) is kept.

    python benchmarks/bench_models.py                 # native sizes, ~60 s of timing, writes BENCHMARKS.md
    python benchmarks/bench_models.py --seconds 120 --out BENCHMARKS.md
    faceswaplite bench                                # the same, printed (add -o BENCHMARKS.md to write it)

Every number is measured in this one run; nothing is asserted (the machines are shared and noisy).
"""
import argparse, json, sys
from pathlib import Path

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60, help="round-robin timing budget (default 60)")
    p.add_argument("--baby", action="store_true", help="tiny configs (seconds)")
    p.add_argument("--shipped-seconds", type=float, default=30, help="timing budget for the shipped models (0: skip them)")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "BENCHMARKS.md"), help="Markdown file to write")
    p.add_argument("--json", default=None, help="also write the raw results as JSON here")
    a = p.parse_args(argv)
    from faceswaplite.export import bench_models, bench_shipped, bench_markdown
    from faceswaplite.core import atomic_write
    log = lambda m: print(m, file=sys.stderr)
    res = bench_models(baby=a.baby, seconds=a.seconds, min_runs=5 if a.baby else 10, log=log)
    md = bench_markdown(res)
    print(md)
    doc = ("# Benchmarks\n\nWritten by `python benchmarks/bench_models.py` (the first table is also `faceswaplite bench -o BENCHMARKS.md`). "
           "In the first table the weights are random: it measures the papers' full-size architectures for size and speed, "
           "not quality.\n\n## Models, one run side by side\n\n" + md + "\n")
    if a.shipped_seconds > 0:
        shipped = bench_shipped(seconds=a.shipped_seconds, log=log); res["shipped"] = shipped
        smd = bench_markdown(shipped); print(smd)
        doc += ("\n## The shipped SynthFaces models (128 px)\n\nThe trained baby networks of `09_distill`, exported to ONNX and "
                "timed the same way in a second run (the IDN student folded for one SynthFaces identity). Their quality is in "
                "`EVALUATION.md`.\n\n" + smd + "\n")
    old = Path(a.out).read_text() if Path(a.out).is_file() else ""
    if "<!-- video:start -->" in old and "<!-- video:end -->" in old:      # keep bench_video.py's section
        doc += "\n" + old[old.index("<!-- video:start -->"):old.index("<!-- video:end -->") + len("<!-- video:end -->")] + "\n"
    atomic_write(Path(a.out), doc.encode())
    if a.json: atomic_write(Path(a.json), json.dumps(res, indent=1).encode())
    print(f"wrote {a.out}", file=sys.stderr)

if __name__ == "__main__":
    main()
