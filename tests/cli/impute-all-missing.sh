# A row whose every model cell is missing has nothing to be filled from: an
# error naming the file and the row, exit 65, after the rows before it are
# written; the next input is filled all the same.  A missing cell outside
# the model columns is no such row.
. "$TOP/tests/setup"
awk -v n=200 -v seed=3 -v header=1 -f "$TOP/tests/gen-manifold.awk" | cut -d, -f1-3 > train.csv
vae-fit -q --missing mask -e 20 -j 1 -o m.vae train.csv
printf 'id,x1,x2,x3\nr1,0.5,,0.1\nr2,,1,\nr3,,NA,?\nr4,0.1,0.2,0.3\n' > holes.csv
printf 'id,x1,x2,x3\nr5,,0.5,\n' > next.csv
printf 'id,x1,x2,x3\n,0.1,0.2,0.3\n' > blank-id.csv
rc=0
vae-impute -m m.vae -k id holes.csv next.csv blank-id.csv > out.csv || rc=$?
echo "exit $rc"
cut -d, -f1 out.csv
