#!/bin/sh
# fashion.sh: pictures of a variational autoencoder of Fashion-MNIST, trained
# on the files as Debian ships them (dataset-fashion-mnist).  Takes a minute
# or two at the defaults on two cores, nearly all of it training.
#
# 1. vae-fit trains a 784-400-2 bernoulli model on the 60000 training images
#    (IDX, gzipped, read as they are).  Two latent dimensions, so that the
#    codes can be plotted as they are; samples are blurrier than those of
#    the 20-dimensional model of README.md.
# 2. samples.png: vae-sample -O png draws 64 garments from the prior, an
#    8 x 8 grid of 28 x 28 tiles, the model's image shape (100 would take
#    55 KB, 64 take 35 KB).
# 3. latent.png: vae-enc gives the 10000 test images' codes; the labels (an
#    IDX file of bytes: od reads it) are pasted beside them by line, and
#    gnuplot plots the codes coloured by class.
# 4. strip.png: the codes of two test garments, a trouser and an ankle boot,
#    and 8 codes on the line between them, written by awk; vae-dec decodes
#    the 10 into a PNG strip (-O png --tiles 10: ten tiles across, one row).
#    latent.png shows the line.
#
# Environment: EPOCHS [20]; ROWS training images, the first ones [60000];
# WORK a directory to keep the files and pictures in (default: a temporary
# one, removed).  Without gnuplot, latent.png is skipped.
set -eu
EPOCHS=${EPOCHS:-20} ROWS=${ROWS:-60000}
FM=/usr/share/datasets/fashion-mnist
. "$(dirname "$0")/work.sh"
for f in train-images-idx3 t10k-images-idx3 t10k-labels-idx1; do
	[ -r "$FM/$f-ubyte.gz" ] || { echo "fashion.sh: needs $FM/$f-ubyte.gz (apt-get install dataset-fashion-mnist)" >&2; exit 66; }
done

# be32 N: N as 4 big-endian bytes, for an IDX header
be32() {
	printf "$(printf '\\%03o' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)))"
}

echo "== fit: $ROWS training images, 784-400-2, bernoulli, $EPOCHS epochs"
train=$FM/train-images-idx3-ubyte.gz
if [ "$ROWS" -lt 60000 ]; then   # the first ROWS images under a header that counts them
	train=$w/train.idx   # 00 00 08 03: unsigned bytes, 3 dimensions
	{ printf '\0\0\10\3'; be32 "$ROWS"; be32 28; be32 28
	  gzip -dc "$FM/train-images-idx3-ubyte.gz" | tail -c +17 | head -c $((ROWS * 784)); } > "$train"
fi
vae-fit -q -l bernoulli -H 400 -z 2 -e "$EPOCHS" -o "$w/fashion.vae" "$train"
vae-info "$w/fashion.vae" | grep -E '^(architecture|training rows|image|final loss):'

echo "== samples.png: 64 garments drawn from the prior"
vae-sample -m "$w/fashion.vae" -n 64 -O png -o "$w/samples.png"

echo "== latent.csv: the test images' codes and labels"
vae-enc -m "$w/fashion.vae" "$FM/t10k-images-idx3-ubyte.gz" > "$w/codes.csv"
# the labels: an 8-byte IDX header, then one byte per image
gzip -dc "$FM/t10k-labels-idx1-ubyte.gz" | tail -c +9 | od -An -v -tu1 |
	awk '{ for (i = 1; i <= NF; i++) print $i }' > "$w/labels.txt"
paste -d, "$w/codes.csv" "$w/labels.txt" > "$w/latent.csv"
echo "$(wc -l < "$w/latent.csv") rows: z1,z2,label"
head -2 "$w/latent.csv"

echo "== strip.csv: a trouser (1) to an ankle boot (9), 10 codes decoded"
a=$(awk '$1 == 1 { print NR; exit }' "$w/labels.txt")
b=$(awk '$1 == 9 { print NR; exit }' "$w/labels.txt")
echo "test images $a and $b"
awk -F, -v a="$a" -v b="$b" -v n=10 'NR == a { split($0, za) } NR == b { split($0, zb) }
	END { for (i = 0; i < n; i++) { t = i / (n - 1)
	      printf "%.6g,%.6g\n", za[1] + t * (zb[1] - za[1]), za[2] + t * (zb[2] - za[2]) } }' "$w/codes.csv" > "$w/path.csv"
vae-dec -m "$w/fashion.vae" "$w/path.csv" > "$w/strip.csv"
echo "$(wc -l < "$w/strip.csv") rows of $(awk -F, '{ print NF; exit }' "$w/strip.csv") pixels"
vae-dec -m "$w/fashion.vae" -O png --tiles 10 "$w/path.csv" > "$w/strip.png"

plots "latent.png" || exit 0

echo "== latent.png: the codes coloured by class, the strip's line in black"
cat > "$w/latent.gp" <<EOF
W = 480; H = 360
load "$PWD/png.gp"
set output "$w/latent.png"
set datafile separator ","
names = "T-shirt/top Trouser Pullover Dress Coat Sandal Shirt Sneaker Bag 'Ankle boot'"
colours = "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf"
set key outside right top Left reverse samplen 1
set xlabel "z1"; set ylabel "z2"
plot for [c = 0:9] "$w/latent.csv" using 1:(\$3 == c ? \$2 : NaN) with points pt 7 ps 0.4 lc rgb word(colours, c + 1) notitle, \
     for [c = 0:9] NaN with points pt 7 ps 1 lc rgb word(colours, c + 1) title word(names, c + 1), \
     "$w/path.csv" using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb "black" title "strip.png"
EOF
gnuplot "$w/latent.gp"

echo "pictures in $w: samples.png latent.png strip.png"
