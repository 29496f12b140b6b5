# Random draws depend on the seed and the row alone: vae-enc --sample (and
# vae-dec --sample) give each row the same output whether the file is
# processed whole, in two halves, or row by row (-u); another seed differs.
. "$TOP/tests/setup"
blas_rows_or_skip 64,3 4,64 64,2 3,64 6,64   # 3 -> 64 -> [2] -> 64 -> 3
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
head -13 "$DATA/tiny.csv" > half1.csv
(head -1 "$DATA/tiny.csv"; tail -n +14 "$DATA/tiny.csv") > half2.csv
vae-enc -m m.vae --sample -s 7 "$DATA/tiny.csv" > whole.out
{ vae-enc -m m.vae --sample -s 7 half1.csv; vae-enc -m m.vae --sample -s 7 half2.csv | tail -n +2; } |
	cmp - whole.out && echo "vae-enc --sample: halves = whole"
vae-enc -m m.vae --sample -s 7 -u < "$DATA/tiny.csv" | cmp - whole.out && echo "vae-enc --sample -u: same"
vae-enc -m m.vae --sample -s 8 "$DATA/tiny.csv" | cmp -s - whole.out || echo "vae-enc --sample -s 8: different"
vae-enc -m m.vae "$DATA/tiny.csv" | cmp -s - whole.out || echo "vae-enc: the mean differs from a draw"
vae-enc -m m.vae "$DATA/tiny.csv" > z.csv
head -13 z.csv > z1.csv
(head -1 z.csv; tail -n +14 z.csv) > z2.csv
vae-dec -m m.vae --sample -s 7 z.csv > whole.out
{ vae-dec -m m.vae --sample -s 7 z1.csv; vae-dec -m m.vae --sample -s 7 z2.csv | tail -n +2; } |
	cmp - whole.out && echo "vae-dec --sample: halves = whole"
