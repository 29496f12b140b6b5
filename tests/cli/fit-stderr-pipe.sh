# Off a terminal vae-fit says one summary line at the end, not one per
# epoch (-q: none), and 2>&1 | head leaves the model written.
. "$TOP/tests/setup"
vae-fit -e 30 -o m.vae "$DATA/tiny.csv" 2> fit.err
wc -l < fit.err
sed 's/ in [0-9.]* s:/ in T s:/; s/-*[0-9]\.[0-9]*/N/g' fit.err
vae-fit -e 4 --val 0.25 -o v.vae "$DATA/tiny.csv" 2>&1 |
	sed 's/ in [0-9.]* s:/ in T s:/; s/-*[0-9]\.[0-9]*/N/g; s/kept epoch [0-9]*/kept epoch E/'
vae-fit -q -e 30 -o q.vae "$DATA/tiny.csv" 2> q.err
wc -c < q.err
rm m.vae
vae-fit -e 30 -o m.vae "$DATA/tiny.csv" 2>&1 | head -2 > /dev/null
vae-info m.vae > /dev/null && echo "2>&1 | head -2: model written"
