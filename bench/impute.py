#!/usr/bin/python3
"""impute.py: imputation of mixed tables, vae-impute beside standard peers.

For each table of bench/data (cars93, survey, boston, votes: real tables
with numbers and categories, see bench/data/README) and each seed, remove
a share of the cells (20%) completely at random (MCAR), exactly that many,
chosen over every cell of the table; write the holed table as CSV with
empty cells; fill it with each method; and measure the error on the
removed cells only:

  numbers     RMSE over the removed numeric cells, each error divided by
              its column's sd in the complete table, pooled over the
              table's numeric columns (so filling with the mean is about 1)
  categories  the share of removed categorical cells filled with a wrong
              level (binary columns count as categories)

A column is a category when write.csv quoted it (a factor in R: text, or
numbers like Cylinders "3" .. "8" and chas "0", "1"), else a number.

Methods, all given the same holed table:

  mean/mode   each column's observed mean (numbers) or most frequent level
  iterative   chained equations as scikit-learn's IterativeImputer runs
              them (BayesianRidge for a number, columns fewest holes first,
              10 rounds from mean/mode, no posterior draws), with a
              multinomial LogisticRegression for each category, as R's mice
              does with its polyreg method.  The other columns enter each
              model as standardised numbers and one-hot levels.
              IterativeImputer itself over one-hot levels was tried and
              left out: a missing level is missing in all its one-hot
              columns, each of which the group's others predict exactly, so
              the fills stay near their starting means and the argmax is
              nearly always the mode (the mode's very error on survey,
              boston and votes).
  knn         KNNImputer, k = 5, on the standardised numbers and one-hot
              levels (nan-Euclidean distance); the level of the largest
              neighbour mean.
  forest      (with --forest) the same chains with ExtraTrees regressors
              and classifiers, 5 rounds: missForest's method; slower.
  vae         vae-fit --missing mask -q -s SEED [--types ...] $VAE_FIT_OPTS
                  -o model holed.csv
              vae-impute -m model $VAE_IMPUTE_OPTS holed.csv > filled.csv
              --types names the categories whose levels are all numbers
              (cat, or binary for two levels), which detection alone would
              take as numbers; the peers are told the same.  Skipped, with
              the reason, when vae-impute is not there or fails.

Prints a table (each figure the mean over the seeds), the mean over the
tables, the ratios vae / mean-mode and vae / iterative, and the command
line.  Everything written goes to a temporary directory removed at the end
(--keep keeps it and says where).

Run from a clean checkout after `make` (needs Debian's python3-sklearn for
/usr/bin/python3; the script re-runs itself with that
interpreter if the one it was started with lacks scikit-learn):

    /usr/bin/python3 bench/impute.py
    VAE_FIT_OPTS='-e 300 -b 32' /usr/bin/python3 bench/impute.py --tables survey --seeds 1

Environment: VAE_BIN, the directory of vae-fit and vae-impute (default: the
repository's top directory); VAE_FIT_OPTS and VAE_IMPUTE_OPTS, extra flags
for each (split like a shell would).
"""

import os
import sys

import bench_env  # first: it fixes sys.path and picks the interpreter
bench_env.need("numpy", "sklearn")
import numpy as np  # noqa: E402

import argparse
import csv
import shlex
import shutil
import subprocess
import tempfile
import time
import warnings
import zlib

from sklearn.impute import KNNImputer
from sklearn.linear_model import BayesianRidge, LogisticRegression
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor
from sklearn.exceptions import ConvergenceWarning

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TABLES = ["cars93", "survey", "boston", "votes"]


class Table:
    """A table of bench/data: its header, each cell's text, which columns
    are categories, and the numbers and levels of the complete table."""

    def __init__(self, path):
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        with open(path, newline="") as f:   # unquoted fields become floats
            typed = list(csv.reader(f, quoting=csv.QUOTE_NONNUMERIC))
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.header = rows[0]
        self.text = np.array(rows[1:], dtype=object)
        self.n, self.p = self.text.shape
        self.cat = np.array([isinstance(typed[1][j], str) for j in range(self.p)])
        for r in typed[1:]:
            for j in range(self.p):
                if isinstance(r[j], str) != self.cat[j]:
                    raise ValueError("%s: column %s mixes quoted and unquoted cells"
                                     % (path, self.header[j]))
        self.num = np.full((self.n, self.p), np.nan)
        for j in np.flatnonzero(~self.cat):
            self.num[:, j] = [float(v) for v in self.text[:, j]]
        self.sd = np.array([np.std(self.num[:, j], ddof=1) if not self.cat[j] else np.nan
                            for j in range(self.p)])

    def numeric_levels(self):
        """The categories whose levels all read as numbers: name -> count."""
        out = {}
        for j in np.flatnonzero(self.cat):
            levels = set(self.text[:, j])
            try:
                [float(v) for v in levels]
            except ValueError:
                continue
            out[self.header[j]] = len(levels)
        return out


def same_level(a, b):
    """Levels compare as numbers when both read as numbers ("4" is "4.0")."""
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


# ---- the peers: each takes the table and the hole mask and returns the
# filled cells as (numbers: n x p float, categories: n x p object) ----

def observed(t, hole):
    """The holed table: numbers with NaN, levels with None."""
    num = np.where(hole, np.nan, t.num)
    lev = np.where(hole, None, t.text)
    return num, lev


def mean_mode(t, hole, seed):
    num, lev = observed(t, hole)
    fnum, flev = num.copy(), lev.copy()
    for j in range(t.p):
        miss = hole[:, j]
        if t.cat[j]:
            vals, counts = np.unique([v for v in lev[~miss, j]], return_counts=True)
            flev[miss, j] = vals[np.argmax(counts)] if len(vals) else None
        else:
            fnum[miss, j] = np.nanmean(num[:, j])
    return fnum, flev


def encode(t, hole):
    """Standardised numbers (by the observed cells) and one-hot groups of
    the observed levels, NaN where a cell is missing; and how to decode."""
    num, lev = observed(t, hole)
    cols, parts = [], []
    for j in range(t.p):
        miss = hole[:, j]
        if t.cat[j]:
            levels = sorted(set(lev[~miss, j]))
            block = np.array([[1.0 if v == l else 0.0 for l in levels] for v in lev[:, j]])
            block = block.reshape(t.n, len(levels))
            block[miss, :] = np.nan
            cols.append((j, "cat", levels))
            parts.append(block)
        else:
            mu, sd = np.nanmean(num[:, j]), np.nanstd(num[:, j])
            sd = sd if sd > 0 else 1.0
            cols.append((j, "num", (mu, sd)))
            parts.append(((num[:, j] - mu) / sd).reshape(-1, 1))
    return np.hstack(parts), cols


def decode(t, hole, x, cols):
    num, lev = observed(t, hole)
    fnum, flev = num.copy(), lev.copy()
    k = 0
    for j, kind, info in cols:
        miss = hole[:, j]
        if kind == "cat":
            w = len(info)
            if w:
                pick = np.argmax(x[:, k:k + w], axis=1)
                flev[miss, j] = [info[i] for i in pick[miss]]
            k += w
        else:
            mu, sd = info
            fnum[miss, j] = x[miss, k] * sd + mu
            k += 1
    return fnum, flev


def design(t, num, lev, skip, scale):
    """Every column but skip, as the chained models see it: the numbers
    standardised, each category one-hot over its observed levels."""
    parts = []
    for j in range(t.p):
        if j == skip:
            continue
        if t.cat[j]:
            levels = scale[j]
            parts.append((lev[:, j][:, None] == np.array(levels, dtype=object)[None, :]).astype(float))
        else:
            mu, sd = scale[j]
            parts.append(((num[:, j] - mu) / sd)[:, None])
    return np.hstack(parts) if parts else np.zeros((t.n, 0))


def chained(regressor, classifier, rounds):
    """Chained equations (MICE without draws, as IterativeImputer runs
    them): start from mean/mode, then for `rounds` rounds visit the columns
    with holes, fewest holes first, and refit each on the observed cells
    from all the other columns as currently filled: a regressor for a
    number, a classifier for a category."""
    def run(t, hole, seed):
        num, lev = mean_mode(t, hole, seed)
        scale = {}
        for j in range(t.p):
            obs = ~hole[:, j]
            if t.cat[j]:
                scale[j] = sorted(set(t.text[obs, j]))
            else:
                sd = np.std(t.num[obs, j])
                scale[j] = (np.mean(t.num[obs, j]), sd if sd > 0 else 1.0)
        order = [j for j in np.argsort(hole.sum(axis=0), kind="stable") if hole[:, j].any()]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for _ in range(rounds):
                for j in order:
                    miss = hole[:, j]
                    x = design(t, num, lev, j, scale)
                    if t.cat[j]:
                        y = lev[~miss, j].astype(str)
                        if len(set(y)) < 2:
                            continue        # one level observed: the mode stands
                        m = classifier(seed).fit(x[~miss], y)
                        lev[miss, j] = m.predict(x[miss])
                    else:
                        mu, sd = scale[j]
                        m = regressor(seed).fit(x[~miss], (num[~miss, j] - mu) / sd)
                        num[miss, j] = m.predict(x[miss]) * sd + mu
        return num, lev
    return run


def sklearn_peer(make):
    """An sklearn imputer over the standardised numbers and one-hot levels."""
    def run(t, hole, seed):
        x, cols = encode(t, hole)
        keep = ~np.all(np.isnan(x), axis=0)   # sklearn drops all-NaN columns
        filled = np.zeros_like(x)
        filled[:, keep] = make(seed).fit_transform(x[:, keep])
        return decode(t, hole, filled, cols)
    return run


iterative = chained(lambda seed: BayesianRidge(),
                    lambda seed: LogisticRegression(C=1.0, max_iter=1000), rounds=10)
forest = chained(lambda seed: ExtraTreesRegressor(n_estimators=100, min_samples_leaf=1,
                                                  max_features=0.5, random_state=seed, n_jobs=-1),
                 lambda seed: ExtraTreesClassifier(n_estimators=100, min_samples_leaf=1,
                                                   max_features=0.5, random_state=seed, n_jobs=-1),
                 rounds=5)
knn = sklearn_peer(lambda seed: KNNImputer(n_neighbors=5))


class Vae:
    """vae-fit --missing mask, then vae-impute, on the holed CSV."""

    def __init__(self, bindir, tmp):
        self.fit = os.path.join(bindir, "vae-fit")
        self.impute = os.path.join(bindir, "vae-impute")
        self.tmp = tmp
        self.fit_opts = shlex.split(os.environ.get("VAE_FIT_OPTS", ""))
        self.impute_opts = shlex.split(os.environ.get("VAE_IMPUTE_OPTS", ""))
        self.why_not = None
        self.changed = 0            # observed cells vae-impute did not give back as read
        self.seconds = 0.0
        for prog in (self.fit, self.impute):
            if not os.access(prog, os.X_OK):
                self.why_not = "%s not found (not built yet?)" % prog

    def types(self, t):
        return ",".join("%s:%s" % (name, "binary" if n == 2 else "cat")
                        for name, n in sorted(t.numeric_levels().items()))

    def command(self, t):
        """vae-fit's arguments but -o and the input; t None: without --types."""
        types = self.types(t) if t is not None else ""
        return ([self.fit, "--missing", "mask", "-q", "-s", "SEED"]
                + (["--types", types] if types else []) + self.fit_opts)

    def __call__(self, t, hole, seed):
        base = os.path.join(self.tmp, "%s-%d" % (t.name, seed))
        holed, model, filled = base + ".csv", base + ".vae", base + ".filled.csv"
        with open(holed, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(t.header)
            w.writerows(np.where(hole, "", t.text).tolist())
        fit = [a if a != "SEED" else str(seed) for a in self.command(t)] + ["-o", model, holed]
        start = time.time()
        for cmd, out in ((fit, None), ([self.impute, "-m", model] + self.impute_opts + [holed], filled)):
            with open(out or os.devnull, "w") as o:
                p = subprocess.run(cmd, stdout=o, stderr=subprocess.PIPE, text=True)
            if p.returncode != 0:
                raise RuntimeError("%s exited %d: %s" % (" ".join(shlex.quote(c) for c in cmd),
                                                         p.returncode, p.stderr.strip()))
        self.seconds += time.time() - start
        with open(filled, newline="") as f:
            rows = list(csv.reader(f))
        if rows[0] != t.header or len(rows) != t.n + 1 or any(len(r) != t.p for r in rows[1:]):
            raise RuntimeError("%s: not the holed table's %d rows of the columns %s"
                               % (filled, t.n, ",".join(t.header)))
        text = np.array(rows[1:], dtype=object)
        obs = ~hole
        self.changed += int(np.sum(text[obs] != t.text[obs]))
        fnum, flev = observed(t, hole)
        for j in range(t.p):
            miss = hole[:, j]
            if t.cat[j]:
                flev[miss, j] = text[miss, j]
            else:
                fnum[miss, j] = [float(v) if v != "" else np.nan for v in text[miss, j]]
        return fnum, flev


def errors(t, hole, fnum, flev):
    """(numbers: pooled RMSE / sd, categories: share wrong), NaN if none."""
    h = hole & ~t.cat
    if h.any():
        z = (fnum - t.num) / t.sd
        nrmse = float(np.sqrt(np.mean(z[h] ** 2)))   # a NaN fill makes it NaN
    else:
        nrmse = float("nan")
    h = hole & t.cat
    if h.any():
        wrong = [not same_level(a, b) for a, b in zip(flev[h], t.text[h])]
        share = float(np.mean(wrong))
    else:
        share = float("nan")
    return nrmse, share


def holes(t, frac, seed):
    """Exactly round(frac * cells) cells, uniformly without replacement;
    the same cells whichever other tables run."""
    rng = np.random.default_rng([seed, zlib.crc32(t.name.encode())])
    k = int(round(frac * t.n * t.p))
    hole = np.zeros(t.n * t.p, dtype=bool)
    hole[rng.choice(t.n * t.p, size=k, replace=False)] = True
    return hole.reshape(t.n, t.p)


def fmt(v, width=6):
    return ("%*.3f" % (width, v)) if v == v else " " * (width - 1) + "-"


def ratio(a, b):
    return a / b if a == a and b == b and b > 0 else float("nan")


def main():
    ap = argparse.ArgumentParser(description="Imputation of MCAR holes in real mixed tables: "
                                 "vae-impute beside mean/mode, chained equations and KNNImputer.")
    ap.add_argument("--tables", default=",".join(TABLES),
                    help="comma-separated tables of --data [%(default)s]")
    ap.add_argument("--seeds", type=int, default=3, help="seeds 1..N [%(default)s]")
    ap.add_argument("--frac", type=float, default=0.2,
                    help="share of the cells removed [%(default)s]")
    ap.add_argument("--data", default=os.path.join(HERE, "data"),
                    help="directory of the tables [bench/data]")
    ap.add_argument("--bindir", default=os.environ.get("VAE_BIN", ROOT),
                    help="directory of vae-fit and vae-impute [VAE_BIN or %s]" % ROOT)
    ap.add_argument("--forest", action="store_true",
                    help="add the missForest-like peer (chained extra trees; slower)")
    ap.add_argument("--no-vae", action="store_true", help="the peers only")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary directory (holed and filled tables, models)")
    args = ap.parse_args()
    if not 0 < args.frac < 1:
        ap.error("--frac: between 0 and 1")

    tmp = tempfile.mkdtemp(prefix="impute.")
    try:
        methods = [("mean/mode", mean_mode), ("iterative", iterative), ("knn", knn)]
        if args.forest:
            methods.append(("forest", forest))
        vae = None
        if not args.no_vae:
            vae = Vae(args.bindir, tmp)
            if vae.why_not:
                print("# vae: skipped: %s" % vae.why_not, flush=True)
            else:
                methods.append(("vae", vae))
        names = [m for m, _ in methods]
        seconds = {m: 0.0 for m in names}

        results = []   # (table, {method: (num, cat)})
        for name in args.tables.split(","):
            t = Table(os.path.join(args.data, name + ".csv"))
            acc = {m: [] for m in names}
            for seed in range(1, args.seeds + 1):
                hole = holes(t, args.frac, seed)
                for m, f in methods:
                    if m == "vae" and vae.why_not:
                        continue
                    start = time.time()
                    try:
                        acc[m].append(errors(t, hole, *f(t, hole, seed)))
                    except RuntimeError as e:
                        vae.why_not = str(e)
                        print("# vae: skipped from here on: %s" % e, flush=True)
                    seconds[m] += time.time() - start
            means = {m: tuple(np.mean([r[i] for r in acc[m]]) if acc[m] else float("nan")
                              for i in range(2)) for m in names}
            results.append((t, means))

        # the table
        w = 7 * len(names)
        print("# %d%% of the cells removed at random (MCAR), seeds 1-%d; on the removed cells:"
              % (round(100 * args.frac), args.seeds))
        print("# numbers: RMSE / column sd, pooled; categories: share wrong; lower is better")
        print("%-8s %4s %3s %3s | %-*s | %-*s" % ("table", "rows", "num", "cat",
              w - 1, "numbers", w - 1, "categories"))
        heads = " ".join("%6s" % n[:6] for n in names)
        print("%-8s %4s %3s %3s | %s | %s" % ("", "", "", "", heads, heads))
        for t, means in results:
            print("%-8s %4d %3d %3d | %s | %s" % (
                t.name, t.n, int((~t.cat).sum()), int(t.cat.sum()),
                " ".join(fmt(means[m][0]) for m in names),
                " ".join(fmt(means[m][1]) for m in names)))
        mean = {}
        for m in names:
            mean[m] = tuple(float(np.mean(v)) if v else float("nan") for v in
                            ([r[1][m][i] for r in results if r[1][m][i] == r[1][m][i]]
                             for i in range(2)))
        print("%-8s %4s %3s %3s | %s | %s" % ("mean", "", "", "",
              " ".join(fmt(mean[m][0]) for m in names),
              " ".join(fmt(mean[m][1]) for m in names)))
        print("# seconds: " + ", ".join("%s %.1f" % (m, seconds[m]) for m in names))

        if "vae" in names:
            v = mean["vae"]
            print("vae / mean-mode: numbers %s, categories %s (target: at most 0.85 each)"
                  % (fmt(ratio(v[0], mean["mean/mode"][0]), 0),
                     fmt(ratio(v[1], mean["mean/mode"][1]), 0)))
            print("vae / iterative: numbers %s, categories %s"
                  % (fmt(ratio(v[0], mean["iterative"][0]), 0),
                     fmt(ratio(v[1], mean["iterative"][1]), 0)))
            if vae.changed:
                print("# vae-impute changed %d observed cells (they should come back as read)"
                      % vae.changed)
            types = "; ".join("%s: %s" % (t.name, vae.types(t)) for t, _ in results if vae.types(t))
            print("# vae: %s -o MODEL HOLED.csv (--types %s), then %s -m MODEL %sHOLED.csv"
                  % (" ".join(shlex.quote(c) for c in vae.command(None)), types or "none",
                     vae.impute, "".join(shlex.quote(o) + " " for o in vae.impute_opts)))
        if vae is not None and vae.why_not:
            print("# vae: not measured: %s" % vae.why_not)

        env = " ".join("%s=%s" % (k, shlex.quote(os.environ[k]))
                       for k in ("VAE_BIN", "VAE_FIT_OPTS", "VAE_IMPUTE_OPTS") if k in os.environ)
        print("command: %s%s %s" % (env + " " if env else "", sys.executable,
                                    " ".join(shlex.quote(a) for a in sys.argv)))
    finally:
        if args.keep:
            print("# kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
