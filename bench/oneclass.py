#!/usr/bin/python3
"""oneclass.py: the one-class anomaly protocol on Fashion-MNIST as it ships.

For each class c: fit a VAE (784-400-20, Bernoulli on pixels/255) on the
6,000 training images of class c, score the 10,000 test images with
vae-score's three metrics (recon, elbo, nll) and report the ROC-AUC of each
with "not class c" as the positive (anomalous) label.  Baseline: PCA
reconstruction error (squared error on pixels/255) with the number of
components that explains 90% of that class's training variance, fitted on
the same 6,000 images.  Prints the AUC table, a mean row, and the wall time
of each phase.  Everything written goes to a temporary directory that is
removed at the end.

    python3 bench/oneclass.py                      # the full run
    python3 bench/oneclass.py --classes 0 --epochs 2 --samples 10

Environment: EPOCHS, SAMPLES (K of nll) and FM (the data directory) set the
defaults of --epochs, --samples and --data.  Needs numpy only (Debian's
/usr/bin/python3 has it; the script re-runs itself with that interpreter if
the one it was started with lacks numpy).
"""

import os
import sys

import bench_env  # first: it fixes sys.path and picks the interpreter
bench_env.need("numpy")
import numpy as np  # noqa: E402

import argparse
import gzip
import shutil
import subprocess
import tempfile
import time

NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
METRICS = ["recon", "elbo", "nll"]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def read_idx(path):
    """An IDX file (gzipped or plain) as a numpy array of its own shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError("%s: not an IDX file" % path)
    types = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4",
             0x0D: ">f4", 0x0E: ">f8"}
    if data[2] not in types:
        raise ValueError("%s: unknown IDX element type 0x%02x" % (path, data[2]))
    ndim = data[3]
    dims = tuple(int(d) for d in np.frombuffer(data, ">u4", ndim, 4))
    dtype = np.dtype(types[data[2]])
    count = int(np.prod(dims))
    offset = 4 + 4 * ndim
    if len(data) != offset + count * dtype.itemsize:
        raise ValueError("%s: size does not match the header" % path)
    arr = np.frombuffer(data, dtype, count, offset).reshape(dims)
    return arr.astype(dtype.newbyteorder("="))


def rank_auc(scores, positive):
    """ROC-AUC of scores (higher = more positive) by the Mann-Whitney U
    statistic, with tied scores given their average rank."""
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    n = scores.size
    n_pos = int(positive.sum())
    n_neg = n - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    # start of each run of equal scores in sorted order
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    ends = np.r_[starts[1:], n]            # exclusive
    avg = (starts + ends + 1) / 2.0         # mean of 1-based ranks start+1..end
    ranks = np.empty(n)
    ranks[order] = np.repeat(avg, ends - starts)
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0
    return u / (n_pos * n_neg)


def pca_scores(train, test, frac=0.90):
    """Squared reconstruction error of test (pixels/255) under the PCA of
    train keeping the fewest components that explain frac of the variance;
    returns the errors and the number of components."""
    x = train.reshape(len(train), -1).astype(np.float64) / 255.0
    mu = x.mean(axis=0)
    x -= mu
    _, sv, vt = np.linalg.svd(x, full_matrices=False)
    var = sv ** 2
    cum = np.cumsum(var) / var.sum()
    k = int(np.searchsorted(cum, frac) + 1)   # first k with cum[k-1] >= frac
    v = vt[:k]                                 # k x 784
    err = np.empty(len(test))
    step = 2000                                # keep memory modest
    for i in range(0, len(test), step):
        t = test[i:i + step].reshape(-1, x.shape[1]).astype(np.float64) / 255.0 - mu
        r = t - (t @ v.T) @ v
        err[i:i + step] = np.einsum("ij,ij->i", r, r)
    return err, k


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.stderr.write("oneclass: command failed (%d): %s\n%s" % (
            p.returncode, " ".join(cmd), p.stderr.decode(errors="replace")))
        sys.exit(1)
    if p.stderr.strip():
        sys.stderr.write(p.stderr.decode(errors="replace"))


def main():
    ap = argparse.ArgumentParser(
        description="One-class anomaly detection on Fashion-MNIST: "
        "vae-score's recon, elbo and nll against a PCA baseline (ROC-AUC).")
    ap.add_argument("--epochs", type=int, default=int(os.environ.get("EPOCHS", 20)),
                    help="vae-fit epochs per class [EPOCHS or 20]")
    ap.add_argument("--samples", "-K", type=int,
                    default=int(os.environ.get("SAMPLES", 100)),
                    help="K, the importance samples of the nll metric [SAMPLES or 100]")
    ap.add_argument("--classes", default="0,1,2,3,4,5,6,7,8,9",
                    help="comma-separated classes to run [all ten]")
    ap.add_argument("--bindir", default=ROOT,
                    help="directory holding vae-fit and vae-score [the repo root: %s]" % ROOT)
    ap.add_argument("--data", default=os.environ.get("FM", "/usr/share/datasets/fashion-mnist"),
                    help="directory of the gzipped IDX files [FM or %(default)s]")
    ap.add_argument("--var", type=float, default=0.90,
                    help="variance fraction the PCA baseline keeps [0.90]")
    args = ap.parse_args()

    classes = [int(c) for c in args.classes.split(",") if c.strip() != ""]
    if not classes or any(c < 0 or c > 9 for c in classes):
        ap.error("--classes: a comma-separated list of 0..9")
    fit = os.path.join(args.bindir, "vae-fit")
    score = os.path.join(args.bindir, "vae-score")
    for prog in (fit, score):
        if not os.access(prog, os.X_OK):
            ap.error("%s: not found or not executable (build with make, or pass --bindir)" % prog)

    t0 = time.time()
    fm = args.data
    xtr = read_idx(os.path.join(fm, "train-images-idx3-ubyte.gz"))
    ytr = read_idx(os.path.join(fm, "train-labels-idx1-ubyte.gz"))
    xte = read_idx(os.path.join(fm, "t10k-images-idx3-ubyte.gz"))
    yte = read_idx(os.path.join(fm, "t10k-labels-idx1-ubyte.gz"))
    assert xtr.shape == (60000, 28, 28) and ytr.shape == (60000,), (xtr.shape, ytr.shape)
    assert xte.shape == (10000, 28, 28) and yte.shape == (10000,), (xte.shape, yte.shape)

    tmp = tempfile.mkdtemp(prefix="oneclass.")
    try:
        test_npy = os.path.join(tmp, "test.npy")
        np.save(test_npy, np.ascontiguousarray(xte, dtype=np.uint8))
        t_load = time.time() - t0
        print("# one-class Fashion-MNIST: vae-fit -l bernoulli -H 400 -z 20 -e %d -s 1; "
              "nll K=%d; PCA at %g%% variance; bindir %s"
              % (args.epochs, args.samples, 100 * args.var, args.bindir), flush=True)

        rows = []
        for c in classes:
            row = {"class": c}
            train = np.ascontiguousarray(xtr[ytr == c], dtype=np.uint8)
            train_npy = os.path.join(tmp, "train%d.npy" % c)
            model = os.path.join(tmp, "class%d.vae" % c)
            np.save(train_npy, train)
            positive = yte != c

            t = time.time()
            run([fit, "-q", "-l", "bernoulli", "-H", "400", "-z", "20",
                 "-e", str(args.epochs), "-s", "1", "-o", model, train_npy])
            row["t_fit"] = time.time() - t

            for m in METRICS:
                out = os.path.join(tmp, "score%d.%s.npy" % (c, m))
                cmd = [score, "-q", "-m", model, "--metric", m, "-s", "1",
                       "-O", "npy", "--compress", "0", "-o", out]
                if m == "nll":
                    cmd += ["-K", str(args.samples)]
                t = time.time()
                run(cmd + [test_npy])
                row["t_" + m] = time.time() - t
                s = np.load(out).reshape(-1).astype(np.float64)
                if s.shape != (len(xte),):
                    sys.exit("oneclass: %s gave %d scores for %d rows" % (m, s.size, len(xte)))
                bad = int((~np.isfinite(s)).sum())
                if bad:
                    sys.stderr.write("oneclass: class %d, %s: %d non-finite scores\n" % (c, m, bad))
                    s = np.where(np.isnan(s), np.inf, s)  # rank as most anomalous
                row[m] = rank_auc(s, positive)
                row["mean_" + m] = float(np.mean(s[np.isfinite(s)]))
                os.remove(out)

            t = time.time()
            err, k = pca_scores(train, xte, args.var)
            row["pca"] = rank_auc(err, positive)
            row["k"] = k
            row["t_pca"] = time.time() - t
            os.remove(train_npy)
            os.remove(model)
            rows.append(row)
            sys.stderr.write("oneclass: class %d (%s): recon %.4f elbo %.4f nll %.4f pca %.4f "
                             "(k=%d); fit %.0f s\n" % (c, NAMES[c], row["recon"], row["elbo"],
                                                        row["nll"], row["pca"], k, row["t_fit"]))
            sys.stderr.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    hdr = "%-2s %-12s %7s %7s %7s %7s %4s" % ("c", "class", "recon", "elbo", "nll", "PCA", "k")
    print()
    print("ROC-AUC, anomalous = not the training class (10,000 test images)")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        print("%-2d %-12s %7.4f %7.4f %7.4f %7.4f %4d" % (
            r["class"], NAMES[r["class"]], r["recon"], r["elbo"], r["nll"], r["pca"], r["k"]))
    print("-" * len(hdr))
    print("%-2s %-12s %7.4f %7.4f %7.4f %7.4f %4.0f" % (
        "", "mean", *(np.mean([r[m] for r in rows]) for m in METRICS + ["pca"]),
        np.mean([r["k"] for r in rows])))

    print()
    print("Wall time, seconds (score = all 10,000 test images; nll with K=%d)" % args.samples)
    th = "%-2s %-12s %7s %7s %7s %7s %7s" % ("c", "class", "fit", "recon", "elbo", "nll", "PCA")
    print(th)
    print("-" * len(th))
    keys = ["t_fit", "t_recon", "t_elbo", "t_nll", "t_pca"]
    for r in rows:
        print("%-2d %-12s %7.1f %7.1f %7.1f %7.1f %7.1f" % (
            r["class"], NAMES[r["class"]], *(r[k] for k in keys)))
    print("-" * len(th))
    print("%-2s %-12s %7.1f %7.1f %7.1f %7.1f %7.1f" % (
        "", "total", *(sum(r[k] for r in rows) for k in keys)))
    print("(reading the data and writing the test .npy: %.1f s; whole run: %.1f s)"
          % (t_load, time.time() - t0))

    print()
    print("Mean score on the test images, nats per image")
    print("%-2s %-12s %9s %9s %9s" % ("c", "class", "recon", "elbo", "nll"))
    for r in rows:
        print("%-2d %-12s %9.2f %9.2f %9.2f" % (
            r["class"], NAMES[r["class"]], r["mean_recon"], r["mean_elbo"], r["mean_nll"]))


if __name__ == "__main__":
    main()
