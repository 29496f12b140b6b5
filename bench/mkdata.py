#!/usr/bin/python3
"""mkdata.py: Fashion-MNIST's training images as the inputs perf.sh times.

    mkdata.py IDX ROWS OUTDIR

Reads the first ROWS images of an (uncompressed) IDX file and writes to
OUTDIR: fm.csv (ROWS x 784 integers 0..255, comma-separated, no header)
and fm.npy.gz (the same values as a float32 array, gzip level 6)."""

import gzip
import os
import sys

import numpy as np


def main():
    path, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "rb") as f:
        head = f.read(16)
        n, h, w = (int.from_bytes(head[i:i + 4], "big") for i in (4, 8, 12))
        x = np.frombuffer(f.read(), np.uint8).reshape(n, h * w)[:rows]

    # CSV, vectorised: each value as its digits and a comma, then the last
    # comma of each row turned into a newline.
    text = np.zeros((256, 4), np.uint8)
    size = np.zeros(256, np.int64)
    for v in range(256):
        s = b"%d," % v
        text[v, :len(s)] = np.frombuffer(s, np.uint8)
        size[v] = len(s)
    chars = text[x]                                     # rows x cols x 4
    keep = np.arange(4)[None, None, :] < size[x][:, :, None]
    flat = chars[keep]
    ends = np.cumsum(size[x].sum(axis=1)) - 1
    flat[ends] = ord("\n")
    flat.tofile(os.path.join(out, "fm.csv"))

    with gzip.open(os.path.join(out, "fm.npy.gz"), "wb", compresslevel=6) as f:
        np.save(f, x.astype(np.float32))


main()
