# --compute bf16 trains to the f32 model's test loss: 3,000 Fashion-MNIST
# images, 5 epochs of 784-128-10, the same seed in f32 and in bf16; each
# model scored on 1,000 test images in its own --compute.  The bf16 model
# is another model (its products rounded differently), within 1% of f32's
# mean -ELBO (seeds move it by about 0.5%).  bf16 scoring of the f32 model
# is within 0.5% of f32 scoring row by row, and the filters and vae-sample
# all take the option.  Skipped where bf16 cannot run (no oneDNN in the
# build, no AVX512_BF16 in the CPU; compute-usage.sh checks the fallback).
. "$TOP/tests/setup"
FM=/usr/share/datasets/fashion-mnist
[ -r "$FM/train-images-idx3-ubyte.gz" ] || { echo "skipped: no $FM (dataset-fashion-mnist)" >&2; exit 77; }
# idx N SRC OUT: the first N images of SRC
idx() {
	zcat "$2" | head -c $((16 + $1 * 784)) > "$3"
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 >> 24)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)))" |
		dd of="$3" bs=1 seek=4 conv=notrunc 2> /dev/null
}
idx 3000 "$FM/train-images-idx3-ubyte.gz" train.idx
idx 1000 "$FM/t10k-images-idx3-ubyte.gz" test.idx
vae-fit -q -e 5 -H 128 -z 10 -l bernoulli -s 1 -j 2 -o bf16.vae --compute bf16 train.idx 2> err
if grep -q "computing in f32" err; then
	cat err >&2
	echo "skipped: no bf16 products here" >&2
	exit 77
fi
test ! -s err
vae-fit -q -e 5 -H 128 -z 10 -l bernoulli -s 1 -j 2 -o f32.vae train.idx
! cmp -s f32.vae bf16.vae
mean() { awk '{ s += $1 } END { printf "%.4f\n", s / NR }'; }
vae-score -m f32.vae --metric elbo test.idx > f32.score
vae-score -m bf16.vae --metric elbo --compute bf16 test.idx > bf16.score
f=$(mean < f32.score) b=$(mean < bf16.score)
echo "mean -ELBO per image: f32 $f, bf16 $b" >&2
awk -v f="$f" -v b="$b" 'BEGIN { d = (b - f) / f; exit !(d < 0.01 && d > -0.01) }'
vae-score -m f32.vae --metric elbo --compute bf16 test.idx > f32-bf16.score
paste f32.score f32-bf16.score | awk '{ d = ($2 - $1) / $1; d = d < 0 ? -d : d; if (d > m) m = d }
	END { printf "f32 model scored in bf16: rows within %.2g of f32 scoring\n", m > "/dev/stderr"; exit !(m < 0.005) }'
vae-enc -m bf16.vae --compute bf16 test.idx | awk -F, 'END { exit !(NR == 1000 && NF == 10) }'
vae-enc -m bf16.vae --compute bf16 test.idx | vae-dec -m bf16.vae --compute bf16 | awk -F, 'END { exit !(NR == 1000 && NF == 784) }'
vae-sample -m bf16.vae --compute bf16 -n 50 | awk -F, 'END { exit !(NR == 50 && NF == 784) }'
