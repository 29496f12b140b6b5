#!/usr/bin/env python3
"""Score a CSV file with a header line through vae-score on Spark.

    spark-submit examples/spark-score.py [--rows N] [--vae-score PATH] \\
        MODEL INPUT.csv OUTPUT_DIR [VAE-SCORE OPTION...]
    python3 examples/spark-score.py ...      (pyspark installed; local[2])

The model is shipped to every executor with SparkContext.addFile; vae-score
must be installed on every node, on PATH or where --vae-score says.  The
options after OUTPUT_DIR go to vae-score, such as -k time or --metric recon (not
-t or -c, whose exit status and count are each part's own).  The part
files of OUTPUT_DIR, joined in order (cat OUTPUT_DIR/part-*), are the
serial output of vae-score -m MODEL [OPTION...] INPUT.csv, byte for byte.

Why the rows are cut as they are: vae-score computes rows in blocks of 64,
and the OpenBLAS kernels of some CPUs round a row by its place in its block
(man/vae.7, DETERMINISM).  So every part must start at a multiple of 64
data rows for each row to keep its place, and the bytes to stay the
serial run's.  Spark's own partitions of a text file are cut by bytes; the
rows are numbered instead (zipWithIndex) and moved to part number // N,
sorted by number within it.

Why every part gets the header line: with it, vae-score finds the model's
columns by name, as the serial run does, and -k can name columns; the
parts' outputs then each begin with the header line, which all but the
first part drop.  (Without it, vae-score --no-header takes the model's
columns by position and needs -f with numbers when the input has other
columns, such as text ones.)

Why not RDD.pipe: its command is fixed on the driver, where SparkFiles.get
names the driver's copy of the model, not the executor's.  Each part runs
vae-score itself, with the path its own executor gives.
"""
import argparse
import os
import subprocess

from pyspark import SparkConf, SparkContext, SparkFiles


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=64 * 1024,
                    help="data rows per part, a multiple of 64 [65536]")
    ap.add_argument("--vae-score", default="vae-score",
                    help="the program on the executors [vae-score on PATH]")
    ap.add_argument("model")
    ap.add_argument("input")
    ap.add_argument("output_dir")
    ap.add_argument("option", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    if a.rows < 64 or a.rows % 64:
        ap.error("--rows: expected a multiple of 64, got %d" % a.rows)

    conf = SparkConf().setAppName("vae-score")
    conf.setIfMissing("spark.master", "local[2]")
    sc = SparkContext(conf=conf)
    sc.addFile(a.model)
    model = os.path.basename(a.model)
    rows, program, options = a.rows, a.vae_score, a.option

    lines = sc.textFile(a.input)
    header = lines.first()
    data = (lines.zipWithIndex()
            .filter(lambda li: li[1] > 0)
            .map(lambda li: (li[1] - 1, li[0])))     # (row number, line)
    parts = max(1, -(-data.count() // rows))
    data = data.repartitionAndSortWithinPartitions(
        parts, partitionFunc=lambda i: i // rows).values()

    def score(part, it):
        text = header + "\n" + "".join(line + "\n" for line in it)
        cmd = [program, "-m", SparkFiles.get(model), "--header"] + options
        out = subprocess.run(cmd, input=text.encode(), check=True,
                             stdout=subprocess.PIPE).stdout
        out = out.decode().splitlines()
        return out if part == 0 else out[1:]  # one header line, the first

    data.mapPartitionsWithIndex(score).saveAsTextFile(a.output_dir)
    sc.stop()


if __name__ == "__main__":
    main()
