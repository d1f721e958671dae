"""Learn mobile face swapping from first principles: MobileFaceSwap and MobileFSGAN, rebuilt in notebooks

Modules:

- `faceswaplite.evaluate`: Identity retrieval, pose error and expression error (the field's three numbers), plus PSNR/SSIM against an exact answer, measured on held-out SynthFaces and on real photos, for every swapper that exists: one table, one command.
- `faceswaplite.registry`: Swappers and identity encoders are picked by a name (`--model idn-synth`, `get_encoder("dlib")`); one small lookup table per kind, below every module that fills or reads it."""

__version__ = "0.0.1"
