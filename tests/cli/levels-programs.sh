# A model of two latent levels (-z 3,2) on a table with every column kind
# and holes: every program loads it and works.  vae-info prints both
# levels; vae-enc and vae-dec take either level, and a level's codes
# decode to rows of the model's width; vae-sample draws through both;
# vae-score gives every metric a finite score, and with the same draws
# each row's nll is at most its elbo (Jensen: -log of the mean weight
# against the mean of -log w); vae-impute fills every hole.  Shapes and
# properties only: trained figures differ between compilers.
. "$TOP/tests/setup"
. "$TOP/tests/gen-customers.sh"
table 300 7 | holes > train.csv
vae-fit -q -k id --missing mask --types age:count -z 3,2 -e 20 -j 1 -s 4 -o m.vae train.csv
vae-info m.vae | grep -E '^(level 2|latent|kind):'
table 20 11 | holes > test.csv
fields() { awk -F, '{ print NF }' "$1" | sort -u | tr '\n' ' '; echo "($(wc -l < "$1") lines)"; }
for level in 1 2; do
	vae-enc -m m.vae -k id --level "$level" test.csv > z$level.csv
	echo "enc --level $level: $(head -n 1 z$level.csv), $(fields z$level.csv)"
	vae-enc -m m.vae --level "$level" --logvar --sample test.csv > zl.csv
	echo "enc --level $level --logvar --sample: $(head -n 1 zl.csv)"
	vae-dec -m m.vae --level "$level" z$level.csv > x$level.csv
	echo "dec --level $level: $(head -n 1 x$level.csv), $(fields x$level.csv)"
	vae-dec -m m.vae --level "$level" --sample z$level.csv > xs.csv
	echo "dec --level $level --sample: $(fields xs.csv)"
done
vae-sample -m m.vae -n 7 > s.csv
echo "sample: $(head -n 1 s.csv), $(fields s.csv)"
finite() { awk 'NR > 1 && !($2 + 0 == $2 + 0 && $2 < 1e30 && $2 > -1e30) { bad++ }
	END { print NR - 1, "rows,", bad + 0, "not finite" }' FS=, "$1"; }
for metric in recon elbo nll; do
	vae-score -m m.vae -k id --metric "$metric" test.csv > score.csv
	echo "score --metric $metric: $(finite score.csv)"
done
vae-score -m m.vae -k id --metric elbo -K 30 test.csv > elbo.csv
vae-score -m m.vae -k id --metric nll -K 30 test.csv > nll.csv
echo "score --metric elbo -K 30: $(finite elbo.csv)"
paste -d, elbo.csv nll.csv | awk -F, 'NR > 1 && $4 > $2 + 1e-3 * (1 + ($2 < 0 ? -$2 : $2)) { bad++ }
	END { print "nll above elbo with the same draws:", bad + 0, "rows" }'
vae-impute -m m.vae -k id test.csv > filled.csv
awk -F, 'NR > 1 { for (i = 2; i <= NF; i++) if ($i == "") empty++ }
	END { print "impute:", NR - 1, "rows,", empty + 0, "empty cells" }' filled.csv
