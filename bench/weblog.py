#!/usr/bin/python3
"""weblog.py: the request-level web log of bench/weblog.sh, and its scoring.

    weblog.py gen DIR [--seed N --train N --test N]
        writes DIR/train.csv (20,000 requests, 0.5% of them planted
        anomalies, unlabelled: the log a cron job would train on),
        DIR/test.csv (5,000 requests, 1.5% planted anomalies, and a last
        column label, 1 for a planted one) and DIR/test-kind.txt (each
        test row's anomaly kind, "normal" for the others)
    weblog.py eval DIR
        prints the ROC-AUC of every DIR/score-METRIC.csv (vae-score's output
        with -k label: label,score) and of the peers fitted on train.csv,
        IsolationForest and a Gaussian mixture (a plain density model), over
        all anomalies and per kind

One row is one request: method, status, path_kind, bytes, time_ms, bot,
hour.  Normal rows follow dependencies a real site has: bots come more at
night, fetch pages and static files and only read (GET, HEAD); static
files are fetched by GET (some HEAD) and often answered 304; login is
POSTed mostly and answered by a redirect; the API takes writes (POST, PUT,
DELETE) and answers with small JSON bodies; admin pages are rare and
human; 304, 204 and HEAD answers have no body and redirects tiny ones;
static sizes are heavy-tailed up to megabytes; time grows with the body
(transfer) and with the work (login hashes a password), errors are
slower and some 500s are 30-second gateway timeouts.  About 2% of cells
are empty at random, except the cells that make a planted row anomalous.

Planted anomalies, impossible combinations rather than extreme values
(though some values are also rare on their own):

  post_static   a POST to a static file
  login_get_mb  a login page by GET returning megabytes
  big_304       a 304 (not modified) with a large body
  head_bytes    a HEAD answered with a body
  admin_bot     an admin page fetched by a bot, tens of megabytes (a dump)
  slow_static   a static file, normal size, taking 20-60 s
  error_mb      a 404 with a body of megabytes
  bot_write     a bot sending PUT or DELETE to the API

Needs numpy; eval also scikit-learn (Debian python3-sklearn, for
/usr/bin/python3, which the script re-runs itself with when the python3
it was started with lacks them).
"""

import os
import sys

import bench_env  # first: it fixes sys.path and picks the interpreter
bench_env.need("numpy", *(["sklearn"] if len(sys.argv) > 1 and sys.argv[1] == "eval" else []))
import numpy as np  # noqa: E402

import argparse
import csv
import glob
import time

COLUMNS = ["method", "status", "path_kind", "bytes", "time_ms", "bot", "hour"]
CATEGORIES = ["method", "status", "path_kind", "bot"]
KINDS = ["post_static", "login_get_mb", "big_304", "head_bytes",
         "admin_bot", "slow_static", "error_mb", "bot_write"]


def pick(rng, table):
    """A key of table (key -> weight) at random by weight."""
    keys = list(table)
    w = np.array([table[k] for k in keys], dtype=float)
    return keys[rng.choice(len(keys), p=w / w.sum())]


# the hour of a human request (a working day, evenings) and of a bot's
HUMAN_HOUR = np.array([2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 13,
                       13, 13, 13, 12, 12, 11, 11, 12, 12, 10, 7, 4], dtype=float)
BOT_HOUR = np.array([9, 10, 10, 10, 10, 9, 7, 5, 4, 4, 4, 4,
                     4, 4, 4, 4, 4, 4, 4, 5, 5, 6, 7, 8], dtype=float)


def lognormal(rng, median, sigma):
    return float(median * np.exp(sigma * rng.standard_normal()))


def body(rng, path, method, status):
    """The response size in bytes."""
    if method == "HEAD" or status in (204, 304):
        return 0
    if status in (301, 302):
        return int(rng.integers(150, 450))
    if status == 404:
        return int(lognormal(rng, 3000, 0.2))
    if status in (400, 401, 403):
        return int(lognormal(rng, 120, 0.3) if path == "api" else lognormal(rng, 2500, 0.2))
    if status == 500:
        return int(lognormal(rng, 1500, 0.3))
    if path == "static":
        return int(min(lognormal(rng, 15000, 1.6), 20e6))
    if path == "page":
        return int(lognormal(rng, 45000, 0.45))
    if path == "api":
        return int(lognormal(rng, 2500, 1.0) if method == "GET" else lognormal(rng, 400, 0.7))
    if path == "login":
        return int(lognormal(rng, 7000 if method == "GET" else 7500, 0.1))
    return int(lognormal(rng, 35000, 0.6))          # admin


def duration(rng, path, method, status, size):
    """The request time in ms: the work, then the transfer at ~2 MB/s."""
    if path == "static":
        t = lognormal(rng, 3, 0.6)
    elif path == "page":
        t = lognormal(rng, 90, 0.5)
    elif path == "api":
        t = lognormal(rng, 35, 0.7) if method in ("GET", "HEAD") else lognormal(rng, 110, 0.6)
    elif path == "login":
        t = lognormal(rng, 250, 0.3) if method == "POST" else lognormal(rng, 15, 0.4)
    else:
        t = lognormal(rng, 180, 0.6)
    if status == 304:
        t *= 0.4
    elif status == 404:
        t = 0.3 * t + 2
    elif status == 500:
        t = 30000 + rng.uniform(0, 50) if rng.random() < 0.05 else 4 * t * np.exp(0.5 * rng.standard_normal())
    t += size / 2000 * np.exp(0.3 * rng.standard_normal())
    return max(round(t, 1), 0.1)


def normal_row(rng):
    bot = rng.random() < 0.2
    hour = int(rng.choice(24, p=(BOT_HOUR if bot else HUMAN_HOUR) / (BOT_HOUR if bot else HUMAN_HOUR).sum()))
    if bot:
        path = pick(rng, {"page": 62, "static": 28, "api": 10})
    else:
        path = pick(rng, {"static": 50, "page": 28, "api": 17, "login": 4, "admin": 1})
    if path == "static":
        method = pick(rng, {"GET": 80, "HEAD": 20} if bot else {"GET": 94, "HEAD": 6})
    elif path == "page":
        method = pick(rng, {"GET": 90, "HEAD": 10} if bot else {"GET": 96, "HEAD": 2, "POST": 2})
    elif path == "api":
        method = "GET" if bot else pick(rng, {"GET": 62, "POST": 28, "PUT": 7, "DELETE": 3})
    elif path == "login":
        method = pick(rng, {"POST": 80, "GET": 20})
    else:
        method = pick(rng, {"GET": 75, "POST": 25})

    if method == "HEAD":
        status = pick(rng, {200: 80, 304: 15, 404: 5})
    elif path == "static":
        status = pick(rng, {200: 80, 304: 5, 404: 15} if bot else {200: 68, 304: 27, 404: 5})
    elif path == "page" and method == "GET":
        status = pick(rng, {200: 84, 301: 4, 404: 10, 500: 2} if bot else {200: 90, 301: 4, 404: 4, 500: 2})
    elif path == "page":
        status = pick(rng, {200: 60, 302: 35, 500: 5})
    elif path == "api":
        status = pick(rng, {
            "GET": {200: 90, 304: 3, 400: 2, 401: 2, 404: 1, 500: 2},
            "POST": {201: 60, 200: 25, 400: 8, 401: 3, 500: 4},
            "PUT": {200: 85, 400: 8, 500: 7},
            "DELETE": {204: 90, 404: 5, 500: 5}}[method])
    elif path == "login":
        status = pick(rng, {200: 97, 500: 3} if method == "GET" else {302: 65, 200: 25, 401: 8, 500: 2})
    else:
        status = pick(rng, {200: 80, 302: 15, 403: 5} if method == "GET" else {302: 70, 200: 20, 403: 5, 500: 5})
    size = body(rng, path, method, status)
    return {"method": method, "status": status, "path_kind": path, "bytes": size,
            "time_ms": duration(rng, path, method, status, size),
            "bot": "yes" if bot else "no", "hour": hour}


def anomaly(rng, kind):
    """A planted row of that kind, and the columns that make it one."""
    while True:     # a normal row of the right sort to start from
        r = normal_row(rng)
        if kind in ("post_static", "big_304", "slow_static") and r["path_kind"] == "static" \
                and r["method"] == "GET" and r["status"] == 200:
            break
        if kind == "head_bytes" and r["method"] == "GET" and r["status"] == 200 \
                and r["path_kind"] in ("static", "page"):
            break
        if kind in ("login_get_mb", "admin_bot", "error_mb", "bot_write"):
            break
    if kind == "post_static":
        r["method"] = "POST"
        keys = ["method", "path_kind"]
    elif kind == "login_get_mb":
        r.update(path_kind="login", method="GET", status=200, bot="no",
                 bytes=int(rng.uniform(2e6, 10e6)))
        keys = ["path_kind", "method", "bytes"]
    elif kind == "big_304":
        r.update(status=304, bytes=int(rng.uniform(50e3, 800e3)))
        keys = ["status", "bytes"]
    elif kind == "head_bytes":
        r["method"] = "HEAD"        # the GET's body stays
        keys = ["method", "bytes"]
    elif kind == "admin_bot":
        r.update(path_kind="admin", method="GET", status=200, bot="yes",
                 bytes=int(rng.uniform(5e6, 50e6)))
        keys = ["path_kind", "bot", "bytes"]
    elif kind == "slow_static":
        r["time_ms"] = round(rng.uniform(20000, 60000), 1)
        return r, ["path_kind", "time_ms"]
    elif kind == "error_mb":
        r.update(status=404, bytes=int(rng.uniform(1e6, 8e6)))
        keys = ["status", "bytes"]
    else:                           # bot_write
        r.update(path_kind="api", bot="yes", method=pick(rng, {"PUT": 1, "DELETE": 1}))
        r["status"] = 204 if r["method"] == "DELETE" else 200
        r["bytes"] = body(rng, "api", r["method"], r["status"])
        keys = ["method", "bot"]
    r["time_ms"] = duration(rng, r["path_kind"], r["method"], r["status"], r["bytes"])
    return r, keys


def write_log(path, rng, n, share, label, kinds_path=None, blank=0.02):
    n_odd = int(round(n * share))
    where = set(rng.choice(n, size=n_odd, replace=False).tolist())
    kinds, planted = [], 0
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS + (["label"] if label else []))
        for i in range(n):
            if i in where:
                # the test log has each kind in turn, the training log any
                kind = KINDS[planted % len(KINDS)] if label else KINDS[int(rng.integers(len(KINDS)))]
                planted += 1
                r, keys = anomaly(rng, kind)
            else:
                kind, (r, keys) = "normal", (normal_row(rng), [])
            kinds.append(kind)
            cells = ["" if c not in keys and rng.random() < blank else str(r[c]) for c in COLUMNS]
            w.writerow(cells + (["1" if kind != "normal" else "0"] if label else []))
    if kinds_path:
        with open(kinds_path, "w") as f:
            f.write("\n".join(kinds) + "\n")
    return n_odd


def gen(args):
    rng = np.random.default_rng(args.seed)
    a = write_log(os.path.join(args.dir, "train.csv"), rng, args.train, 0.005, False)
    b = write_log(os.path.join(args.dir, "test.csv"), rng, args.test, 0.015, True,
                  os.path.join(args.dir, "test-kind.txt"))
    print("# weblog: train %d requests (%d planted, unlabelled), test %d (%d planted), seed %d"
          % (args.train, a, args.test, b, args.seed))


# ---- eval ----

def rank_auc(scores, positive):
    """ROC-AUC of scores (higher = more positive) by the Mann-Whitney U
    statistic, tied scores given their average rank."""
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(s.size)
    i = 0
    while i < s.size:
        j = i
        while j + 1 < s.size and s[j + 1] == s[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty(s.size)
    r[order] = ranks
    return float((r[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def read_log(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


def features(rows, levels=None, medians=None):
    """One-hot of the categories (a missing cell: all zeros), and
    log(bytes + 1), log(time_ms), hour, a missing number as the training
    median."""
    if levels is None:
        levels = {c: sorted({r[c] for r in rows if r[c] != ""}) for c in CATEGORIES}
    nums = np.array([[np.log1p(float(r["bytes"])) if r["bytes"] != "" else np.nan,
                      np.log(float(r["time_ms"])) if r["time_ms"] != "" else np.nan,
                      float(r["hour"]) if r["hour"] != "" else np.nan] for r in rows])
    if medians is None:
        medians = np.nanmedian(nums, axis=0)
    nums = np.where(np.isnan(nums), medians, nums)
    onehot = [np.array([[1.0 if r[c] == l else 0.0 for l in levels[c]] for r in rows])
              for c in CATEGORIES]
    return np.hstack(onehot + [nums]), levels, medians


def evaluate(args):
    from sklearn.ensemble import IsolationForest
    from sklearn.mixture import GaussianMixture
    train = read_log(os.path.join(args.dir, "train.csv"))
    test = read_log(os.path.join(args.dir, "test.csv"))
    label = np.array([r["label"] == "1" for r in test])
    with open(os.path.join(args.dir, "test-kind.txt")) as f:
        kind = np.array(f.read().split())
    assert kind.size == label.size

    scores = {}
    order = {"recon": 0, "elbo": 1, "nll": 2}
    for path in sorted(glob.glob(os.path.join(args.dir, "score-*.csv")),
                       key=lambda p: (order.get(os.path.basename(p)[6:-4], 3), p)):
        name = "vae " + os.path.basename(path)[6:-4]
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        if rows and rows[0][0] == "label":
            rows = rows[1:]
        if len(rows) != label.size or any((r[0] == "1") != l for r, l in zip(rows, label)):
            print("# %s: %s does not hold the test rows' labels in order; left out" % (name, path))
            continue
        scores[name] = np.array([float(r[-1]) for r in rows])

    t = time.time()
    xtr, levels, medians = features(train)
    xte, _, _ = features(test, levels, medians)
    forest = IsolationForest(n_estimators=200, random_state=1).fit(xtr)
    scores["isolation forest"] = -forest.score_samples(xte)
    t_if = time.time() - t
    t = time.time()
    gmm = min((GaussianMixture(k, covariance_type="full", reg_covar=1e-3, random_state=1).fit(xtr)
               for k in (5, 10, 20)), key=lambda g: g.bic(xtr))
    scores["gaussian mixture"] = -gmm.score_samples(xte)
    t_gmm = time.time() - t
    rng = np.random.default_rng(1)
    scores["random"] = rng.random(label.size)

    names = list(scores)
    width = max(len(n) for n in names)
    print("# ROC-AUC, planted anomalies vs normal requests of the test log (%d of %d)"
          % (int(label.sum()), label.size))
    print("%-*s %6s | %s" % (width, "scorer", "all", " ".join("%6s" % k[:6] for k in KINDS)))
    for n in names:
        per = [rank_auc(scores[n][(kind == k) | ~label], kind[(kind == k) | ~label] == k)
               for k in KINDS]
        print("%-*s %6.3f | %s" % (width, n, rank_auc(scores[n], label),
                                   " ".join("%6.3f" % a for a in per)))
    print("# per kind: that kind's rows against the normal ones; columns: " + ", ".join(KINDS))
    print("# peers on one-hot categories, log bytes, log time, hour (a missing number: the median):")
    print("#   isolation forest: 200 trees, %.1f s; gaussian mixture: full covariances, "
          "%d components (BIC of 5, 10, 20), -log density, %.1f s" % (t_if, gmm.n_components, t_gmm))
    best = [n for n in names if n.startswith("vae ")]
    if best:
        a = rank_auc(scores["vae recon"] if "vae recon" in scores else scores[best[0]], label)
        print("vae %s: ROC-AUC %.3f (target: at least 0.95); isolation forest %.3f, "
              "gaussian mixture %.3f"
              % ("recon" if "vae recon" in scores else best[0][4:], a,
                 rank_auc(scores["isolation forest"], label),
                 rank_auc(scores["gaussian mixture"], label)))


def main():
    ap = argparse.ArgumentParser(description="The web log of bench/weblog.sh: generate it, or "
                                 "score the anomaly scores written beside it.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen", help="write train.csv, test.csv and test-kind.txt into DIR")
    g.add_argument("dir")
    g.add_argument("--seed", type=int, default=1, help="[%(default)s]")
    g.add_argument("--train", type=int, default=20000, help="training requests [%(default)s]")
    g.add_argument("--test", type=int, default=5000, help="test requests [%(default)s]")
    e = sub.add_parser("eval", help="ROC-AUC of DIR/score-*.csv and of IsolationForest")
    e.add_argument("dir")
    args = ap.parse_args()
    gen(args) if args.cmd == "gen" else evaluate(args)


if __name__ == "__main__":
    main()
