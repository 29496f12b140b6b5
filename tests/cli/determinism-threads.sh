# Every per-row output is the same whatever the thread count (-j): inference
# runs each block on one thread, and threads share out whole blocks.  (With
# -j spread over the products, 784-400 layers differed in the last digits.)
. "$TOP/tests/setup"
awk 'BEGIN { srand(7); for (i = 0; i < 500; i++) { for (j = 0; j < 784; j++)
	printf "%s%.3f", j ? "," : "", sin(i * 0.01 * (j % 7 + 1)) + rand() * 0.1; print "" } }' > wide.csv
vae-fit -q -e 1 -j 1 -H 400 -z 20 -o m.vae wide.csv
for j in 1 2 3; do
	vae-score -m m.vae -j $j -p 9 wide.csv > score.$j
	vae-enc -m m.vae -j $j -p 9 --sample wide.csv > enc.$j
	vae-dec -m m.vae -j $j -p 9 enc.1 > dec.$j
done
for f in score enc dec; do
	cmp $f.1 $f.2
	cmp $f.1 $f.3
done
