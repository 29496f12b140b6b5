# An NPY dtype that is not a float or an integer (complex64 here) is refused
# at open: bad data, exit 65, naming the file and the dtype.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
{ npy_header "$(npy_dict '<c8' '(1, 3)')"; bytes $F1 $F1 $F2 $F2 $F3 $F3; } > c8.npy
vae-score -m m.vae c8.npy
