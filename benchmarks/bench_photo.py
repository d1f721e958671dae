"""Phone-size photos: `faceswaplite swap` (learned model) and `faceswaplite verify`, end to end, at 0.3 to 20 megapixels.

Each run is a new process, timed from its start to the file written, with its own peak memory (VmHWM).
Also the watermark's robustness at 0.3, 2 and 20 MP. Prints the tables and writes them into BENCHMARKS.md between the
`photo` markers. Usage: python benchmarks/bench_photo.py [--runs 5] [--models idn-synth-onnx,idn-synth] [--no-write]
"""
import argparse, json, os, platform, re, sys, time
from pathlib import Path

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5); ap.add_argument("--models", default="idn-synth-onnx")
    ap.add_argument("--no-write", action="store_true"); ap.add_argument("--json", default=None, help="also save the raw results here")
    a = ap.parse_args(argv)
    from faceswaplite.swap import bench_photo, photo_markdown, photo_at, PHOTO_SIZES
    from faceswaplite.provenance import robustness, embed_watermark, watermark_score
    res = bench_photo(PHOTO_SIZES, models=tuple(a.models.split(",")), runs=a.runs)
    table = photo_markdown(res)
    print(table)
    by = {(r["model"], r["megapixels"]): r for r in res["rows"]}
    m0 = a.models.split(",")[0]
    growth = by[(m0, 20)]["seconds"] / by[(m0, 2)]["seconds"]
    print(f"{m0}: 2 -> 20 MP x{growth:.2f}")
    wm = []
    for name in ("grace_hopper", "astronaut", "t1"):
        for mp in (0.3, 2, 20):
            img = photo_at(mp, name)
            t = time.perf_counter(); m = embed_watermark(img); te = time.perf_counter() - t
            t = time.perf_counter(); watermark_score(m); tr = time.perf_counter() - t
            wm.append(dict(sample=name, megapixels=mp, embed_s=te, read_s=tr, **robustness(img)))
            print(wm[-1])
    keys = ["marked", "jpeg_q75", "resize_0.5x", "crop_0.8", "unmarked"]
    wlines = ["| sample | MP | " + " | ".join(keys) + " | embed s | read s |", "|---|---:|" + "---:|" * (len(keys) + 2)]
    for r in wm: wlines.append(f"| {r['sample']} | {r['megapixels']} | " + " | ".join(f"{r[k]:.2f}" for k in keys) + f" | {r['embed_s']:.3f} | {r['read_s']:.3f} |")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    lines = ["## Phone-size photos, end to end", "",
             f"Written by `python benchmarks/bench_photo.py --runs {a.runs} --models {a.models}`. Grace Hopper's portrait enlarged (bicubic) to each size, "
             "saved as JPEG q92; source: the 112 px Tom Hanks sample. Each run is a new `faceswaplite swap SOURCE PHOTO -o OUT.jpg "
             "--model M --json` process, timed from its start to the file written (the median of the runs is shown; \"start\" is the "
             "interpreter, imports and model loading, the rest are the report's stages); peak MB is the largest memory "
             f"high-water mark (VmHWM) of the process over the runs. `idn-synth-onnx` is the shipped IDN student as one ONNX file (no torch in the process); `idn-synth`, where "
             f"timed, is the same student run by torch, whose import is most of its start. {os.cpu_count()} cores, "
             f"{cpu}; load average after the run: {[round(x, 2) for x in os.getloadavg()]}.", "", table, "",
             f"2 -> 20 MP, `{m0}` end to end: x{growth:.2f} for 10x the pixels.", "",
             "### The watermark at photo sizes", "",
             "Bit accuracy (64 bits; chance 0.5, threshold 0.85) of the marked photo, after JPEG q75, after a 0.5x resize, after a "
             "crop to the centre 80%, and of the unmarked photo; with the time to embed and to read the mark in one process.", "",
             *wlines]
    text = "\n".join(lines)
    if a.json: Path(a.json).write_text(json.dumps({"photo": res, "watermark": wm}, indent=1, default=float))
    if not a.no_write:
        p = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
        old = p.read_text()
        block = f"<!-- photo:start -->\n{text}\n<!-- photo:end -->"
        new = re.sub(r"<!-- photo:start -->.*<!-- photo:end -->", lambda _: block, old, flags=re.S) if "<!-- photo:start -->" in old else old.rstrip() + "\n\n" + block + "\n"
        p.write_text(new); print(f"wrote {p}")

if __name__ == "__main__": main()
