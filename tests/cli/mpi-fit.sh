# vae-fit on 2 processes under mpirun trains the model that one process
# trains with the same seed and batch, but for rounding: the processes'
# gradients add up to the one-process gradient in another order.  On a
# table (text categories, counts, missing cells; every size chosen by
# default) and on numbers with a validation share, both trimmed (the
# default for text).  The latent means differ by float32 rounding grown
# over the steps (1e-7 to 2e-6 here); 1e-3 is far below the 1 and more
# by which a fit with another seed differs, also checked, and the
# training record but its losses (epochs, kept epoch, rows, sizes) must
# be the same.  Rounding grows with the steps, the faster for trimming,
# whose cut between near scores it may move: after 118 epochs of the
# numbers the latent means differ by 0.006, as between -j 1 and -j 2.
# Rows beyond --memory go through each host's spool, each process then
# holding its share alone.  A label is refused: it trains in one process.
. "$TOP/tests/setup"
if ! vae-fit --version | grep -q MPI; then
	echo "skipped: vae-fit was built without MPI (make MPI=1)" >&2
	exit 77
fi
if ! command -v mpirun > /dev/null; then
	echo "skipped: needs mpirun (openmpi-bin)" >&2
	exit 77
fi
[ "$(id -u)" != 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi() { timeout 300 mpirun -np 2 --oversubscribe "$@"; }

# max |a - b| over the numbers of two vae-enc outputs (the first column an id)
maxdiff() {
	paste -d, "$1" "$2" | awk -F, 'NR > 1 { n = NF / 2
		for (i = 2; i <= n; i++) { d = $i - $(i + n); d = d < 0 ? -d : d; m = d > m ? d : m } }
		END { printf "%.9f\n", m }'
}
# the model's record and shapes, without its name and score quantiles
record() { vae-info "$1" | sed -e 1d -e '/loss: /d' -e '/^score quantiles/,$d'; }
same() {        # same MODEL_A MODEL_B DATA: equal up to rounding
	record "$1" > a.info
	record "$2" > b.info
	cmp a.info b.info
	vae-enc -m "$1" -k 1 -p 9 "$3" > a.enc
	vae-enc -m "$2" -k 1 -p 9 "$3" > b.enc
	awk -v d="$(maxdiff a.enc b.enc)" 'BEGIN { exit !(d < 1e-3) }'
}

cp "$TOP/examples/customers.csv" table.csv
awk 'BEGIN { srand(3); for (i = 0; i < 2400; i++) { t = rand() * 6.28
	printf "%d,%.4f,%.4f,%.4f,%.4f\n", i, sin(t), cos(t), sin(2 * t) + rand() * 0.1, t } }' > numbers.csv
numbers='-e 20 --val 0.1 --patience 5'
for f in table numbers; do
	o=; [ $f = table ] || o=$numbers
	vae-fit -j 1 -s 5 -k 1 $o -o $f.one $f.csv 2> $f.one.err
	mpi vae-fit -j 1 -s 5 -k 1 $o -o $f.two $f.csv 2> $f.err
	same $f.one $f.two $f.csv
	# process 0 alone speaks, as one process does; its summary counts them
	[ "$(grep -c '^vae-fit:' $f.err)" = "$(grep -c '^vae-fit:' $f.one.err)" ]
	grep -q 'rows in .* s on 2 processes: loss' $f.err
done
grep -q 'val ' numbers.err
vae-fit -q -j 1 -s 6 -k 1 $numbers -o other numbers.csv
vae-enc -m other -k 1 -p 9 numbers.csv > c.enc
vae-enc -m numbers.one -k 1 -p 9 numbers.csv > a.enc
awk -v d="$(maxdiff a.enc c.enc)" 'BEGIN { exit !(d > 0.5) }'

# an error on the processes ends them all with its status, and no model
rc=0
mpi vae-fit -j 1 -o m.vae missing.csv 2> /dev/null || rc=$?
[ $rc = 66 ]
[ ! -e m.vae ]

# a label trains in one process: under two, a usage error, and no model
. "$TOP/tests/gen-labels.sh"
labelled 60 > labels.csv
rc=0
mpi vae-fit -j 1 -k id --label kind -e 1 -o l.vae labels.csv 2> label.err || rc=$?
[ $rc = 64 ]
[ ! -e l.vae ]
grep -q -e '--label: a model with a label trains in one process' label.err

# rows beyond --memory: each process reads its share from the spool into
# memory, and trains the model of the processes that held every row, bit
# for bit (the same scaling, the same rows); a share that outgrows
# --memory too is an error that says to run more processes
awk -v n=30000 -v seed=5 -f "$TOP/tests/gen-manifold.awk" > big.csv
mpi vae-fit -q -j 1 -s 5 -e 2 -o big.mem big.csv
mpi vae-fit -j 1 -s 5 -e 2 --memory 1M -o big.disk big.csv 2> big.err
grep -q 'the rows outgrow --memory 1M: spooled' big.err
cmp big.mem big.disk
cat big.csv big.csv > twice.csv
rc=0
mpi vae-fit -j 1 -e 1 --memory 1M -o t.vae twice.csv 2> twice.err || rc=$?
[ $rc = 64 ] && grep -q 'rows this process holds outgrow --memory 1M: run more processes' twice.err
