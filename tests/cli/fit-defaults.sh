# The sizes vae-fit chooses from the data, said on stderr and kept for
# vae-info; options given win.  From 2000 rows and without -e a tenth is
# held out and the quantiles come from it.  --contamination: 0.1 by
# default for CSV, recorded; a batch of one row keeps its row however
# large the share (0.5 of 1 rounds to 1, and a step needs a row), and so
# does a validation loss of one held-out row.
. "$TOP/tests/setup"
awk 'BEGIN { print "a,b,c,d,e,f"
	for (i = 0; i < 300; i++) printf "%g,%g,%g,%g,%g,%g\n", i % 7, (i * 3) % 11 - 5,
		(i * 7) % 13 / 2, i % 5 - 2.5, (i * 11) % 17, (i * 13) % 19 - 9 }' > small.csv
awk 'BEGIN { print "a,b,c"
	for (i = 0; i < 2500; i++) printf "%g,%g,%g\n", i % 7 - 3.5, (i * 3) % 11 - 5, (i * 7) % 13 / 2 }' > big.csv
summary() { sed 's/ in [0-9.]* s: [^;]*/ .../'; }
vae-fit -j 1 -o s.vae small.csv 2>&1 | summary
vae-info s.vae | grep -E '^(architecture|batch|validation share|patience|contamination|chosen|score quantiles)'
vae-fit -j 1 -z 2 -H 16 -b 50 -e 3 --contamination 0 -o g.vae small.csv 2>&1 | summary
vae-info g.vae | grep -E '^(architecture|batch|contamination|chosen)' || echo "chosen: none"
vae-fit -j 1 -q -o b.vae big.csv
vae-info b.vae | grep -E '^(training rows|validation share|patience|chosen|score quantiles)'
vae-fit -j 1 -q -e 2 -o be.vae big.csv
vae-info be.vae | grep -E '^(training rows|validation share|score quantiles)'
head -18 small.csv > tiny.csv
vae-fit -q -j 1 -b 16 -e 2 --contamination 0.5 -o t.vae tiny.csv && echo "17 rows, batches of 16 and 1, share 0.5: trained"
vae-fit -q --contamination 0.6 -o x.vae tiny.csv 2>&1 || echo "exit $?"
# one held-out row and a share of 0.5: the validation loss keeps its row
head -21 small.csv > twenty.csv
vae-fit -q -j 1 -e 3 --val 0.05 --contamination 0.5 -o v.vae twenty.csv
vae-info v.vae | awk -F': ' '$1 == "validation loss" {
	print ($2 ~ /^-?[0-9.]+(e[-+][0-9]+)?$/ ? "validation loss: a number" : "validation loss: " $2) }'
