# -o FILE for a run that fails leaves no FILE (and no temporary file) behind,
# and an existing FILE is left as it was.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,n/a,6\n' > bad.csv
: > empty.vae
mkdir run && cd run
vae-enc -m ../m.vae -o out.csv ../bad.csv 2> /dev/null || echo "vae-enc: exit $?"
vae-score -m ../m.vae -o out.csv ../bad.csv ../nosuch.csv 2> /dev/null || echo "vae-score: exit $?"
vae-sample -m ../empty.vae -o out.csv 2> /dev/null || echo "vae-sample: exit $?"
vae-fit -q -e 1 --missing error -o out.vae ../bad.csv 2> /dev/null || echo "vae-fit: exit $?"
vae-info -o out.txt ../empty.vae 2> /dev/null || echo "vae-info: exit $?"
echo "left behind: $(ls | tr '\n' ' ')"
echo old > out.csv
vae-score -m ../m.vae -o out.csv ../bad.csv 2> /dev/null || echo "vae-score: exit $?"
echo "out.csv: $(cat out.csv); left behind: $(ls | tr '\n' ' ')"
