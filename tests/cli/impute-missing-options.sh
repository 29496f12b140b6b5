# --missing skip and error work as in every filter: skip leaves out the rows
# with a missing model cell, counted on stderr, and writes the others as
# they were read; error stops at the first, naming file, line and field.
# A missing value outside the model columns counts for neither.
. "$TOP/tests/setup"
awk -v n=200 -v seed=3 -v header=1 -f "$TOP/tests/gen-manifold.awk" | cut -d, -f1-3 > train.csv
vae-fit -q --missing mask -e 20 -j 1 -o m.vae train.csv
printf 'id,x1,x2,x3\nr1,0.5,0.25,0.1\nr2,1,,0\nNA,0.1,0.2,0.3\nr4,?,0.2,0.3\n' > gaps.csv
vae-impute -m m.vae --missing skip gaps.csv
vae-impute -m m.vae --missing skip -q gaps.csv > /dev/null
rc=0
vae-impute -m m.vae --missing error gaps.csv || rc=$?
echo "exit $rc"
