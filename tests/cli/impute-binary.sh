# -O npy holds the model columns alone, in the model's order, as float32:
# a binary or cat cell as its level's index (levels in byte order), a count
# whole, observed cells as read and missing ones filled; no kept field, no
# header.  And NPY in, CSV out: the levels' indices print as their text,
# the other numbers as read (%.17g).
. "$TOP/tests/setup"
. "$TOP/tests/gen-customers.sh"
table 300 7 | holes > train.csv
vae-fit -q -k id --missing mask --types age:count -e 20 -j 1 -o m.vae train.csv
table 40 11 | holes > gaps.csv
vae-impute -m m.vae -O npy --compress 0 -o out.npy gaps.csv
hlen=$(od -An -tu2 -j 8 -N 2 out.npy | tr -d ' ')
head -c $((10 + hlen)) out.npy | tail -c +11 | grep -o "'shape': ([0-9]*, [0-9]*)"
echo "data: $(( $(wc -c < out.npy) - 10 - hlen )) bytes"
# six floats a row: age plan visits spend churned score
tail -c +$((11 + hlen)) out.npy | od -An -v -tf4 -w24 > out.txt
awk 'NR == FNR { if (FNR > 1) row[FNR - 1] = $0; next }
	function na(s) { return s ~ /^(|NA|N\/A|n\/a|NaN|nan|NULL|null|\?)$/ }
	{
		split(row[FNR], c, ",")
		level["basic"] = 0; level["max"] = 1; level["pro"] = 2; level["no"] = 0; level["yes"] = 1
		if ($1 != int($1) || $1 < 0 || $3 != int($3) || $3 < 0) bad_count++
		if ($2 !~ /^[012]$/ || $5 !~ /^[01]$/) bad_level++
		if ($4 <= 0) bad_number++
		if (!na(c[2]) && $1 != c[2]) bad_observed++
		if (!na(c[3]) && $2 != level[c[3]]) bad_observed++
		if (!na(c[4]) && $3 != c[4]) bad_observed++
		if (!na(c[6]) && $5 != level[c[6]]) bad_observed++
	}
	END {
		printf "rows: %d\n", FNR
		printf "counts: %d not whole\n", bad_count
		printf "levels: %d not indices\n", bad_level
		printf "spend: %d not positive\n", bad_number
		printf "observed cells: %d differ\n", bad_observed
	}' FS=, gaps.csv FS=' ' out.txt
command -v python3 > /dev/null || { echo "skipped: needs python3 to write NPY" >&2; exit 77; }
python3 -c 'import struct, sys
rows = [(40, 2, 1, 18.73, 1, -0.214), (63, 1, float("nan"), 62.49, 0, 1.028),
        (40, float("nan"), 1, 18.73, 1, -0.214)]
head = "{\x27descr\x27: \x27<f4\x27, \x27fortran_order\x27: False, \x27shape\x27: (3, 6), }"
head += " " * (63 - (10 + len(head)) % 64) + "\n"
out = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head.encode()
out += b"".join(struct.pack("<6f", *r) for r in rows)
sys.stdout.buffer.write(out)' > in.npy
vae-impute -m m.vae -O csv in.npy > npy.csv
head -1 npy.csv
awk -F, 'NR == 2 && $1 == 63 && $2 == "max" && $3 ~ /^[0-9]+$/ && $5 == "no" { print "row 2: visits filled" }
	NR == 3 && $2 ~ /^(basic|max|pro)$/ && $5 == "yes" { print "row 3: plan filled" }' npy.csv
