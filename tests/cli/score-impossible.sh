# A value the model's column cannot take has probability 0: vae-score
# gives its row an infinite score (most anomalous), flags it at any
# threshold, and --explain names the column; the other rows score as they
# would alone.  Three such values: a level a binary column of numbers never
# saw, a 0 in a positive column, a count of 2.5.  vae-impute, which must
# encode the row, still refuses it, naming the column.
. "$TOP/tests/setup"
awk 'BEGIN { print "flag,size,visits,x"
	for (i = 0; i < 300; i++)
		printf "%d,%g,%d,%g\n", i % 2, 1 + (i * 37) % 200, i % 6, (i * 13) % 17 }' > train.csv
vae-fit -q -e 5 -j 1 --types size:positive,visits:count -o m.vae train.csv
vae-info m.vae | awk -F'\t' '$2 ~ /^(real|positive|count|binary)/ { print $1, $2 }'
printf 'flag,size,visits,x\n1,50,3,4\n2,50,3,4\n1,0,3,4\n1,50,2.5,4\n' > test.csv
# (a finite row's share of its score, after the colon, is the model's)
vae-score -m m.vae --explain 1 --pvalue test.csv | awk -F, 'NR == 1 { print; next }
	{ e = $3; if ($1 != "inf") sub(/:[^:]*$/, "", e)
	  print ($1 == "inf" ? "inf" : "finite"), ($2 < 0.01 ? "p<0.01" : "p>=0.01"), e }'
vae-score -m m.vae -t p99.9 -c test.csv
head -2 test.csv | vae-score -m m.vae > one.out
vae-score -m m.vae test.csv | head -2 | cmp - one.out && echo "row 1 scores as alone"
vae-impute -m m.vae test.csv > /dev/null 2> impute.err || echo "vae-impute: exit $?"
cat impute.err
