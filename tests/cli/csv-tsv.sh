# A tab in the first line makes the input TSV: the output is TSV too (-O csv
# overrides), the numbers are those of the CSV, and kept fields are quoted
# by TSV's rules (a comma needs no quotes there).
. "$TOP/tests/setup"
tr , '\t' < "$DATA/tiny.csv" > tiny.tsv
vae-fit -q -e 1 -j 1 -o csv.vae "$DATA/tiny.csv"
vae-fit -q -e 1 -j 1 -o tsv.vae tiny.tsv
cmp csv.vae tsv.vae && echo "same model"
vae-enc -m csv.vae tiny.tsv > out.tsv
head -1 out.tsv | od -An -c | tr -s ' '
vae-enc -m csv.vae "$DATA/tiny.csv" | tr , '\t' | cmp - out.tsv && echo "same codes"
vae-enc -m csv.vae -O csv tiny.tsv | tr , '\t' | cmp - out.tsv && echo "-O csv: same codes"
printf 'note\ta\tb\tc\nhello, world\t1\t2\t3\n"tab\there"\t4\t5\t6\n' > kept.tsv
vae-score -m csv.vae -k note kept.tsv | cut -f1
vae-score -m csv.vae -k note -O csv kept.tsv | sed 's/,[^,"]*$//'
