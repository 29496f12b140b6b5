#!/bin/sh
# memory.sh: training beyond memory.  Fashion-MNIST's 60,000 training
# images replicated 10 times (600,000 rows, 1.9 GB as float32) fitted, in
# turn for each seed, in memory (mem), with --memory 256M from the IDX file
# read in place (place), and from its gzipped copy through a float32 spool
# (spool): peak RSS against the budget, the median epoch time against the
# in-memory fit's, and the test images' mean -ELBO (t10k).
#   sh bench/memory.sh [EPOCHS [SEEDS [MEMORY]]]   (default 3 "1 2" 256M)
set -eu
cd "$(dirname "$0")/.."
PATH=$PWD:$PATH
epochs=${1:-3}
seeds=${2:-1 2}
memory=${3:-256M}
dir=/usr/share/datasets/fashion-mnist
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vae-memory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# An IDX file of the images 10 times: the header with 600,000 rows, then
# the pixels of the 60,000 ten times over.
{
	printf '\000\000\010\003\000\011\047\300\000\000\000\034\000\000\000\034'
	for i in 1 2 3 4 5 6 7 8 9 10; do
		gzip -dc "$dir/train-images-idx3-ubyte.gz" | tail -c +17
	done
} > "$tmp/f10.idx"
gzip -1 < "$tmp/f10.idx" > "$tmp/f10.idx.gz"

# fit NAME SEED [OPTIONS] INPUT: the model, its log, its peak RSS in KiB.
fit() {
	name=$1 seed=$2
	shift 2
	/usr/bin/time -f %M -o "$tmp/$name.rss" vae-fit -q -l bernoulli -H 256 -z 16 -b 128 \
		-e "$epochs" -s "$seed" --log "$tmp/$name.log" -o "$tmp/$name.vae" "$@"
}

# The median of an epoch's seconds in a --log file.
median_epoch() {
	tail -n +2 "$1" | cut -d, -f2 | sort -g | awk '{ v[NR] = $1 } END {
		print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

test_elbo() {
	vae-score -m "$1" --metric elbo "$dir/t10k-images-idx3-ubyte.gz" |
		awk '{ s += $1 } END { printf "%.2f", s / NR }'
}

budget=$(awk -v m="$memory" 'BEGIN {
	u = substr(m, length(m)); v = m + 0
	f = u == "K" ? 1 : u == "M" ? 1024 : u == "G" ? 1048576 : 1 / 1024
	print v * f }')
printf '%-6s %-8s %10s %8s %10s %8s %10s\n' seed mode "RSS MiB" "/budget" "epoch s" ratio "test -ELBO"
for seed in $seeds; do
	fit mem$seed "$seed" "$tmp/f10.idx"
	fit place$seed "$seed" --memory "$memory" "$tmp/f10.idx"
	fit spool$seed "$seed" --memory "$memory" "$tmp/f10.idx.gz"
	base=$(median_epoch "$tmp/mem$seed.log")
	for mode in mem place spool; do
		rss=$(cat "$tmp/$mode$seed.rss")
		sec=$(median_epoch "$tmp/$mode$seed.log")
		awk -v s="$seed" -v m=$mode -v rss="$rss" -v b="$budget" -v sec="$sec" -v base="$base" \
		    -v elbo="$(test_elbo "$tmp/$mode$seed.vae")" 'BEGIN {
			printf "%-6s %-8s %10.0f %8.2f %10.2f %8.2f %10s\n", s, m, rss / 1024, rss / b,
			       sec, sec / base, elbo }'
	done
done
echo "place, spool: --memory $memory, the IDX file read in place, or gzipped through a spool;"
echo "/budget: peak RSS over $memory; ratio: epoch time over the in-memory fit's"
echo "sh bench/memory.sh $epochs \"$seeds\" $memory"
