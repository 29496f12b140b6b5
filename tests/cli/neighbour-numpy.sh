# numpy, the reader that shares no code with vae: -I npy reads what
# numpy.save writes, in C and Fortran order, of every dtype vae takes
# (<f4, <f8, >f4, <i2, >i4, |u1, <u2, bool) and with version 1 and 2
# headers, the values kept by -k exactly numpy's; and numpy.load reads
# vae-enc's -O npy output through gzip.open, equal to its CSV output at
# -p 9.  Needs python3 with numpy (exit 77 without).
. "$TOP/tests/setup"
PY=/usr/bin/python3
"$PY" -c 'import numpy' 2> /dev/null || { echo "skipped: needs $PY with numpy" >&2; exit 77; }
"$PY" - <<'P'
import numpy as np
rng = np.random.default_rng(3)
base = rng.normal(size=(37, 2, 3)) * 40
np.save("fit.npy", base.reshape(37, 6).astype("<f4"))
forms = {
    "f4": base.astype("<f4"), "f8": base.astype("<f8"), "bf4": base.astype(">f4"),
    "i2": np.round(base).astype("<i2"), "bi4": np.round(base).astype(">i4"),
    "u1": np.abs(np.round(base)).astype("|u1"), "u2": np.abs(np.round(base)).astype("<u2"),
    "b1": base > 0,
}
for name, a in forms.items():
    np.save(name + "-c.npy", a)
    np.save(name + "-f.npy", np.asfortranarray(a))
    with open(name + "-v2.npy", "wb") as f:
        np.lib.format.write_array(f, a, version=(2, 0))
    np.savetxt(name + ".want", a.reshape(len(a), -1).astype("f8"), fmt="%.17g", delimiter=",")
P
vae-fit -q -j 1 -e 1 -o m.vae fit.npy
bad=0 n=0
for want in *.want; do
	name=${want%.want}
	for form in c f v2; do
		vae-enc -m m.vae -f 1-6 -k 1-6 -p 9 "$name-$form.npy" | cut -d, -f1-6 > got
		"$PY" -c 'import numpy as np, sys
a = np.loadtxt(sys.argv[1], delimiter=","); b = np.loadtxt(sys.argv[2], delimiter=",")
sys.exit(0 if a.shape == b.shape and (a == b).all() else 1)' got "$want" || { echo "differs: $name-$form"; bad=1; }
		n=$((n + 1))
	done
done
echo "$n arrays numpy wrote, read by -I npy: $([ $bad = 0 ] && echo all as numpy has them)"
vae-enc -m m.vae -p 9 fit.npy > codes.csv
vae-enc -m m.vae -O npy fit.npy > codes.npy.gz
"$PY" -c 'import gzip, numpy as np
a = np.load(gzip.open("codes.npy.gz")); b = np.loadtxt("codes.csv", delimiter=",", ndmin=2)
print("numpy.load(gzip.open(...)) of -O npy:", a.dtype, a.shape, "equal to the CSV" if (a == b.astype("f4")).all() else "DIFFERS")'
