# A model with named columns writes binary output without a header line:
# the npy of vae-enc and vae-sample holds exactly the numbers of the csv.
. "$TOP/tests/setup"
vae-fit -q -e 2 -j 1 -o m.vae "$DATA/tiny.csv"
vae-enc -m m.vae -p 9 "$DATA/tiny.csv" | tail -n +2 > want-enc.csv
vae-enc -m m.vae -O npy --compress 0 -o enc.npy "$DATA/tiny.csv"
vae-sample -m m.vae -n 5 -p 9 | tail -n +2 > want-sample.csv
vae-sample -m m.vae -n 5 -O npy -o sample.npy
if ! /usr/bin/python3 -c 'import numpy' 2> /dev/null; then
	echo "skipped: needs /usr/bin/python3 with numpy" >&2
	exit 77
fi
/usr/bin/python3 - <<'PY'
import numpy as np
for npy, csv in (("enc.npy", "want-enc.csv"), ("sample.npy", "want-sample.csv")):
    a = np.load(npy) if npy == "enc.npy" else np.load(__import__("gzip").open(npy))
    b = np.loadtxt(csv, delimiter=",", dtype=np.float32, ndmin=2)
    assert a.dtype == np.float32 and a.shape == b.shape, (npy, a.shape, b.shape)
    assert (a == b).all(), npy
PY
