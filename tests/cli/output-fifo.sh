# -o naming something that is not a regular file (a FIFO here; /dev/stdout or
# /dev/null alike) is written in place: never replaced by a renamed
# temporary file.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
vae-score -m m.vae "$DATA/tiny.csv" > want.out
vae-fit -q -e 1 -j 1 "$DATA/tiny.csv" > want.vae
for p in vae-score vae-fit; do
	mkfifo $p.fifo
	cat $p.fifo > got.out &
	reader=$!
	if [ $p = vae-score ]; then
		vae-score -m m.vae -o $p.fifo "$DATA/tiny.csv" || echo "$p: exit $?"
		want=want.out
	else
		vae-fit -q -e 1 -j 1 -o $p.fifo "$DATA/tiny.csv" || echo "$p: exit $?"
		want=want.vae
	fi
	if [ -p $p.fifo ]; then
		wait $reader
		cmp got.out $want && echo "$p: written into the FIFO"
	else
		kill $reader 2> /dev/null || :
		echo "$p: the FIFO was replaced by a $(ls -l $p.fifo | cut -c1) file"
	fi
	ls | grep -c "^$p.fifo." || :
done
