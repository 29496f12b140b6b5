# An NPY array in Fortran order is refused at open (its rows are not
# contiguous): bad data, exit 65, saying what to do instead.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
{ npy_header "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"
  bytes $F1 $F2 $F3 $F1 $F2 $F3; } > fortran.npy
vae-score -m m.vae fortran.npy
