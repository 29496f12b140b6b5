# Fashion-MNIST's t10k-images-idx3-ubyte.gz as it ships (gzip, IDX ubyte,
# 10000 x 28 x 28) trains a bernoulli model: vae-info shows minmax scaling
# with offset 0 and scale 255 for each of the 784 pixel columns, and 9
# samples as PNG tile a 92x92 grid (3 tiles of 28 and 4 gaps of 2 across
# and down).  Without the file or pngcheck the test is skipped (exit 77).
# One epoch, one thread: about 3 seconds.
. "$TOP/tests/setup"
FM=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
if [ ! -r "$FM" ] || ! command -v pngcheck > /dev/null; then
	echo "skipped: needs $FM (dataset-fashion-mnist) and pngcheck" >&2
	exit 77
fi
vae-fit -q -e 1 -j 1 -l bernoulli -H 16 -z 2 -o fm.vae "$FM"
{
	vae-info -m fm.vae > info
	grep -E '^(architecture|likelihood|scaling|columns|training rows):' info
	awk -F'\t' '$1 ~ /^[0-9]+$/ { n++; if ($3 == 0 && $4 == 255) ok++ }
		END { print n " columns, " ok " with offset 0 and scale 255" }' info
	vae-sample -m fm.vae -n 9 -O png > g.png
	pngcheck g.png | sed 's/^\(OK: g.png ([^,]*, [^,]*\).*/\1/'
} > got
cat > want <<'W'
architecture: 784 -> 16 -> [2] -> 16 -> 784
likelihood: bernoulli
scaling: minmax
columns: 784
training rows: 10000
784 columns, 784 with offset 0 and scale 255
OK: g.png (92x92, 8-bit grayscale
W
diff want got
