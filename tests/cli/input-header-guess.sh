# Parts that split(1) cuts from a file with a header line: those after the
# first have none, and their first row holds text ids (time, host, kept
# with -k 1,2), so it looks like a header.  A model with column names takes
# a first row that names none of its columns for data when it reads as a
# row, so the parts give the scores of the whole, byte for byte (parts of
# 128 rows, a multiple of the 64-row blocks: every row keeps its place in
# its block, whatever the BLAS).  When it does not read as a row, the
# message says what was guessed and names --no-header; not with --header,
# which is no guess.
. "$TOP/tests/setup"
head -301 "$TOP/examples/metrics-week.csv" > week.csv
vae-fit -q -e 1 -j 1 -k time,host -o m.vae week.csv
vae-score -m m.vae -k 1,2 week.csv | tail -n +2 > whole.out
tail -n +2 week.csv | split -l 128 - r_
ls r_*
for p in r_*; do vae-score -m m.vae -k 1,2 "$p"; done | cmp - whole.out && echo "vae-score: parts = whole"
vae-enc -m m.vae -k 1 week.csv | tail -n +2 > whole.out
for p in r_*; do vae-enc -m m.vae -k 1 -f 3- "$p"; done | cmp - whole.out && echo "vae-enc -f 3-: parts = whole"
# vae-fit: the first input names the columns, the later ones are found by them
head -129 week.csv > head.csv
vae-fit -q -e 1 -j 1 -k 1,2 -o parts.vae head.csv r_ab r_ac && echo "vae-fit: head.csv r_ab r_ac read"
vae-fit -q -e 1 -j 1 -k 1,2 -o whole.vae week.csv && cmp parts.vae whole.vae && echo "vae-fit: same model"
# the host not kept: no row of the model's width
vae-score -m m.vae -k 1 r_ab > /dev/null || echo "exit $?"
vae-score -m m.vae -k 1 --no-header r_ab > /dev/null || echo "exit $?"
vae-score -m m.vae -k 1,2 --header r_ab > /dev/null || echo "exit $?"
# text in a model column of the first row
awk -F, -v OFS=, 'NR == 1 { $3 = "n/x" } { print }' r_ab > text.csv
vae-score -m m.vae -k 1,2 text.csv > /dev/null || echo "exit $?"
