# A row's score does not depend on the rows read with it: the whole file,
# row by row (-u) and three uneven parts all give the same bytes.  (BLAS
# chooses kernels by the number of rows; inference runs in fixed blocks.)
. "$TOP/tests/setup"
blas_rows_or_skip 64,10 10,64 4,64 64,2 20,64   # 10 -> 64 -> [2] -> 64 -> 10
ex=$TOP/examples/metrics-week.csv
vae-fit -q -j 1 -e 5 -k time,host -o m.vae "$ex"
vae-score -m m.vae -k time "$ex" > whole
vae-score -m m.vae -k time -u "$ex" > unbuffered
cmp whole unbuffered
head -1 "$ex" > h
{ cat h; sed -n '2,8p' "$ex"; } > p1.csv
{ cat h; sed -n '9,1001p' "$ex"; } > p2.csv
{ cat h; sed -n '1002,$p' "$ex"; } > p3.csv
vae-score -m m.vae -k time p1.csv p2.csv p3.csv > parts
cmp whole parts
vae-enc -m m.vae --sample -s 9 -k time "$ex" > enc-whole
vae-enc -m m.vae --sample -s 9 -k time p3.csv p1.csv p2.csv | sort > enc-parts
sort enc-whole | cmp - enc-parts
