#!/usr/bin/python3
"""anomaly.py: one-class anomaly detection on real tables, vae beside peers.

A development benchmark: how well vae-fit and vae-score, with their
defaults as users meet them, tell rows of an unseen class from the class
they were fitted on, beside IsolationForest, LOF and PCA on the same
splits, and whether their p99 and p99.9 thresholds hold their nominal
false-alarm rates.

Tables (each labelled; the label is never shown to a detector):

  digits   scikit-learn's load_digits: 1797 8x8 images, 64 pixels 0..16, 10 classes
  wine     load_wine: 178 wines, 13 measurements, 3 cultivars
  breast   load_breast_cancer: 569 tumours, 30 measurements, benign/malignant
  vehicle  bench/data/vehicle.csv (mlbench Vehicle): 846 rows, 18 numbers, 4 classes
  vowel    bench/data/vowel.csv (mlbench Vowel): 990 rows, the speaker as a
           quoted factor "0".."14" and 9 numbers, 11 vowels
  sonar    bench/data/sonar.csv (mlbench Sonar): 208 rows, 60 numbers, 2 classes
  dna      bench/data/dna.csv (mlbench DNA): 3186 rows, 180 quoted "0"/"1", 3 classes
  fashion  Fashion-MNIST (gzipped IDX under --fashion-data): 10 classes,
           subsampled (--fashion-rows)

Protocol, for each table, each class c of it in turn the normal class
(--max-classes caps how many, the first ones), and each seed:

  - normals are the rows of class c, anomalies the rows of the others;
  - the normals are split at random, 70% a training pool and 30% test
    normals;
  - test anomalies are drawn from the anomalies, n_test_normals // 2 of
    them (at most a third of the test rows);
  - setting "clean" trains on the pool alone; setting "dirty" trains on
    the pool plus anomalies, disjoint from the test ones, making 5% of
    the training rows (--dirty-share; round(pool * 0.05 / 0.95) of them),
    shuffled in.  Both
    settings test on the same rows.
  Fashion: the pool is --fashion-rows (2000) images of class c from the
  training set; the test normals round(rows * 3 / 7) images of class c
  from the test set, the test anomalies half as many images of the other
  classes from the test set; dirty anomalies come from the training set.
  The draws come from a stream seeded by the seed, the table's name and
  the class, so a task's rows do not depend on which others run.

What each detector sees:

  vae       the training and test rows as CSV with a header, the class
            column left out, each cell as the table holds it (the tables of
            bench/data keep their bytes: quoted factors stay quoted, as
            Vowel's speaker and DNA's 0/1 are); scikit-learn's tables as
            Python writes floats ("0.0", "14.23").  No options, so vae-fit
            surveys the columns itself; its "N columns: ..." line for a
            table is shown by running vae-fit on it without -q.  Fashion is
            a gzipped NPY of float32 pixels 0..255 (read as real columns).
                vae-fit -q -s SEED [-j 1] FIT_OPTS -o m.vae train.csv
                vae-score -q -m m.vae [-j 1] SCORE_OPTS test.csv
            one score per row (its first column).  The false-alarm rates:
                vae-score -q -m m.vae [-j 1] SCORE_OPTS -t p99 --all test.csv
            and the same with -t p99.9: the share of the TEST NORMAL rows
            marked over the model's own threshold (nominal 1% and 0.1%);
            its scores are checked against the plain run's.  When vae-score
            refuses -t for a configuration (a -K the model's percentiles
            were not measured with), the rates are n/a.
  peers     numbers standardised by the training rows' mean and sd (an sd
            of 0 taken as 1); text columns (quoted in bench/data: Vowel's
            speaker, DNA's 0/1) one-hot over the training rows' levels, an
            unseen level all zeros.  Fashion: pixels / 255, not
            standardised, for all three (standardising would blow up the
            border pixels that are nearly always 0).
              iforest  IsolationForest(random_state=seed), sklearn defaults
              lof      LocalOutlierFactor(n_neighbors=20, novelty=True)
                       fitted on the training rows, score_samples on the
                       test rows; in the dirty setting too: its training
                       rows already hold the anomalies, as last week's
                       unlabelled data would (the realistic unsupervised
                       case, not LOF's transductive one)
              pca      squared reconstruction error under the PCA of the
                       training rows with the fewest components that
                       explain 90% of their variance
            Higher = more anomalous (sklearn's score_samples negated).

vae configurations: --vae 'NAME|FIT OPTS|SCORE OPTS|N', repeatable, runs
several on the same splits, beside the same peers.  N (default 1) is an
ensemble: N models fitted with seeds SEED*100+1 .. SEED*100+N and their
scores averaged (a plain mean); the false-alarm rates are n/a for N > 1.
Without --vae there is one configuration, "vae", with the toolkit's
defaults plus VAE_FIT_OPTS and VAE_SCORE_OPTS (which touch only it).

Metrics: ROC-AUC and average precision (sklearn.metrics), anomaly the
positive class.  A non-finite vae score ranks as the most anomalous (and
is counted in the output).  A task on which vae-fit or vae-score fails
(vae-score refuses a test value the kinds chosen from the training rows
do not allow: a level a binary column never saw, a 0 in a positive column)
has no vae figure: the table's means over the tasks left are marked !, a
"common" row gives every method's means over the tasks all completed, and
the end of the output counts the failures and shows the first.

Prints, per setting, one line per table (the mean over its classes and
seeds) with the ROC-AUC and AP of each vae configuration and each peer and
the best peer of the table; the mean over the tables (each weighing the
same); the best single peer by mean ROC-AUC and each configuration's mean
minus its; and the false-alarm rates per table and over all tasks.  Then the time taken and
the command line.  --json FILE writes every per-task figure.  Progress on
stderr, a line per table and setting.  Everything else written goes to a
temporary directory removed at the end (--keep keeps it and says where).

Run from a clean checkout after `make` (needs Debian's python3-sklearn for
/usr/bin/python3; the script re-runs itself with that interpreter if the
one it was started with lacks scikit-learn):

    /usr/bin/python3 bench/anomaly.py
    /usr/bin/python3 bench/anomaly.py --tables wine,sonar --settings clean \\
        --vae 'vae||' --vae 'elbo||--metric elbo' --vae 'ens5|||5' --seeds 1,2,3

Two jobs run at a time (--jobs), the programs each with -j 1 and the
peers' BLAS with one thread; --jobs 1 runs serially with every program's
default threads.  On 2 cores two jobs are the faster: the full run (all
tables, both settings, one seed) took 133 s against 191 s.

Environment: VAE_BIN, the directory of vae-fit and vae-score (default: the
repository's top directory); VAE_FIT_OPTS and VAE_SCORE_OPTS, extra flags
for the default configuration (split like a shell would); FM, the
Fashion-MNIST directory (default /usr/share/datasets/fashion-mnist).
"""

import os
import sys

import bench_env  # first: it fixes sys.path and picks the interpreter
bench_env.need("numpy", "sklearn")
import numpy as np  # noqa: E402

import argparse
import concurrent.futures
import csv
import gzip
import json
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
import zlib

from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.neighbors import LocalOutlierFactor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TABLES = ["digits", "wine", "breast", "vehicle", "vowel", "sonar", "dna", "fashion"]
SKLEARN = {"digits": load_digits, "wine": load_wine, "breast": load_breast_cancer}
PEERS = ["iforest", "lof", "pca"]
SETTINGS = ["clean", "dirty"]
FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


# ---- the tables ----

class Table:
    """A labelled table: the CSV text vae is given (a header line and one
    line per row, the class column left out), the peers' view of it (numbers
    and text columns), the labels and the classes in order."""

    fashion = False

    def __init__(self, name, head, lines, cells, cat, labels, classes):
        self.name, self.head, self.lines = name, head, lines
        self.cells = np.array(cells, dtype=object)     # n x p texts
        self.cat = np.array(cat, dtype=bool)
        self.n, self.p = self.cells.shape
        self.num = np.full((self.n, self.p), np.nan)
        for j in np.flatnonzero(~self.cat):
            self.num[:, j] = [float(v) for v in self.cells[:, j]]
        self.y = np.array(labels, dtype=object)
        self.classes = classes
        self.pool = None            # fashion: which rows are the test set's

    @classmethod
    def from_csv(cls, path):
        """A table of bench/data, the class its last column: its lines are
        the file's bytes with the last field cut off; a column is text when
        write.csv quoted it (a factor), as impute.py takes it."""
        name = os.path.splitext(os.path.basename(path))[0]
        with open(path, newline="") as f:
            raw = f.read().split("\n")
        if raw and raw[-1] == "":
            raw.pop()
        rows = list(csv.reader(raw))
        typed = list(csv.reader(raw, quoting=csv.QUOTE_NONNUMERIC))
        lines = [r.rsplit(",", 1)[0] for r in raw]
        for line, row in zip(lines, rows):   # the label holds no comma
            if next(csv.reader([line])) != row[:-1]:
                raise ValueError("%s: cannot cut the last field off %r" % (path, line))
        cat = [isinstance(v, str) for v in typed[1][:-1]]
        labels = [r[-1] for r in rows[1:]]
        return cls(name, lines[0], lines[1:], [r[:-1] for r in rows[1:]], cat, labels,
                   sorted(set(labels)))

    @classmethod
    def from_sklearn(cls, name):
        """One of scikit-learn's bundled tables, every column a number
        written as Python writes a float."""
        d = SKLEARN[name]()
        names = [str(n) for n in d.feature_names]
        buf = []
        w = csv.writer(_Lines(buf), lineterminator="")
        w.writerow(names)
        cells = [[repr(float(v)) for v in row] for row in d.data]
        for row in cells:
            w.writerow(row)
        labels = [str(d.target_names[t]) for t in d.target]
        return cls(name, buf[0], buf[1:], cells, [False] * len(names), labels,
                   [str(t) for t in d.target_names])

    def write(self, rows, path):
        """Rows (indices) as vae's CSV; returns the path."""
        path += ".csv"
        with open(path, "w") as f:
            f.write(self.head + "\n")
            for i in rows:
                f.write(self.lines[i] + "\n")
        return path

    def features(self, train, test):
        """The peers' inputs for the training and test rows: numbers
        standardised by the training rows, text one-hot over their levels."""
        tr, te = [], []
        for j in range(self.p):
            if self.cat[j]:
                levels = np.array(sorted(set(self.cells[train, j])), dtype=object)
                tr.append((self.cells[train, j][:, None] == levels[None, :]).astype(float))
                te.append((self.cells[test, j][:, None] == levels[None, :]).astype(float))
            else:
                x = self.num[train, j]
                mu, sd = x.mean(), x.std()
                sd = sd if sd > 0 else 1.0
                tr.append(((x - mu) / sd)[:, None])
                te.append(((self.num[test, j] - mu) / sd)[:, None])
        return np.hstack(tr), np.hstack(te)


class _Lines:
    """A file-like sink for csv.writer collecting one string per row."""

    def __init__(self, out):
        self.out = out

    def write(self, s):
        self.out.append(s)


def read_idx(path):
    """A gzipped IDX file of unsigned bytes as a numpy array of its shape."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError("%s: not an IDX file of unsigned bytes" % path)
    ndim = data[3]
    dims = tuple(int(d) for d in np.frombuffer(data, ">u4", ndim, 4))
    count = int(np.prod(dims))
    if len(data) != 4 + 4 * ndim + count:
        raise ValueError("%s: size does not match the header" % path)
    return np.frombuffer(data, np.uint8, count, 4 + 4 * ndim).reshape(dims)


class Fashion:
    """Fashion-MNIST's training and test sets as one table of 70,000 rows
    (pool marks the test set's), written for vae as gzipped NPY float32."""

    fashion = True
    name = "fashion"

    def __init__(self, directory):
        parts = [(read_idx(os.path.join(directory, "%s-images-idx3-ubyte.gz" % s)),
                  read_idx(os.path.join(directory, "%s-labels-idx1-ubyte.gz" % s)))
                 for s in ("train", "t10k")]
        (xtr, ytr), (xte, yte) = parts
        if xtr.shape[1:] != (28, 28) or xte.shape[1:] != (28, 28) \
                or len(xtr) != len(ytr) or len(xte) != len(yte):
            raise ValueError("%s: not Fashion-MNIST's shapes" % directory)
        self.x = np.concatenate([xtr, xte]).reshape(len(xtr) + len(xte), -1)
        self.y = np.array([FASHION[t] for t in np.concatenate([ytr, yte])], dtype=object)
        self.pool = np.r_[np.zeros(len(xtr), bool), np.ones(len(xte), bool)]
        self.classes = list(FASHION)
        self.n, self.p = self.x.shape

    def write(self, rows, path):
        path += ".npy.gz"
        with gzip.open(path, "wb", compresslevel=1) as f:
            np.save(f, self.x[rows].astype(np.float32))
        return path

    def features(self, train, test):
        return self.x[train] / 255.0, self.x[test] / 255.0


def split(t, c, seed, fashion_rows, dirty_share):
    """(training pool, test normals, test anomalies, dirty anomalies): row
    indices of t with c the normal class, drawn as the docstring says."""
    rng = np.random.default_rng([seed, zlib.crc32(t.name.encode()), t.classes.index(c)])
    normal = t.y == c
    if t.pool is None:
        norm = rng.permutation(np.flatnonzero(normal))
        anom = rng.permutation(np.flatnonzero(~normal))
        ntr = int(round(0.7 * len(norm)))
        pool, test_norm = norm[:ntr], norm[ntr:]
        nta = min(len(test_norm) // 2, len(anom))
        test_anom, rest = anom[:nta], anom[nta:]
    else:
        pool = rng.permutation(np.flatnonzero(normal & ~t.pool))[:fashion_rows]
        test_norm = rng.permutation(np.flatnonzero(normal & t.pool))[:int(round(fashion_rows * 3 / 7))]
        test_anom = rng.permutation(np.flatnonzero(~normal & t.pool))[:len(test_norm) // 2]
        rest = rng.permutation(np.flatnonzero(~normal & ~t.pool))
    dirty = rest[:min(int(round(len(pool) * dirty_share / (1 - dirty_share))), len(rest))]
    mixed = rng.permutation(np.r_[pool, dirty])
    return pool, test_norm, test_anom, mixed


# ---- the detectors ----

class Config:
    """A vae configuration: NAME|FIT OPTS|SCORE OPTS|N."""

    def __init__(self, spec, extra_fit=(), extra_score=()):
        parts = spec.split("|")
        if len(parts) > 4 or not parts[0].strip():
            raise ValueError("--vae %r: expected 'NAME|FIT OPTS|SCORE OPTS|N'" % spec)
        parts += [""] * (4 - len(parts))
        self.spec = spec
        self.name = parts[0].strip()
        self.fit = shlex.split(parts[1]) + list(extra_fit)
        self.score = shlex.split(parts[2]) + list(extra_score)
        try:
            self.n = int(parts[3]) if parts[3].strip() else 1
        except ValueError:
            raise ValueError("--vae %r: N is not a whole number" % spec)
        if self.n < 1:
            raise ValueError("--vae %r: N must be at least 1" % spec)
        self.errors = []         # the first few failures, for the report
        self.far_why = None      # why the false-alarm rates are n/a
        self.nonfinite = 0
        self.seconds = 0.0
        self.lock = threading.Lock()

    def describe(self):
        q = lambda a: " ".join(shlex.quote(o) for o in a)
        return "%s: fit [%s] score [%s]%s" % (self.name, q(self.fit), q(self.score),
                                             " ensemble of %d" % self.n if self.n > 1 else "")


def first_column(text, rows, what):
    """The scores in the first column of vae-score's output (a header line
    first when the input had one), and the second column if there is one."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines:
        try:
            float(lines[0].split(",", 1)[0])
        except ValueError:
            lines = lines[1:]
    if len(lines) != rows:
        raise RuntimeError("%s: %d output rows for %d input rows" % (what, len(lines), rows))
    first, second = np.empty(rows), np.empty(rows)
    for i, line in enumerate(lines):
        f = line.split(",", 2)
        first[i] = float(f[0])
        second[i] = float(f[1]) if len(f) > 1 else np.nan
    return first, second


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr.strip()


def quote(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


class Vae:
    def __init__(self, bindir, threads):
        self.fit = os.path.join(bindir, "vae-fit")
        self.score = os.path.join(bindir, "vae-score")
        self.threads = threads
        self.why_not = None
        for prog in (self.fit, self.score):
            if not os.access(prog, os.X_OK):
                self.why_not = "%s not found (not built yet?)" % prog

    def __call__(self, cfg, d, train, test, seed, nrows, normal):
        """(scores, far99, far999) of cfg on the test rows; raises
        RuntimeError when a program fails."""
        seeds = [seed] if cfg.n == 1 else [seed * 100 + i for i in range(1, cfg.n + 1)]
        total = np.zeros(nrows)
        far = [np.nan, np.nan]
        for s in seeds:
            model = os.path.join(d, "%s-%d.vae" % (cfg.name.replace("/", "_"), s))
            cmd = [self.fit, "-q", "-s", str(s)] + self.threads + cfg.fit + ["-o", model, train]
            rc, _, err = run(cmd)
            if rc != 0:
                raise RuntimeError("%s exited %d: %s" % (quote(cmd), rc, err))
            base = [self.score, "-q", "-m", model] + self.threads + cfg.score
            rc, out, err = run(base + [test])
            if rc != 0:
                raise RuntimeError("%s exited %d: %s" % (quote(base + [test]), rc, err))
            score, _ = first_column(out, nrows, quote(base + [test]))
            if cfg.n == 1:
                for k, q in enumerate(("p99", "p99.9")):
                    cmd = base + ["-t", q, "--all", test]
                    rc, out, err = run(cmd)
                    if rc not in (0, 1) or not out:   # 1: no row over it
                        with cfg.lock:
                            cfg.far_why = cfg.far_why or "%s exited %d: %s" % (quote(cmd), rc, err)
                        break
                    again, over = first_column(out, nrows, quote(cmd))
                    if not np.array_equal(again, score, equal_nan=True):
                        raise RuntimeError("%s: scores differ from the run without -t" % quote(cmd))
                    far[k] = float(np.mean(over[normal]))
            total += score
        total /= len(seeds)
        bad = ~np.isfinite(total)
        if bad.any():
            with cfg.lock:
                cfg.nonfinite += int(bad.sum())
            total = np.where(bad, np.finfo(np.float64).max, total)
        return total, far[0], far[1]


def peers(xtr, xte, seed):
    """{peer: scores of the test rows}, higher = more anomalous."""
    out = {}
    out["iforest"] = -IsolationForest(random_state=seed).fit(xtr).score_samples(xte)
    out["lof"] = -LocalOutlierFactor(n_neighbors=20, novelty=True).fit(xtr).score_samples(xte)
    pca = PCA(n_components=0.9, svd_solver="full").fit(xtr)
    r = xte - pca.inverse_transform(pca.transform(xte))
    out["pca"] = np.einsum("ij,ij->i", r, r)
    return out


# ---- one task ----

def task(t, c, seed, setting, args, configs, vae, tmp):
    """Every method on one table, normal class, seed and setting: a list of
    per-method records."""
    pool, test_norm, test_anom, mixed = split(t, c, seed, args.fashion_rows, args.dirty_share)
    train_rows = pool if setting == "clean" else mixed
    test_rows = np.r_[test_norm, test_anom]
    label = np.r_[np.zeros(len(test_norm), bool), np.ones(len(test_anom), bool)]
    d = os.path.join(tmp, "%s-%d-%d-%s" % (t.name, t.classes.index(c), seed, setting))
    os.mkdir(d)
    base = {"table": t.name, "class": c, "seed": seed, "setting": setting,
            "n_train": int(len(train_rows)), "n_train_anomalies": int(len(train_rows) - len(pool)),
            "n_test_normal": int(len(test_norm)), "n_test_anomaly": int(len(test_anom))}
    records = []

    def record(method, score, far99=np.nan, far999=np.nan, seconds=np.nan):
        r = dict(base, method=method, auc=float(roc_auc_score(label, score)),
                 ap=float(average_precision_score(label, score)),
                 far99=far99, far999=far999, seconds=seconds)
        records.append(r)

    if vae is not None and vae.why_not is None:
        train = t.write(train_rows, os.path.join(d, "train"))
        test = t.write(test_rows, os.path.join(d, "test"))
        for cfg in configs:
            start = time.time()
            try:
                score, f99, f999 = vae(cfg, d, train, test, seed, len(test_rows), ~label)
            except (RuntimeError, ValueError) as e:
                with cfg.lock:
                    cfg.errors.append("%s %s %s seed %d: %s" % (t.name, c, setting, seed, e))
                records.append(dict(base, method=cfg.name, auc=np.nan, ap=np.nan,
                                    far99=np.nan, far999=np.nan, seconds=np.nan))
                continue
            took = time.time() - start
            with cfg.lock:
                cfg.seconds += took
            record(cfg.name, score, f99, f999, took)
    start = time.time()
    xtr, xte = t.features(train_rows, test_rows)
    for name, score in peers(xtr, xte, seed).items():
        record(name, score)
    records[-1]["seconds"] = time.time() - start      # the three peers together, on pca's
    if not args.keep:
        shutil.rmtree(d, ignore_errors=True)
    return records


# ---- the report ----

def fmt(v, width=6):
    return ("%*.3f" % (width, v)) if v == v else " " * (width - 1) + "-"


def pct(v, width=6):
    return ("%*.2f%%" % (width - 1, 100 * v)) if v == v else " " * (width - 3) + "n/a"


def nanmean(v):
    v = [x for x in v if x == x]
    return float(np.mean(v)) if v else float("nan")


def report(setting, names, configs, tables, results, dirty_share):
    """The table of one setting; results: the records of that setting.  A
    vae figure marked ! is the mean over the tasks it completed (some
    failed; the end of the output says why); the "common" row then gives
    every method's means over the tasks on which all of them ran."""
    w = max([6] + [len(n) for n in names])
    tasks = {}
    for r in results:
        tasks.setdefault((r["table"], r["class"], r["seed"]), {})[r["method"]] = r
    rows = [tb for tb in tables if any(k[0] == tb for k in tasks)]

    def means(tb, common):
        """{method: (auc, ap, failed)} over tb's tasks (common: only those
        every method completed)."""
        ts = [v for k, v in tasks.items() if k[0] == tb]
        if common:
            ts = [v for v in ts if all(m in v and v[m]["auc"] == v[m]["auc"] for m in names)]
        out = {}
        for m in names:
            rs = [v[m] for v in ts if m in v]
            out[m] = (nanmean([r["auc"] for r in rs]), nanmean([r["ap"] for r in rs]),
                      sum(1 for r in rs if r["auc"] != r["auc"]))
        return out

    def cell(v, failed):
        return fmt(v, w) + ("!" if failed else " ")

    def line(label, info, m):
        best = max(PEERS, key=lambda p: m[p][0])
        return "%-8s %s | %s %-7s | %s %-7s" % (
            label, info, "".join(cell(m[n][0], m[n][2]) for n in names), best,
            "".join(cell(m[n][1], m[n][2]) for n in names), best)

    def overall(per):
        """The mean over the tables of per[table] (tables with no figure
        left out); and the mean of each table's best peer."""
        per = {tb: m for tb, m in per.items() if all(m[p][0] == m[p][0] for p in PEERS)}
        out = {n: (nanmean([m[n][0] for m in per.values()]),
                   nanmean([m[n][1] for m in per.values()]),
                   sum(m[n][2] for m in per.values())) for n in names}
        bests = [m[max(PEERS, key=lambda p: m[p][0])] for m in per.values()]
        return out, (nanmean([b[0] for b in bests]), nanmean([b[1] for b in bests])), len(per)

    print()
    if setting == "clean":
        print("# setting clean: trained on 70% of the normal class's rows; "
              "tested on the other 30% and half as many anomalies")
    else:
        print("# setting dirty: the same, the training rows %g%% anomalies "
              "(other classes, none of the test's)" % (100 * dirty_share))
    print("# one line per table: the mean over its classes (each the normal class in turn) "
          "and seeds; higher is better")
    heads = "".join("%*s " % (w, n[:w]) for n in names)
    print("%-8s %3s %5s %5s | %-*s %-7s | %-*s %-7s" % (
        "", "", "", "", len(heads), "ROC-AUC", "", len(heads), "AP", ""))
    print("%-8s %3s %5s %5s | %s %-7s | %s %-7s" % ("table", "cls", "train", "test",
                                                     heads, "best", heads, "best"))
    per = {}
    for tb in rows:
        rs = [v[PEERS[0]] for k, v in tasks.items() if k[0] == tb]
        per[tb] = means(tb, False)
        info = "%3d %5.0f %5.0f" % (len(set(r["class"] for r in rs)),
                                    np.mean([r["n_train"] for r in rs]),
                                    np.mean([r["n_test_normal"] + r["n_test_anomaly"] for r in rs]))
        print(line(tb, info, per[tb]))
    tmean, bmean, _ = overall(per)
    failed = any(tmean[n][2] for n in names)
    print("%-8s %15s | %s%s | %s%s" % (
        "mean", "", "".join(cell(tmean[n][0], tmean[n][2]) for n in names), fmt(bmean[0], 7),
        "".join(cell(tmean[n][1], tmean[n][2]) for n in names), fmt(bmean[1], 7)))
    if failed:
        cmean, cbest, ntab = overall({tb: means(tb, True) for tb in rows})
        print("%-8s %15s | %s%s | %s%s" % (
            "common", "(%d tables)" % ntab,
            "".join(cell(cmean[n][0], 0) for n in names), fmt(cbest[0], 7),
            "".join(cell(cmean[n][1], 0) for n in names), fmt(cbest[1], 7)))
        print("# !: the mean over the tasks vae completed (it failed on some; see the end); "
              "common: every method over only the tasks all of them completed")
    print("# best: each table's best peer by ROC-AUC (its AP beside); "
          "the mean row's best: the mean of those (an oracle's pick)")
    single = max(PEERS, key=lambda m: tmean[m][0])
    print("best single peer by mean ROC-AUC: %s (ROC-AUC %s, AP %s)"
          % (single, fmt(tmean[single][0], 0), fmt(tmean[single][1], 0)))
    for cfg in configs:
        a, p, _ = tmean[cfg.name]
        more = ""
        if failed:
            more = "; on the common tasks %+.3f, %+.3f" % (
                cmean[cfg.name][0] - cmean[single][0], cmean[cfg.name][1] - cmean[single][1])
        print("  %-*s - %s: ROC-AUC %+.3f, AP %+.3f%s" % (
            w, cfg.name, single, a - tmean[single][0], p - tmean[single][1], more))
    if configs:
        print("# false alarms: share of the test normal rows over the model's own threshold "
              "(vae-score -t p99 / -t p99.9; nominal 1% and 0.1%)")
        heads = " ".join("%*s %*s" % (w + 1, n[:w] + "@99", w + 2, n[:w] + "@99.9")
                         for n in (c.name for c in configs))
        print("%-8s %5s | %s" % ("table", "norm", heads))
        for tb in rows:
            rs = [r for r in results if r["table"] == tb]
            nn = np.mean([r["n_test_normal"] for r in rs])
            print("%-8s %5.0f | %s" % (tb, nn, " ".join(
                "%s %s" % (pct(nanmean([r["far99"] for r in rs if r["method"] == c.name]), w + 1),
                           pct(nanmean([r["far999"] for r in rs if r["method"] == c.name]), w + 2))
                for c in configs)))
        print("%-8s %5s | %s" % ("tasks", "", " ".join(
            "%s %s" % (pct(nanmean([r["far99"] for r in results if r["method"] == c.name]), w + 1),
                       pct(nanmean([r["far999"] for r in results if r["method"] == c.name]), w + 2))
            for c in configs)))
        print("# tasks: the mean over every table's classes and seeds (tables with more "
              "classes weigh more)")


def main():
    ap = argparse.ArgumentParser(
        description="One-class anomaly detection on real tables: vae-score beside "
        "IsolationForest, LOF and PCA (ROC-AUC, AP, false alarms at p99 and p99.9).")
    ap.add_argument("--tables", default=",".join(TABLES),
                    help="comma-separated, of %s [all]" % ",".join(TABLES))
    ap.add_argument("--settings", default=",".join(SETTINGS),
                    help="clean, dirty or both [%(default)s]")
    ap.add_argument("--max-classes", type=int, default=0,
                    help="the first N classes of each table as the normal class [all]")
    ap.add_argument("--seeds", default="1", help="comma-separated seeds [%(default)s]")
    ap.add_argument("--dirty-share", type=float, default=0.05,
                    help="share of the dirty setting's training rows that are anomalies [%(default)s]")
    ap.add_argument("--fashion-rows", type=int, default=2000,
                    help="Fashion-MNIST training images of the normal class [%(default)s]")
    ap.add_argument("--vae", action="append", default=[], metavar="'NAME|FIT|SCORE|N'",
                    help="a vae configuration, repeatable [one, 'vae', the defaults "
                    "plus VAE_FIT_OPTS and VAE_SCORE_OPTS]")
    ap.add_argument("--no-vae", action="store_true", help="the peers only")
    ap.add_argument("--jobs", type=int, default=2,
                    help="tasks at a time; above 1 the programs run with -j 1 [%(default)s]")
    ap.add_argument("--json", metavar="FILE", help="write every per-task figure here")
    ap.add_argument("--data", default=os.path.join(HERE, "data"),
                    help="directory of the mlbench tables [bench/data]")
    ap.add_argument("--fashion-data",
                    default=os.environ.get("FM", "/usr/share/datasets/fashion-mnist"),
                    help="directory of Fashion-MNIST's gzipped IDX files [FM or %(default)s]")
    ap.add_argument("--bindir", default=os.environ.get("VAE_BIN", ROOT),
                    help="directory of vae-fit and vae-score [VAE_BIN or %s]" % ROOT)
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary directory (tables and models)")
    args = ap.parse_args()

    tables = [s for s in args.tables.split(",") if s]
    for s in tables:
        if s not in TABLES:
            ap.error("--tables: %s is none of %s" % (s, ",".join(TABLES)))
    settings = [s for s in args.settings.split(",") if s]
    for s in settings:
        if s not in SETTINGS:
            ap.error("--settings: %s is neither clean nor dirty" % s)
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s]
    except ValueError:
        ap.error("--seeds: comma-separated whole numbers")
    if not seeds or args.jobs < 1 or args.fashion_rows < 7 or args.max_classes < 0 \
            or not 0 < args.dirty_share < 0.5:
        ap.error("--seeds, --jobs, --fashion-rows (at least 7) or --max-classes out of range")
    configs = []
    if not args.no_vae:
        try:
            if args.vae:
                configs = [Config(s) for s in args.vae]
            else:
                configs = [Config("vae", shlex.split(os.environ.get("VAE_FIT_OPTS", "")),
                                  shlex.split(os.environ.get("VAE_SCORE_OPTS", "")))]
        except ValueError as e:
            ap.error(str(e))
        names = [c.name for c in configs]
        if len(set(names)) != len(names) or set(names) & set(PEERS):
            ap.error("--vae: names must differ from each other and from %s" % ",".join(PEERS))

    start = time.time()
    if args.jobs > 1:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)        # the peers' BLAS: one thread a job
    vae = None
    if configs:
        vae = Vae(args.bindir, ["-j", "1"] if args.jobs > 1 else [])
        if vae.why_not:
            print("# vae: skipped: %s" % vae.why_not, flush=True)
            configs = []
    loaded = {}
    for name in tables:
        if name in SKLEARN:
            loaded[name] = Table.from_sklearn(name)
        elif name == "fashion":
            try:
                loaded[name] = Fashion(args.fashion_data)
            except (OSError, ValueError) as e:
                print("# fashion: skipped: %s" % e, flush=True)
        else:
            loaded[name] = Table.from_csv(os.path.join(args.data, name + ".csv"))
    tables = [t for t in tables if t in loaded]

    tmp = tempfile.mkdtemp(prefix="anomaly.")
    results = []
    try:
        jobs, left = [], {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for name in tables:
                t = loaded[name]
                classes = t.classes[:args.max_classes] if args.max_classes else t.classes
                for setting in settings:
                    left[(name, setting)] = len(classes) * len(seeds)
                    for c in classes:
                        for seed in seeds:
                            jobs.append(pool.submit(task, t, c, seed, setting, args, configs,
                                                    vae, tmp))
            for f in concurrent.futures.as_completed(jobs):
                recs = f.result()
                results.extend(recs)
                key = (recs[0]["table"], recs[0]["setting"])
                left[key] -= 1
                if not left[key]:
                    rs = [r for r in results if (r["table"], r["setting"]) == key]
                    sys.stderr.write("anomaly.py: %s %s: %d tasks; %s (%.0f s)\n" % (
                        key[0], key[1], len(set((r["class"], r["seed"]) for r in rs)),
                        ", ".join("%s %s" % (m, fmt(nanmean([r["auc"] for r in rs
                                                             if r["method"] == m]), 0))
                                  for m in [c.name for c in configs] + PEERS),
                        time.time() - start))
                    sys.stderr.flush()
    finally:
        if args.keep:
            print("# kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    wall = time.time() - start

    names = [c.name for c in configs] + PEERS
    print("# one-class anomaly detection, anomalies = the other classes; seeds %s; "
          "configurations: %s" % (",".join(map(str, seeds)),
                       "; ".join(c.describe() for c in configs) if configs else "none"))
    for setting in settings:
        report(setting, names, configs, tables, [r for r in results if r["setting"] == setting],
               args.dirty_share)

    print()
    for cfg in configs:
        if cfg.errors:
            count = {}
            for r in results:
                if r["method"] == cfg.name and r["auc"] != r["auc"]:
                    key = (r["table"], r["setting"])
                    count[key] = count.get(key, 0) + 1
            print("# %s: failed on %d of %d tasks (%s); first: %s" % (
                cfg.name, len(cfg.errors), sum(1 for r in results if r["method"] == cfg.name),
                ", ".join("%s %s %d" % (k[0], k[1], v) for k, v in count.items()),
                cfg.errors[0]))
        if cfg.far_why and cfg.n == 1:
            print("# %s: false alarms n/a: %s" % (cfg.name, cfg.far_why))
        if cfg.nonfinite:
            print("# %s: %d non-finite scores, ranked most anomalous" % (cfg.name, cfg.nonfinite))
    peer_s = sum(r["seconds"] for r in results if r["method"] == "pca")
    print("# seconds: %s; peers %.0f; wall %.0f with %d job%s at a time" % (
        ", ".join("%s %.0f" % (c.name, c.seconds) for c in configs) or "no vae",
        peer_s, wall, args.jobs, "s" if args.jobs > 1 else ""))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"command": sys.argv, "seeds": seeds,
                       "configs": [{"name": c.name, "fit": c.fit, "score": c.score, "n": c.n}
                                   for c in configs],
                       "results": [{k: (None if isinstance(v, float) and v != v else v)
                                    for k, v in r.items()} for r in results]},
                      f, indent=1)
        print("# per-task figures: %s" % args.json)
    env = " ".join("%s=%s" % (k, shlex.quote(os.environ[k]))
                   for k in ("VAE_BIN", "VAE_FIT_OPTS", "VAE_SCORE_OPTS", "FM") if k in os.environ)
    print("command: %s%s %s" % (env + " " if env else "", sys.executable,
                                " ".join(shlex.quote(a) for a in sys.argv)))


if __name__ == "__main__":
    main()
