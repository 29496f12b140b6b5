# An empty field in a model column is bad data (there is no --missing yet),
# in the middle of a row, at its end, quoted, and in the first row.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,,6\n' > middle.csv
printf 'a,b,c\n1,2,3\n4,5,\n' > end.csv
printf 'a,b,c\n1,2,3\n4,"",6\n' > quoted.csv
printf ',2,3\n4,5,6\n' > first.csv
for f in middle.csv end.csv quoted.csv first.csv; do
	vae-score -m m.vae "$f" > /dev/null || echo "$f: exit $?"
done
