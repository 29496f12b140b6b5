# -I npy on an empty file: it is no NPY (not an empty input, which only
# sniffed text may be): bad data, exit 65.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
: > empty.npy
vae-score -m m.vae -I npy empty.npy
