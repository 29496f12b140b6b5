# SIGINT, SIGTERM and SIGHUP end a program without leaving its -o
# temporary behind, the file it would have replaced as it was, and the
# status of a death by that signal (128 + its number); and vae-fit with an
# -o it cannot create fails before it trains.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
echo old > out.csv
cp m.vae old.vae
mkfifo rows
# wait_for GLOB: until a file matches (at most 20 s)
wait_for() {
	i=0
	while ! ls $1 > /dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 400 ] || { echo "no $1 after 20 s" >&2; exit 1; }
		sleep 0.05
	done
}
for sig in INT TERM HUP; do
	# a filter waiting for rows that do not come: its temporary exists
	exec 3<> rows                   # hold the fifo open, so the reader blocks
	# (a background job of a script ignores SIGINT unless told otherwise)
	env --default-signal vae-score -m m.vae -o out.csv rows & pid=$!
	wait_for 'out.csv.*'
	kill -s $sig $pid
	rc=0; wait $pid || rc=$?
	exec 3>&-
	echo "vae-score, SIG$sig: status $rc, left: $(ls | grep -c 'out.csv\.' || :) temporaries, out.csv: $(cat out.csv)"
done
# vae-fit, stopped while it trains (the rows come whole, then it trains long)
awk 'BEGIN { OFS = ","; srand(1); print "a,b,c"; for (i = 0; i < 20000; i++) print rand(), rand(), rand() }' > big.csv
vae-fit -q -e 100000 -o m.vae big.csv & pid=$!
wait_for 'm.vae.*'
kill -s TERM $pid
rc=0; wait $pid || rc=$?
echo "vae-fit, SIGTERM: status $rc, left: $(ls | grep -c 'm.vae\.' || :) temporaries, m.vae unchanged: $(cmp -s m.vae old.vae && echo yes || echo no)"
rc=0; vae-fit -q -e 100000 -o nowhere/m.vae big.csv 2> err || rc=$?
echo "vae-fit -o nowhere/m.vae: status $rc, $(sed 's/^vae-fit: //' err)"
