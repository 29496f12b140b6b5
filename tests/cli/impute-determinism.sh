# A row's filled cells depend on the row, the model and the seed alone: the
# same bytes for any -j and for an input split at a block of 64 rows; the
# same seed draws the same imputation, another seed another, in the filled
# cells only; and --draws 0, which draws nothing, whatever the seed.
. "$TOP/tests/setup"
. "$TOP/tests/gen-customers.sh"
table 300 7 | holes > train.csv
vae-fit -q -k id --missing mask -e 20 -j 1 -o m.vae train.csv
table 130 11 | holes > gaps.csv
vae-impute -m m.vae -j 1 gaps.csv > j1.csv
vae-impute -m m.vae -j 3 gaps.csv | cmp - j1.csv && echo "-j 3: same"
head -65 gaps.csv > a.csv
{ head -1 gaps.csv; tail -n +66 gaps.csv; } > b.csv
{ vae-impute -m m.vae a.csv; vae-impute -m m.vae b.csv | tail -n +2; } | cmp - j1.csv &&
	echo "split at row 64: same"
vae-impute -m m.vae --sample -s 5 gaps.csv > s5.csv
vae-impute -m m.vae --sample -s 5 gaps.csv | cmp - s5.csv && echo "--sample -s 5 twice: same"
vae-impute -m m.vae --sample -s 6 gaps.csv > s6.csv
cmp -s s5.csv s6.csv || echo "--sample -s 6: another"
# where -s 5 and -s 6 differ, the input had a missing cell
awk -F, 'NR == FNR { a[FNR] = $0; next } FILENAME == ARGV[2] { b[FNR] = $0; next }
	{ split(a[FNR], x, ","); split(b[FNR], y, ",")
	  for (j = 1; j <= NF; j++) if (x[j] != y[j] && $j !~ /^(|NA|N\/A|NaN|null|\?)$/) bad++ }
	END { printf "differences in observed cells: %d\n", bad }' s5.csv s6.csv gaps.csv
vae-impute -m m.vae --draws 0 -s 1 gaps.csv > d1.csv
vae-impute -m m.vae --draws 0 -s 2 gaps.csv | cmp - d1.csv && echo "--draws 0: the same for any seed"
