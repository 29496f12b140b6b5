#!/bin/sh
# levels.sh: two stochastic levels against one on Fashion-MNIST, at about
# the same number of parameters and the same training budget: one level
# 784-256-[20], two levels 784-249-[20]-124-[10] (-z 20,10; 124 the
# hidden size between the levels, half of -H).  Bernoulli on pixels/255,
# batch 100, Adam 1e-3, EPOCHS epochs, each seed of SEEDS.  Prints per
# seed and model the parameters, the mean negative ELBO per test image
# (one draw of the latents a row) and the IWAE estimate of -log p(x) (K =
# 100) over the first IWAE_ROWS test images, and the two-level model's
# gain in each (target: at least 1 nat of IWAE).
set -eu
cd "$(dirname "$0")/.."
PATH=${VAE_BIN:-$PWD}:$PATH
FM=${FM:-/usr/share/datasets/fashion-mnist}
EPOCHS=${EPOCHS:-10}
SEEDS=${SEEDS:-1 2}
IWAE_ROWS=${IWAE_ROWS:-2000}
FIT_OPTS=${FIT_OPTS:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mean() { awk '{ s += $1; n++ } END { printf "%.2f", s / n }'; }
params() { vae-info "$1" | sed -n 's/^parameters: //p'; }
# measure NAME SEED FIT-OPTIONS...: fit, then print the row of the table
measure() {
	name=$1 seed=$2
	shift 2
	start=$(date +%s)
	# shellcheck disable=SC2086
	vae-fit -q -l bernoulli -b 100 --lr 0.001 -e "$EPOCHS" -s "$seed" $FIT_OPTS "$@" \
		-o "$tmp/m.vae" "$FM/train-images-idx3-ubyte.gz"
	fit=$(($(date +%s) - start))
	elbo=$(vae-score -m "$tmp/m.vae" --metric elbo -K 1 -s 1 "$FM/t10k-images-idx3-ubyte.gz" | mean)
	iwae=$(vae-score -m "$tmp/m.vae" --metric nll -K 100 -s 1 "$FM/t10k-images-idx3-ubyte.gz" |
		head -n "$IWAE_ROWS" | mean)
	printf '%-4s %-22s %9s %9s %9s %6s\n' "$seed" "$name" "$(params "$tmp/m.vae")" "$elbo" \
		"$iwae" "$fit"
	echo "$seed ${name%% *} $elbo $iwae" >> "$tmp/figures"   # one or two
}

printf '%-4s %-22s %9s %9s %9s %6s\n' seed model parameters -ELBO IWAE "fit s"
for seed in $SEEDS; do
	measure "one level -H 256 -z 20" "$seed" -H 256 -z 20
	measure "two -H 249 -z 20,10" "$seed" -H 249 -z 20,10
done
awk '{ e[$2 == "one" ? 1 : 2] += $3; w[$2 == "one" ? 1 : 2] += $4; n[$2 == "one" ? 1 : 2]++ }
	END { printf "gain of two levels, mean over the seeds: -ELBO %.2f nats, IWAE %.2f nats" \
		" (target: IWAE at least 1)\n", e[1] / n[1] - e[2] / n[2], w[1] / n[1] - w[2] / n[2] }' \
	"$tmp/figures"
echo "(Fashion-MNIST test set, nats per image, lower is better; -ELBO over the 10,000"
echo " test images with one draw each, IWAE K=100 over the first $IWAE_ROWS; $EPOCHS epochs)"
echo "command: EPOCHS=$EPOCHS SEEDS=\"$SEEDS\" IWAE_ROWS=$IWAE_ROWS FIT_OPTS=\"$FIT_OPTS\" sh bench/levels.sh"
