# --missing mask keeps every row: a missing value in a model column, in any
# spelling (empty, NA, N/A, n/a, NaN, nan, NULL, null, ?, inf; in NPY a
# NaN), leaves its row in, in order and with its kept fields, and no row
# is said to be skipped; input without missing values comes out exactly as
# without --missing mask.  (A row must keep one model cell: see table-mask.)
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 --missing mask -o m.vae "$DATA/tiny.csv"
printf 'id,a,b,c\nr1,1,,3\nr2,NA,2,N/A\nr3,n/a,NaN,3\nr4,0.5,0.25,0.125\nr5,NULL,0.5,?\nr6,inf,-inf,1\n' > gaps.csv
vae-enc -m m.vae -k id --missing mask gaps.csv | cut -d, -f1
vae-score -m m.vae -k id --missing mask gaps.csv | wc -l
vae-enc -m m.vae "$DATA/tiny.csv" > want.enc
vae-enc -m m.vae --missing mask "$DATA/tiny.csv" | cmp - want.enc && echo "no missing value: same codes"
{ npy_header "$(npy_dict '<f4' '(3, 3)')"; bytes $F1 $F2 $F3 $FNAN $F2 $F3 $F3 $F2 $F1; } > nan.npy
vae-enc -m m.vae --missing mask -O csv nan.npy | wc -l
