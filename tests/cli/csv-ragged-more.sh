# Rows with more or fewer fields than the first are errors naming file and
# line, in a row filter as in vae-fit; the rows before are still written.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,5,6,7\n' > more.csv
printf 'a,b,c\n1,2,3\n4,5\n' > fewer.csv
printf 'a,b,c\n1,2,3\n4,5,6,\n' > trailing-comma.csv
for f in more.csv fewer.csv trailing-comma.csv; do
	vae-score -m m.vae "$f" | wc -l || :
	vae-score -m m.vae "$f" > /dev/null 2>&1 || echo "$f: exit $?"
done
vae-fit -q -e 1 -o m2.vae more.csv
