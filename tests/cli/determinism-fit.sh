# Two vae-fit runs with the same seed and -j 1 write byte-identical models;
# another seed writes another model.
. "$TOP/tests/setup"
vae-fit -q -e 3 -j 1 -s 42 -o a.vae "$DATA/tiny.csv"
vae-fit -q -e 3 -j 1 -s 42 -o b.vae "$DATA/tiny.csv"
vae-fit -q -e 3 -j 1 -s 42 < "$DATA/tiny.csv" > c.vae
vae-fit -q -e 3 -j 1 -s 43 -o d.vae "$DATA/tiny.csv"
cmp a.vae b.vae && cmp a.vae c.vae && echo "seed 42 twice: identical"
cmp -s a.vae d.vae || echo "seed 43: different"
vae-info d.vae | grep '^seed:'
