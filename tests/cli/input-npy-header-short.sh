# An NPY file that ends inside the header its length field announces:
# bad data, exit 65, with both sizes.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
npy_header "$(npy_dict '<f4' '(2, 3)')" | head -c 40 > short.npy
vae-score -m m.vae short.npy
