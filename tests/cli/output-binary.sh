# -O npy, idx and png hold the same float32 rows as the -p 9 csv (which
# round-trips float32), checked by readers that share no code with vae:
# numpy for npy (gzip and --compress 0), struct for idx, pngcheck and a
# zlib decode of the scanlines for png.  A png needs rows that fill its
# images.  Without numpy or pngcheck the test is skipped (exit 77).
. "$TOP/tests/setup"
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy' 2> /dev/null || ! command -v pngcheck > /dev/null; then
	echo "skipped: needs $PY with numpy, and pngcheck" >&2
	exit 77
fi
# 40 rows of 10 columns, no header (a header would name the columns, and
# vae-sample would write the names as a first row).
awk 'BEGIN { srand(1); for (i = 0; i < 40; i++) { s = "";
	for (j = 0; j < 10; j++) s = s (j ? "," : "") sprintf("%.3f", rand()); print s } }' > ten.csv
vae-fit -q -e 1 -o m.vae ten.csv
vae-sample -m m.vae -n 7 -p 9 > s.csv
vae-sample -m m.vae -n 7 -O npy > s.npy.gz
vae-sample -m m.vae -n 7 -O npy --compress 0 > s.npy
vae-sample -m m.vae -n 7 -O idx > s.idx.gz
vae-sample -m m.vae -n 7 -O idx --compress 0 > s.idx
vae-sample -m m.vae -n 7 -O png --image 2x5 > s.png
{
	"$PY" - <<'EOF'
import gzip, math, struct, zlib
import numpy as np

want = np.loadtxt("s.csv", delimiter=",", dtype=np.float32, ndmin=2)

def same(a):
    return "equal to the csv" if a.shape == want.shape and (a == want).all() else "DIFFERENT"

with gzip.open("s.npy.gz") as f:
    a = np.load(f)
print("npy gzip:", a.shape, a.dtype, same(a))
a = np.load("s.npy")
print("npy plain:", a.shape, a.dtype, same(a))
with open("s.npy", "rb") as f:
    head = f.read(10)
print("npy plain: data at byte", 10 + struct.unpack("<H", head[8:10])[0])

for name, data in (("idx gzip", gzip.open("s.idx.gz").read()), ("idx plain", open("s.idx", "rb").read())):
    magic, rows, cols = struct.unpack(">4sII", data[:12])
    a = np.array(struct.unpack(">%df" % (rows * cols), data[12:]), dtype=np.float32).reshape(rows, cols)
    print(name + ":", magic.hex(), rows, cols, same(a))

# The png: chunks, then the grid of 2-wide, 5-high tiles, 3 across.
png = open("s.png", "rb").read()
at, idat, w, h = 8, b"", 0, 0
while at < len(png):
    n, kind = struct.unpack(">I4s", png[at:at + 8])
    if kind == b"IHDR":
        w, h = struct.unpack(">II", png[at + 8:at + 16])
    if kind == b"IDAT":
        idat += png[at + 8:at + 8 + n]
    at += 12 + n
raw = zlib.decompress(idat)
lo, hi = float(want.min()), float(want.max())
ok = len(raw) == h * (w + 1)
for y in range(h):
    for x in range(w):
        tx, px, ty, py = (x - 2) // 4, (x - 2) % 4, (y - 2) // 7, (y - 2) % 7
        r = ty * 3 + tx
        g = 0
        if x >= 2 and y >= 2 and px < 2 and py < 5 and r < 7:
            g = math.floor(255 * (float(want[r][py * 2 + px]) - lo) / (hi - lo) + 0.5)
        ok = ok and raw[y * (w + 1)] == 0 and raw[y * (w + 1) + 1 + x] == g
print("png: %dx%d, pixels %s" % (w, h, "as the csv scaled to 0..255" if ok else "DIFFERENT"))
EOF
	pngcheck s.png | sed 's/^\(OK: s.png ([^,]*, [^,]*\).*/\1/'
	vae-sample -m m.vae -n 7 -O png > x.png 2> err || echo "-O png without --image: refused"
	grep -q 'png output needs an image shape' err && echo "  saying png output needs an image shape"
	vae-sample -m m.vae -n 7 -O png --image 3x3 > x.png 2> err || echo "-O png --image 3x3: refused"
	grep -q 'rows of 10 values do not fill 3x3 images' err && echo "  saying rows of 10 values do not fill 3x3 images"
} > got
cat > want <<'EOF'
npy gzip: (7, 10) float32 equal to the csv
npy plain: (7, 10) float32 equal to the csv
npy plain: data at byte 128
idx gzip: 00000d02 7 10 equal to the csv
idx plain: 00000d02 7 10 equal to the csv
png: 14x23, pixels as the csv scaled to 0..255
OK: s.png (14x23, 8-bit grayscale
-O png without --image: refused
  saying png output needs an image shape
-O png --image 3x3: refused
  saying rows of 10 values do not fill 3x3 images
EOF
diff want got
