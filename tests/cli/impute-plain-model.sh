# A model of real columns only, trained without masks, cannot fill a cell:
# vae-impute refuses it under its default --missing mask, with a usage
# error that says how to fit one that can; with --missing skip or error it
# still passes complete rows through as they were read.
. "$TOP/tests/setup"
awk -v n=200 -v seed=3 -v header=1 -f "$TOP/tests/gen-manifold.awk" | cut -d, -f1-3 > train.csv
vae-fit -q -l gaussian -e 5 -j 1 -o m.vae train.csv
printf 'x1,x2,x3\n0.50,0.25,0.1\n1,,0\n' > gaps.csv
rc=0
vae-impute -m m.vae gaps.csv || rc=$?
echo "exit $rc"
vae-impute -m m.vae --missing skip gaps.csv
head -2 gaps.csv > complete.csv
vae-impute -m m.vae --missing error complete.csv | cmp - complete.csv && echo "complete rows: as read"
