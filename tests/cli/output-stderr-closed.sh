# A closed stderr never kills a program (SIGPIPE is ignored, and what
# cannot be written there is dropped): vae-fit still writes its model and
# a filter its rows, exit 0.  Each input comes through a FIFO fed only once
# the reader of stderr has closed it, so the write to it surely fails.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
mkfifo in
{ rc=0; vae-fit -e 3 -o n.vae in 2>&1 || rc=$?; echo $rc > fit.rc; } | { exec <&-; cat "$DATA/tiny.csv" > in; }
echo "vae-fit: exit $(cat fit.rc)"
vae-info n.vae > /dev/null && echo "vae-fit: model written"
printf 'a,b,c\n1,2,3\nNA,1,1\n' > gaps.csv
{ rc=0; vae-score -m m.vae --missing skip -o s.csv in 2>&1 || rc=$?; echo $rc > score.rc; } | { exec <&-; cat gaps.csv > in; }
echo "vae-score: exit $(cat score.rc), $(wc -l < s.csv) lines"
