# -u answers each row before the next one is written: vae-score and vae-enc
# read a FIFO and write another; after the header and one row go in, the
# output header and that row's answer must come out, then the next row's.
# Each wait is bounded (timeout 10 s): a program that waits for more input
# fails the test instead of hanging it.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
for p in vae-score vae-enc; do
	$p -m m.vae "$DATA/tiny.csv" | head -3 > want.out
	rm -f in out
	mkfifo in out
	$p -u -m m.vae < in > out 2> err &
	pid=$!
	exec 3> in 4< out
	sed -n 1,2p "$DATA/tiny.csv" >&3
	if ! timeout 10 head -n 2 <&4 > got; then
		echo "$p: no answer to row 1 in 10 s"
		kill $pid; exit 1
	fi
	sed -n 3p "$DATA/tiny.csv" >&3
	if ! timeout 10 head -n 1 <&4 >> got; then
		echo "$p: no answer to row 2 in 10 s"
		kill $pid; exit 1
	fi
	exec 3>&-
	rc=0
	wait $pid || rc=$?
	cat <&4 > rest
	exec 4<&-
	cmp got want.out && echo "$p: each row answered at once, as without -u"
	echo "$p: exit $rc, $(wc -c < rest) bytes after the input ended"
	cat err
done
