# Rows beyond --memory: spooled as float32 in TMPDIR and streamed in
# shuffled blocks each epoch, said on stderr; the model learns as one
# trained in memory (test -ELBO within 10%), a table's columns come out the
# same scaling, kinds and levels, and a bad size or spool directory is an error.
. "$TOP/tests/setup"
awk -v n=30000 -v seed=5 -f "$TOP/tests/gen-manifold.awk" > train.csv
awk -v n=2000 -v seed=6 -f "$TOP/tests/gen-manifold.awk" > test.csv
summary() { sed -e 's/ in [0-9.]* s: .*/ .../' -e 's/float32 in .* and streamed/float32 in TMPDIR and streamed/'; }
vae-fit -j 1 -e 3 -b 64 --memory 1M -o disk.vae train.csv 2>&1 | summary
vae-fit -q -j 1 -e 3 -b 64 -o mem.vae train.csv
vae-score -m disk.vae --metric elbo test.csv > disk.scores
vae-score -m mem.vae --metric elbo test.csv > mem.scores
paste disk.scores mem.scores | awk '{ d += $1; m += $2 } END {
	print (d / NR < m / NR + 0.1 * (m / NR < 0 ? -m / NR : m / NR) ? "streamed: test -ELBO within 10% of in memory" \
	       : "streamed: test -ELBO " d / NR " against " m / NR " in memory") }'
# a table with text: its kinds and levels decided on the spool
sh "$TOP/examples/customers.sh" 40000 3 full > customers.csv
vae-fit -j 1 -e 1 -k id --memory 1M -o tdisk.vae customers.csv 2>&1 | summary
vae-fit -q -j 1 -e 1 -k id -o tmem.vae customers.csv
columns() { vae-info "$1" | sed -n '/^columns:/,/^training rows/p'; }
columns tdisk.vae > tdisk.info
columns tmem.vae > tmem.info
cmp tdisk.info tmem.info && echo "table: the same scaling, kinds and levels from the spool"
vae-info tdisk.vae | grep -E '^(training rows|validation share)'
vae-fit -q --memory 10 -o x.vae train.csv 2>&1 || echo "exit $?"
vae-fit -q --memory 2X -o x.vae train.csv 2>&1 || echo "exit $?"
TMPDIR=/nonexistent vae-fit -q --memory 1M -o x.vae train.csv 2>&1 || echo "exit $?"
