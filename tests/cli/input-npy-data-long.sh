# NPY data longer than its shape (a byte too many): bad data, exit 65; the
# file is wrong as a whole, so no line.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
{ npy_header "$(npy_dict '<f4' '(2, 3)')"; bytes $F1 $F2 $F3 $F1 $F2 $F3 0; } > long.npy
vae-score -m m.vae long.npy > /dev/null
