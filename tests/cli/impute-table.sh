# vae-impute on a table of text, counts and gaps: the header, the kept id
# and every observed cell come out byte for byte; every missing cell of a
# model column is filled in its column's form: a level seen in training, a
# whole count, a number; the rows keep their order and their fields.
. "$TOP/tests/setup"
. "$TOP/tests/gen-customers.sh"
table 300 7 | holes > train.csv
vae-fit -q -k id --missing mask --types age:count -e 20 -j 1 -o m.vae train.csv
# New rows with gaps, and one whose id is a missing value's spelling: a
# kept field, written as it is.
{ table 60 11 | holes; echo "NA,33,,2,20.5,,0.1"; } > gaps.csv
vae-impute -m m.vae gaps.csv > out.csv
cmp -s gaps.csv out.csv && echo "nothing filled" >&2
[ "$(head -1 out.csv)" = "$(head -1 gaps.csv)" ] && echo "header: as read"
echo "rows: $(wc -l < gaps.csv | tr -d ' ') in, $(wc -l < out.csv | tr -d ' ') out"
awk -F, 'NR == FNR { row[FNR] = $0; next }
	function na(s) { return s ~ /^(|NA|N\/A|n\/a|NaN|nan|NULL|null|\?)$/ }
	{
		if (split(row[FNR], in_, ",") != NF) bad_width++
		if ($1 != in_[1]) bad_kept++
		for (j = 2; j <= NF; j++) {
			if (!na(in_[j])) { if ($j != in_[j]) bad_observed++; continue }
			filled++
			if (na($j)) unfilled++
			else if ((j == 2 || j == 4) && $j !~ /^[0-9]+$/) bad_count++
			else if (j == 3 && $j !~ /^(basic|pro|max)$/) bad_level++
			else if (j == 6 && $j !~ /^(yes|no)$/) bad_level++
			else if ((j == 5 || j == 7) && $j !~ /^-?[0-9.]+(e[-+][0-9]+)?$/) bad_number++
			else if (j == 5 && $j <= 0) bad_number++
		}
	}
	END {
		printf "widths: %d rows differ\n", bad_width
		printf "kept id: %d rows differ\n", bad_kept
		printf "observed cells: %d differ\n", bad_observed
		printf "missing cells: %d, %d left empty\n", filled, unfilled
		printf "counts: %d not whole\n", bad_count
		printf "levels: %d not seen in training\n", bad_level
		printf "numbers: %d not numbers (or spend <= 0)\n", bad_number
	}' gaps.csv out.csv
tail -1 out.csv | cut -d, -f1
# Fields are taken by name: the same columns in another order, among a
# field the model does not know, come out in their own order, the unknown
# field untouched.
awk -F, -v OFS=, '{ print $7, "x" NR, $3, $1, $2, $6, $5, $4 }' gaps.csv > shuffled.csv
vae-impute -m m.vae shuffled.csv |
	awk -F, -v OFS=, '{ print $4, $5, $3, $8, $7, $6, $1 }' | cmp - out.csv && echo "by name: same cells"
