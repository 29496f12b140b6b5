#!/bin/sh
# compute.sh: quality of the bf16 products (--compute bf16) beside f32 on
# Fashion-MNIST, in fashion.sh's set-up (784-400-20, Bernoulli, batch 128,
# Adam 1e-3, 10 epochs), over seeds 1-5: each model fitted and scored
# with the same --compute, and the bf16 models scored in f32 as well.
# Per seed, the mean negative ELBO per test image (one z sample, and
# z = mu) over the 10,000 test images and the IWAE estimate of -log p(x)
# (K = 100) over the first 1,000; then each type's range over the seeds,
# and whether bf16's figures are within f32's (no worse than its worst).
#   EPOCHS (10), SEEDS ("1 2 3 4 5"), COMPUTE ("f32 bf16"), FM, BIN.
# Without bf16 products (no oneDNN in the build, or a CPU without
# AVX512_BF16), vae-fit says so and its bf16 rows are f32's.
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD}
PATH=$BIN:$PATH
FM=${FM:-/usr/share/datasets/fashion-mnist}
EPOCHS=${EPOCHS:-10}
SEEDS=${SEEDS:-1 2 3 4 5}
COMPUTE=${COMPUTE:-f32 bf16}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
test="$FM/t10k-images-idx3-ubyte.gz"
# the first 1,000 test images, for the IWAE figure (fashion.sh's)
zcat "$test" | head -c $((16 + 1000 * 784)) > "$tmp/t1k.idx"
printf '\000\000\003\350' | dd of="$tmp/t1k.idx" bs=1 seek=4 conv=notrunc 2> /dev/null

mean() { awk '{ s += $1; n++ } END { printf "%.2f", s / n }'; }
printf '%-9s %4s %8s %9s %9s %9s\n' type seed "fit s" "-ELBO" "z=mu" "IWAE100"
# score TYPE LABEL SEED FIT_S: the fitted model's three figures under --compute TYPE
score() {
	one=$(vae-score --compute "$1" -m "$tmp/m.vae" --metric elbo -K 1 -s 1 "$test" | mean)
	zmu=$(vae-score --compute "$1" -m "$tmp/m.vae" --metric elbo "$test" | mean)
	iwae=$(vae-score --compute "$1" -m "$tmp/m.vae" --metric nll -K 100 -s 1 "$tmp/t1k.idx" | mean)
	printf '%-9s %4s %8.1f %9s %9s %9s\n' "$2" "$3" "$4" "$one" "$zmu" "$iwae" | tee -a "$tmp/rows"
}
for c in $COMPUTE; do
	for s in $SEEDS; do
		t0=$(date +%s.%N)
		vae-fit -q --compute "$c" -l bernoulli -H 400 -z 20 -b 128 --lr 0.001 -e "$EPOCHS" \
			-s "$s" -o "$tmp/m.vae" "$FM/train-images-idx3-ubyte.gz"
		t1=$(date +%s.%N)
		fit_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
		score "$c" "$c" "$s" "$fit_s"
		# a bf16 model scored in f32: its training apart from bf16 scoring
		[ "$c" = f32 ] || score f32 "$c-fit" "$s" "$fit_s"
	done
done
echo
# each type's range over the seeds, in the order of the rows; "in the f32
# range" when no worse than f32's worst seed
awk '
{ t = $1; if (!(t in seen)) { seen[t] = 1; order[++nt] = t }
  for (i = 4; i <= 6; i++) { k = t SUBSEP i
	if (!(k in lo) || $i < lo[k]) lo[k] = $i
	if (!(k in hi) || $i > hi[k]) hi[k] = $i } }
END {
	split("-ELBO z=mu IWAE100", name, " ")
	printf "%-9s", "range"
	for (j = 1; j <= nt; j++) printf " %-15s", order[j]
	printf "\n"
	for (i = 4; i <= 6; i++) {
		printf "%-9s", name[i - 3]
		for (j = 1; j <= nt; j++) {
			t = order[j]
			r = sprintf("%.2f-%.2f", lo[t SUBSEP i], hi[t SUBSEP i])
			if (t != "f32" && ("f32" SUBSEP i) in hi)
				r = r ((hi[t SUBSEP i] <= hi["f32" SUBSEP i]) ? " ok" : " OVER")
			printf " %-15s", r
		}
		printf "\n"
	}
}' "$tmp/rows"
echo "($EPOCHS epochs; seeds $SEEDS; lower is better; each type fitted and scored with its"
echo " --compute, TYPE-fit the TYPE model scored in f32; ok: no worse than f32's worst seed;"
echo " the command: EPOCHS=$EPOCHS SEEDS=\"$SEEDS\" COMPUTE=\"$COMPUTE\" sh bench/compute.sh)"
