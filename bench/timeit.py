#!/usr/bin/python3
"""timeit.py: wall time (and peak RSS) of a command, run without a shell.

    timeit.py [-n RUNS] [-s min|median] [-i FILE] [-o FILE] -- CMD [ARG...]

Runs CMD RUNS times (stdin from -i, default /dev/null; stdout to -o, default
/dev/null) and prints "SECONDS MAXRSS_KIB": the minimum or median wall time
(time.perf_counter around subprocess.run, so fork and exec are in it, as
they are for /bin/true) and the largest peak RSS of any run
(getrusage RUSAGE_CHILDREN).  A failing run is an error (exit 1)."""

import argparse
import resource
import statistics
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1)
    ap.add_argument("-s", choices=["min", "median"], default="min")
    ap.add_argument("-i", default="/dev/null")
    ap.add_argument("-o", default="/dev/null")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    times = []
    for _ in range(a.n):
        with open(a.i, "rb") as fin, open(a.o, "wb") as fout:
            t = time.perf_counter()
            rc = subprocess.run(cmd, stdin=fin, stdout=fout).returncode
            times.append(time.perf_counter() - t)
        if rc != 0:
            sys.exit("timeit: %s: exit %d" % (" ".join(cmd), rc))
    s = min(times) if a.s == "min" else statistics.median(times)
    print("%.6f %d" % (s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))


main()
