"""SynthFaces rendering throughput on ONE CPU core (torch.set_num_threads(1)), batched.

    python benchmarks/bench_synthfaces.py [--seconds 3] [--batch 64]

Prints faces per second (parameters drawn + rendered) at 64, 128 and 256 px, by wall clock and by process CPU time.
On a shared machine the wall-clock number falls with the load; the CPU-time number is what one core delivers.
"""
import argparse, platform
import torch

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0, help="measure each size for this long")
    ap.add_argument("--batch", type=int, default=64)
    ns = ap.parse_args()
    torch.set_num_threads(1)
    from faceswaplite.synthfaces import measure_throughput
    print(f"SynthFaces throughput, torch {torch.__version__}, {platform.processor() or platform.machine()}, 1 thread, batch {ns.batch}")
    print(f"| size | faces | faces/s (CPU time, one core) | faces/s (wall clock) |")
    print(f"|---|---|---|---|")
    for size in (64, 128, 256):
        r = measure_throughput(size=size, batch=ns.batch, seconds=ns.seconds)
        print(f"| {size} | {r['faces']} | {r['faces_per_s_cpu']:.0f} | {r['faces_per_s_wall']:.0f} |", flush=True)

if __name__ == "__main__":
    main()
