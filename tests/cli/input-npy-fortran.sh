# An NPY array in Fortran order (a column after another) is read whole,
# then row by row: its scores are those of the same array in C order.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
{ npy_header "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"
  bytes $F1 $F2 $F3 $F1 $F2 $F3; } > fortran.npy
{ npy_header "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
  bytes $F1 $F3 $F2 $F2 $F1 $F3; } > c.npy
vae-score -m m.vae fortran.npy > fortran.scores
vae-score -m m.vae c.npy > c.scores
cmp fortran.scores c.scores && echo "Fortran order: the C-order array's scores, $(wc -l < c.scores) rows"
