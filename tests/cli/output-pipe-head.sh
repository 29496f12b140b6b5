# A closed output pipe (| head -1) ends the program quietly: exit 0 or 141
# (SIGPIPE), nothing on stderr.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
awk -v n=20000 -f "$TOP/tests/gen-manifold.awk" | cut -d, -f1-3 > long.csv
{ rc=0; vae-sample -m m.vae -n 50000 2> sample.err || rc=$?; echo $rc > sample.rc; } | head -1
{ rc=0; vae-score -m m.vae long.csv 2> score.err || rc=$?; echo $rc > score.rc; } | head -1 | wc -l
{ rc=0; vae-enc -m m.vae long.csv 2> enc.err || rc=$?; echo $rc > enc.rc; } | head -1 | wc -l
for p in sample score enc; do
	case $(cat $p.rc) in 0|141) echo "$p: quiet exit" ;; *) echo "$p: exit $(cat $p.rc)" ;; esac
	cat $p.err
done
