# examples/fashion.sh on 1000 training images and one epoch: the three
# pictures are PNGs of their sizes (samples.png an 8 x 8 grid of 28 x 28
# tiles, strip.png one row of 10), the plot's data is the 10000 test images'
# codes beside their labels, the strip runs from one encoded test image to
# the other, and strip.png (vae-dec -O png --tiles 10) is the decoded
# pixels of the strip's codes.  Skipped without the data set, gnuplot or
# pngcheck.  About 5 seconds.
. "$TOP/tests/setup"
FM=/usr/share/datasets/fashion-mnist
if [ ! -r "$FM/t10k-labels-idx1-ubyte.gz" ] || ! command -v gnuplot > /dev/null || ! command -v pngcheck > /dev/null; then
	echo "skipped: needs dataset-fashion-mnist, gnuplot and pngcheck" >&2
	exit 77
fi
ROWS=1000 EPOCHS=1 WORK=$TMP/w sh "$TOP/examples/fashion.sh" > out.txt
cd w
grep -qx 'training rows: 1000' ../out.txt
for p in samples latent strip; do
	pngcheck $p.png | sed 's/^\(OK: [^ ]* ([^,]*, [^,]*\).*/\1/'
done

# latent.csv: z1,z2,label for each test image; 1000 of each label
awk -F, 'NF != 3 || $1 !~ /^-?[0-9.e+-]+$/ || $2 !~ /^-?[0-9.e+-]+$/ || $3 !~ /^[0-9]$/ { bad++ }
	{ n[$3]++ } END { for (c = 0; c <= 9; c++) if (n[c] != 1000) bad++
	                  print NR " rows, 3 columns, labels 0-9 1000 each: " (bad ? "no" : "yes") }' latent.csv
cut -d, -f1,2 latent.csv | cmp - codes.csv

# the line: 10 codes from a trouser's to an ankle boot's, evenly spaced
a=$(sed -n 's/^test images \([0-9]*\) and \([0-9]*\)$/\1/p' ../out.txt)
b=$(sed -n 's/^test images \([0-9]*\) and \([0-9]*\)$/\2/p' ../out.txt)
test "$(sed -n "${a}p" labels.txt),$(sed -n "${b}p" labels.txt)" = 1,9
test "$(head -1 path.csv)" = "$(sed -n "${a}p" codes.csv)"
test "$(tail -1 path.csv)" = "$(sed -n "${b}p" codes.csv)"
awk -F, 'NR == 2 { d1 = $1 - p1; d2 = $2 - p2 } NR > 2 { if ((($1 - p1) - d1)^2 + (($2 - p2) - d2)^2 > 1e-8) bad++ }
	{ p1 = $1; p2 = $2 } END { print NR " codes on a line: " (bad ? "no" : "yes") }' path.csv
awk -F, '{ w[NF]++ } END { for (k in w) print w[k] " decoded rows of " k " pixels" }' strip.csv

# strip.png pixel by pixel: ten tiles in a row, 2 black pixels apart and
# from the edges, each the decoded pixels (0 to 255) of its code
python3 - strip.png strip.csv <<'PY'
import struct, sys, zlib
png = open(sys.argv[1], 'rb').read()
pos, idat = 8, b''
while pos < len(png):
    n, kind = struct.unpack('>I4s', png[pos:pos + 8])
    body = png[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b'IHDR': w, h, depth, colour = struct.unpack('>IIBB', body[:10])
    if kind == b'IDAT': idat += body
assert depth == 8 and colour == 0, (depth, colour)   # 8-bit grey
raw, prev, worst = zlib.decompress(idat), bytearray(w), 0
px = [[float(v) for v in line.split(',')] for line in open(sys.argv[2])]
for y in range(h):
    f, line = raw[y * (w + 1)], bytearray(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
    for x in range(w):   # undo the PNG row filter
        a, b, c = line[x - 1] if x else 0, prev[x], prev[x - 1] if x else 0
        p = a + b - c
        pred = [0, a, b, (a + b) // 2, a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c][f]
        line[x] = (line[x] + pred) & 255
        t, k = divmod(x, 30)
        want = min(max(px[t][(y - 2) * 28 + k - 2], 0), 255) if 2 <= y < 30 and k >= 2 and t < len(px) else 0
        worst = max(worst, abs(line[x] - want))
    prev = line
print('strip.png: %d x %d, the decoded pixels in a row:' % (w, h), 'yes' if worst <= 1 else 'no (%g)' % worst)
PY
