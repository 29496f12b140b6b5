# A run that fails leaves on stdout nothing that parses as a complete NPY,
# IDX or PNG: rows are spooled and the file is written only at a successful
# end, and an image shape the rows cannot fill is refused before any byte.
. "$TOP/tests/setup"
if ! /usr/bin/python3 -c 'import numpy' 2> /dev/null || ! command -v pngcheck > /dev/null; then
	echo "skipped: needs /usr/bin/python3 with numpy, and pngcheck" >&2
	exit 77
fi
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,x,6\n' > bad.csv
# a bad value after a good row; a good input, then a bad one
vae-enc -m m.vae -O npy bad.csv > bad.npy || echo "exit $?"
vae-enc -m m.vae -O npy --compress 0 "$DATA/tiny.csv" bad.csv > bad0.npy || echo "exit $?"
vae-enc -m m.vae -O idx "$DATA/tiny.csv" bad.csv > bad.idx || echo "exit $?"
# 100x100 images from rows of 1 score: refused before the first byte,
# with or without input
vae-score -m m.vae -O png --image 100x100 "$DATA/tiny.csv" > bad.png || echo "exit $?"
vae-score -m m.vae -O png --image 100x100 < /dev/null > empty.png || echo "exit $?"
/usr/bin/python3 - <<'PY'
import gzip, numpy as np
for f, gz in (("bad.npy", True), ("bad0.npy", False)):
    try:
        a = np.load(gzip.open(f) if gz else f)
    except Exception:
        continue
    raise SystemExit("%s parses: %r" % (f, a.shape))
PY
for f in bad.png empty.png; do
	if pngcheck -q "$f" > /dev/null 2>&1; then
		echo "$f parses as a png"
	fi
done
wc -c bad.npy bad0.npy bad.idx bad.png empty.png
