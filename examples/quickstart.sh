#!/bin/sh
# quickstart.sh: fit on a week of server metrics, reconstruct a new day, and
# list its oddest five-minute intervals.  Runs from a fresh build in seconds.
set -eu
cd "$(dirname "$0")"
PATH=..:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== fit: 2016 rows of 10 metrics (time and host are not model columns)"
vae-fit -q -k time,host -z 3 -e 100 -o "$tmp/metrics.vae" metrics-week.csv
vae-info "$tmp/metrics.vae" | grep -E '^(architecture|training rows|final loss):'

echo "== encode | decode: the first rows of the new day, in its own units"
vae-enc -m "$tmp/metrics.vae" -k time metrics-day.csv |
	vae-dec -m "$tmp/metrics.vae" -p 4 | head -4

echo "== score: the five oddest intervals of the day (reconstruction error, nats)"
vae-score -m "$tmp/metrics.vae" --metric recon -k time metrics-day.csv |
	tail -n +2 | sort -t, -k2 -g -r | head -5
