# NPY data shorter than its shape: the rows before are answered, then bad
# data, exit 65, at the row that is cut.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
{ npy_header "$(npy_dict '<f4' '(2, 3)')"; bytes $F1 $F2 $F3 $F1 $F2; } > short.npy
vae-score -m m.vae short.npy | wc -l
vae-score -m m.vae short.npy > /dev/null
