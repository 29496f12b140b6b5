#!/bin/sh
# fashion.sh: quality on Fashion-MNIST as it ships, in the set-up of the
# well-known PyTorch VAE example: 784-400-20, Bernoulli on pixels/255,
# batch 128, Adam 1e-3, 10 epochs.  Prints the mean negative ELBO per test
# image (one z sample, and z = mu) over the 10,000 test images and the IWAE
# estimate of -log p(x) (K = 100) over the first 1,000, beside the figures
# that example reaches on this data.
set -eu
cd "$(dirname "$0")/.."
PATH=$PWD:$PATH
FM=${FM:-/usr/share/datasets/fashion-mnist}
EPOCHS=${EPOCHS:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s)
vae-fit -q -l bernoulli -H 400 -z 20 -b 128 --lr 0.001 -e "$EPOCHS" -s 1 \
	-o "$tmp/fm.vae" "$FM/train-images-idx3-ubyte.gz"
fit=$(($(date +%s) - start))

mean() { awk '{ s += $1; n++ } END { printf "%.2f", s / n }'; }
one=$(vae-score -m "$tmp/fm.vae" --metric elbo -K 1 -s 1 "$FM/t10k-images-idx3-ubyte.gz" | mean)
zmu=$(vae-score -m "$tmp/fm.vae" --metric elbo "$FM/t10k-images-idx3-ubyte.gz" | mean)
iwae=$(vae-score -m "$tmp/fm.vae" --metric nll -K 100 -s 1 "$FM/t10k-images-idx3-ubyte.gz" |
	head -n 1000 | mean)

printf '%-46s %9s %9s %7s\n' "Fashion-MNIST test set, nats per image" vae "PyTorch" ratio
row() { printf '%-46s %9s %9s %7s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.3f", a / b }')"; }
row "-ELBO, one z sample (10,000 images)" "$one" 244.1
row "-ELBO, decoding z = mu (10,000 images)" "$zmu" 239.3
row "-log p(x), IWAE K=100 (first 1,000 images)" "$iwae" 241.2
echo "($EPOCHS epochs in ${fit} s; lower is better; the PyTorch column is the figure the"
echo " example reaches in the same set-up on this data)"
