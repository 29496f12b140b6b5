#!/usr/bin/python3
"""semisup-digits.py: M2 (vae-fit --label) on scikit-learn's 8x8 digits.

The small check beside semisup.py: 1,300 training images of the 1,797
(a permutation by RandomState(0)), 3 or 10 of each class labelled (the
first of each class), the other 497 the test set; the test error of
vae-enc --predict for --label-weight 2, 20 (the default) and 180, beside
logistic regression on the labelled images alone.  Seconds, not minutes.

    /usr/bin/python3 bench/semisup-digits.py        (VAE_BIN: the programs)
"""

import os
import sys

import bench_env  # first: it fixes sys.path and picks the interpreter
bench_env.need("numpy", "sklearn")
import numpy as np  # noqa: E402

import subprocess
import tempfile

from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

BIN = os.environ.get("VAE_BIN", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIT = ["-q", "-l", "bernoulli", "-H", "128", "-z", "4", "-e", "200", "-b", "64"]


def main():
    x, y = load_digits(return_X_y=True)
    x = (x / 16).astype(np.float32)
    p = np.random.RandomState(0).permutation(len(y))
    x, y = x[p], y[p]
    xtr, ytr, xte, yte = x[:1300], y[:1300], x[1300:], y[1300:]
    work = tempfile.mkdtemp(prefix="digits.")
    train, test, model = (os.path.join(work, n) for n in ("train.npy", "test.npy", "m.vae"))
    np.save(test, xte)
    print("| labels | LR | M2, --label-weight 2 | 20 | 180 |\n| --- | --- | --- | --- | --- |")
    for per in (3, 10):
        lab = np.concatenate([np.flatnonzero(ytr == c)[:per] for c in range(10)])
        lr = 1 - LogisticRegression(max_iter=2000).fit(xtr[lab], ytr[lab]).score(xte, yte)
        col = np.full(len(ytr), np.nan, np.float32)
        col[lab] = ytr[lab]
        np.save(train, np.concatenate([xtr, col[:, None]], 1))
        errs = []
        for weight in ("2", "20", "180"):
            subprocess.run([os.path.join(BIN, "vae-fit")] + FIT + ["--label", "65", "--label-weight",
                           weight, "-o", model, train], check=True)
            out = subprocess.run([os.path.join(BIN, "vae-enc"), "--predict", "-m", model, test],
                                 capture_output=True, text=True, check=True).stdout
            pred = np.array([float(line.split(",")[-2]) for line in out.split()])
            errs.append(np.mean(pred != yte))
        print("| %d | %.1f%% | %s |" % (per * 10, 100 * lr, " | ".join("%.1f%%" % (100 * e)
                                                                        for e in errs)))
    for f in (train, test, model):
        os.remove(f)
    os.rmdir(work)
    print("command: %s" % " ".join(sys.argv))


if __name__ == "__main__":
    main()
