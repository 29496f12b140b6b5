# Text is written back as read: quoted fields (commas, quotes, line breaks)
# come out quoted as RFC 4180 requires, other fields byte for byte, in TSV
# as in CSV; a header line the input lacks is not made up; only the
# missing model cells change.
. "$TOP/tests/setup"
awk -v n=200 -v seed=3 -v header=1 -f "$TOP/tests/gen-manifold.awk" | cut -d, -f1-3 > train.csv
vae-fit -q --missing mask -e 20 -j 1 -o m.vae train.csv
printf 'note,x1,x2,x3\n"a, b",1.50,,+0.1\n"say ""hi""",-2e-1,0.20,0.30\n"two\nlines",,0.2,0.3\n' > q.csv
vae-impute -m m.vae q.csv > q.out
# the notes and observed cells as read; one cell filled in rows 1 and 3
sed -n '1p;3,4p' q.out
grep -c '^"a, b",1\.50,-*[0-9][-+0-9.e]*,+0\.1$' q.out
awk -F, 'NR == 5 && $1 == "lines\"" && $2 ~ /[0-9]/ && $3 == "0.2" && $4 == "0.3" { print "row 3: filled" }' q.out
# TSV in, TSV out, no header line when the input has none
printf '0.1\t\t0.3\n0.4\t0.5\t0.6\n' > t.tsv
vae-impute -m m.vae t.tsv > t.out
awk -F'\t' 'NF == 3 && $1 == "0.1" && $2 != "" && $3 == "0.3" { print "tsv: filled" }
	NF == 3 && $0 == "0.4\t0.5\t0.6" { print "tsv: as read" }' t.out
wc -l < t.out | tr -d ' '
