"""Writes PyTorch checkpoints (torch.save's zip + pickle format) for DuetWeights' converter tests.

Each fixture `<name>.pt` sits in Tests/DuetWeightsTests/Resources/torch/ beside `<name>.expected.safetensors`,
the tensors the converter must produce, written by `safetensors` from the same tensors: floating point as
contiguous float32 (float16, bfloat16 and float64 widened or narrowed by torch's own `.float()`), integers kept
(int64 as int64, int32 as int32). The hostile and damaged files have no expected output; the Swift tests
name the error each must raise. Seeded; regenerates byte-identical (zip entries carry a fixed time stamp), except
legacy.pt, whose storage keys are object addresses.

    nice -n 15 /work/venvs/ref/bin/python Scripts/reference/torch_pickle_fixture.py
"""
import collections
import io
import os
import pickle
import struct
import zipfile
import zlib

import torch
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "DuetWeightsTests", "Resources", "torch")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(15)


def expected(name, tensors):
    """The converter's expected output: contiguous copies, floats as float32, integers kept."""
    converted = {}
    for key, tensor in tensors.items():
        copy = tensor.detach().clone().contiguous()
        converted[key] = copy.float() if copy.is_floating_point() else copy
    save_file(converted, os.path.join(OUT, name + ".expected.safetensors"))


class TinyTower(torch.nn.Module):
    """Embedding, linear, layer norm, a tied output matrix and an int64 position buffer, as a text tower holds."""

    def __init__(self):
        super().__init__()
        self.embeddings = torch.nn.Embedding(5, 4)
        self.register_buffer("position_ids", torch.arange(6).unsqueeze(0))
        self.dense = torch.nn.Linear(4, 3)
        self.norm = torch.nn.LayerNorm(3)
        self.head = torch.nn.Linear(4, 5, bias=False)
        self.head.weight = self.embeddings.weight  # tied: one storage, two names
        with torch.no_grad():
            for parameter in self.parameters():
                parameter.copy_(torch.randn_like(parameter))


# 1. A module's state_dict: an OrderedDict with `_metadata` (set by BUILD), tied weights, an int64 buffer.
tower = TinyTower()
state = tower.state_dict()
torch.save(state, os.path.join(OUT, "state_dict.pt"))
expected("state_dict", state)

# 2. Data types and layouts in a plain dict.
base = torch.randn(4, 6)
layouts = {
    "float16": torch.randn(3, 4).half(),
    "bfloat16": torch.randn(2, 5).bfloat16(),
    "float64": torch.randn(3).double(),
    "int64": torch.tensor([[-3, 0, 7], [2 ** 20, -(2 ** 20), 1]], dtype=torch.int64),
    "int32": torch.tensor([1, -2, 3], dtype=torch.int32),
    "transposed": base.t(),                 # strides (1, 6): not contiguous
    "rows_view": base[1:3],                  # storage offset 6 into the same storage as `transposed`
    "column_view": base[:, 2],               # offset 2, stride 6
    "scalar": torch.tensor(2.5),             # zero dimensions
    "empty": torch.zeros(0, 3),
    "half_slice": torch.randn(4, 4).half()[::2, 1:3],  # every other row of a float16 storage
}
torch.save(layouts, os.path.join(OUT, "layouts.pt"))
expected("layouts", layouts)

# 3. A training checkpoint: the weights under "state_dict" with DataParallel's "module." prefix, beside
#    an epoch, a learning-rate list, an optimizer state (tensors under integer keys) and None.
inner = collections.OrderedDict((f"module.{key}", value) for key, value in TinyTower().state_dict().items())
optimizer_state = {"state": {0: {"step": torch.tensor(3.0), "exp_avg": torch.randn(2)}}, "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False, "params": [0]}]}
torch.save({"epoch": 3, "state_dict": inner, "optimizer": optimizer_state, "scheduler": None, "best": 0.25, "name": "tiny"},
           os.path.join(OUT, "nested.pt"))
expected("nested", {key[len("module."):]: value for key, value in inner.items()})


def fixed(name, compression=zipfile.ZIP_STORED):
    """A zip entry with a fixed time stamp, so that the fixtures regenerate byte-identical."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = compression
    return info


# 4. The state_dict fixture rewritten: entries deflated, and every size and offset in ZIP64 fields.
def entries_of(path):
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


with zipfile.ZipFile(os.path.join(OUT, "deflated.pt"), "w", compression=zipfile.ZIP_DEFLATED) as archive:
    for name, data in entries_of(os.path.join(OUT, "state_dict.pt")):
        archive.writestr(fixed(name.replace("state_dict/", "deflated/", 1), zipfile.ZIP_DEFLATED), data)


def write_zip64(path, entries):
    """A stored zip whose every size, offset and count sits in ZIP64 fields (as files over 4 GiB need)."""
    output = io.BytesIO()
    central = []
    for name, data in entries:
        offset = output.tell()
        encoded = name.encode()
        crc = zlib.crc32(data)
        extra = struct.pack("<HHQQ", 1, 16, len(data), len(data))
        output.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(encoded), len(extra)))
        output.write(encoded + extra + data)
        central_extra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                                   len(encoded), len(central_extra), 0, 0, 0, 0, 0xFFFFFFFF) + encoded + central_extra)
    directory_offset = output.tell()
    for record in central:
        output.write(record)
    directory_size = output.tell() - directory_offset
    record_offset = output.tell()
    output.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), directory_size, directory_offset))
    output.write(struct.pack("<IIQI", 0x07064B50, 0, record_offset, 1))
    output.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    with open(path, "wb") as handle:
        handle.write(output.getvalue())


write_zip64(os.path.join(OUT, "zip64.pt"),
            [(name.replace("state_dict/", "zip64/", 1), data) for name, data in entries_of(os.path.join(OUT, "state_dict.pt"))])


# 5. Hostile and damaged files (no expected output).
def write_archive(name, pickle_bytes, storages=None, archive="archive"):
    with zipfile.ZipFile(os.path.join(OUT, name), "w") as output:
        output.writestr(fixed(f"{archive}/data.pkl"), pickle_bytes)
        output.writestr(fixed(f"{archive}/byteorder"), "little")
        for key, data in (storages or {}).items():
            output.writestr(fixed(f"{archive}/data/{key}"), data)
        output.writestr(fixed(f"{archive}/version"), "3\n")


class Hostile:
    """Pickles as a call of os.system: torch.load(weights_only=False) would run the shell command."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/duet-torch-pickle-was-executed",))


write_archive("hostile.pt", pickle.dumps({"weight": Hostile()}, protocol=2))


class FakeStorage:
    pass


class CraftedPickler(pickle.Pickler):
    """Refers to storages as torch.save does (a persistent id tuple), with whatever numbers a test needs."""

    def __init__(self, handle, storages):
        super().__init__(handle, protocol=2)
        self.storages = storages

    def persistent_id(self, obj):
        if isinstance(obj, FakeStorage):
            key, count = self.storages[id(obj)]
            return ("storage", torch.FloatStorage, key, "cpu", count)
        return None


class CraftedTensor:
    def __init__(self, storage, offset, size, stride):
        self.arguments = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.arguments)


def crafted(name, tensors, storages, storage_bytes):
    handle = io.BytesIO()
    CraftedPickler(handle, storages).dump(tensors)
    write_archive(name, handle.getvalue(), storage_bytes)


four = FakeStorage()
crafted("out_of_bounds.pt", {"weight": CraftedTensor(four, 1, (2, 2), (2, 1))}, {id(four): ("0", 4)},
        {"0": struct.pack("<4f", 1, 2, 3, 4)})
crafted("missing_storage.pt", {"weight": CraftedTensor(four, 0, (2, 2), (2, 1))}, {id(four): ("7", 4)},
        {"0": struct.pack("<4f", 1, 2, 3, 4)})
one = FakeStorage()
crafted("broadcast.pt", {"weight": CraftedTensor(one, 0, (100000, 100000), (0, 0))}, {id(one): ("0", 1)},
        {"0": struct.pack("<f", 1)})
shared = {"weight": torch.ones(2)}
torch.save({"bias": torch.zeros(1), "encoder": shared, "decoder": shared}, os.path.join(OUT, "shared_dictionary.pt"))
write_archive("unknown_opcode.pt", b"\x80\x02}q\x00X\x01\x00\x00\x00aq\x01\xffs.")

with open(os.path.join(OUT, "state_dict.pt"), "rb") as handle:
    complete = handle.read()
with open(os.path.join(OUT, "truncated.pt"), "wb") as handle:
    handle.write(complete[: len(complete) // 2])
torch.save({"weight": torch.ones(2)}, os.path.join(OUT, "legacy.pt"), _use_new_zipfile_serialization=False)

for name in sorted(os.listdir(OUT)):
    print(f"{name:36} {os.path.getsize(os.path.join(OUT, name)):6d}")
