# Under --missing error (the filters' default; vae-fit masks them unless
# told) a missing value is bad data, exit 65, at FILE:LINE:COLUMN: NA, an empty field, NaN and inf in text; a NaN in an NPY
# float array at its row and the value's place in the row.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\nNA,2,3\n' > na.csv
printf 'a,b,c\n1,2,3\n\n4,,6\n' > empty.csv
printf 'a,b,c\n1,2,NaN\n' > nan.csv
printf 'a,b,c\r\n1,2,3\r\n4,5,6\r\n7,inf,9\r\n' > inf.csv
{ npy_header "$(npy_dict '<f4' '(2, 3)')"; bytes $F1 $F2 $F3 $F1 $FNAN $F3; } > nan.npy
for f in na.csv empty.csv nan.csv inf.csv nan.npy; do
	vae-score -m m.vae --missing error $f > /dev/null || echo "$f: exit $?"
done
vae-enc -m m.vae nan.npy > /dev/null || echo "vae-enc nan.npy: exit $?"
vae-fit -q -e 1 -j 1 --missing error -o nan.vae nan.npy || echo "vae-fit nan.npy: exit $?"
test ! -e nan.vae && echo "no model"
