# inf, nan and values beyond float32 are refused as non-finite, exit 65.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
i=0
for v in inf nan -Infinity NaN 1e39; do
	i=$((i + 1))
	printf 'a,b,c\n1,2,3\n4,5,%s\n' "$v" > "bad$i.csv"
	vae-score -m m.vae "bad$i.csv" > /dev/null || echo "$v: exit $?"
done
printf 'a,b,c\n1,inf,3\n4,5,6\n' > fit.csv
vae-fit -q -e 1 --missing error -o m2.vae fit.csv
