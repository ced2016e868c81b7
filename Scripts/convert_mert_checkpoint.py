#!/usr/bin/env python3
"""Writes model.safetensors beside a MERT checkpoint's pytorch_model.bin, for Duet's MertModel.

The released MERT-v1 folders (m-a-p/MERT-v1-95M, m-a-p/MERT-v1-330M) hold their weights as a PyTorch
pickle, which Duet does not read. This copies every tensor unchanged (names, shapes, float32), so
Duet's strict loader sees exactly the checkpoint's keys (weight_g / weight_v included). Nothing is
downloaded; the folder must already be on disk. Needs torch and safetensors:
    python3 Scripts/convert_mert_checkpoint.py /path/to/MERT-v1-330M
"""
import os
import sys

import torch
from safetensors.torch import save_file


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: convert_mert_checkpoint.py FOLDER (holding pytorch_model.bin and config.json)")
    folder = sys.argv[1]
    source = os.path.join(folder, "pytorch_model.bin")
    target = os.path.join(folder, "model.safetensors")
    if not os.path.exists(source):
        sys.exit(f"{source} not found")
    if os.path.exists(target):
        sys.exit(f"{target} exists; remove it to convert again")
    # weights_only: the pickle may hold nothing but tensors.
    state = torch.load(source, map_location="cpu", weights_only=True)
    tensors = {name: tensor.detach().to(torch.float32).contiguous() for name, tensor in state.items()}
    save_file(tensors, target, metadata={"format": "pt", "source": "pytorch_model.bin"})
    print(f"wrote {target}: {len(tensors)} tensors")


if __name__ == "__main__":
    main()
