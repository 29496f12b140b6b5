# An NPY header without a shape is refused at open: bad data, exit 65, naming
# the file alone (a header is no row, so no line number).
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
{ npy_header "{'descr': '<f4', 'fortran_order': False, }"; bytes $F1 $F2 $F3; } > noshape.npy
vae-score -m m.vae noshape.npy
