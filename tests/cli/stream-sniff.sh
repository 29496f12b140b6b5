# The delimiter is sniffed from the whole first line even when a pipe
# delivers it in pieces (a slow producer, ssh, tail -f): TSV whose first
# read ends before the first tab reads as the same TSV file does.
. "$TOP/tests/setup"
printf 'alpha\tbeta\tgamma\n' > t.tsv
sed 1d "$DATA/tiny.csv" | tr , '\t' >> t.tsv
vae-fit -q -e 1 -j 1 -o m.vae t.tsv
vae-score -m m.vae t.tsv > want.out
{ printf 'alp'; sleep 0.2; tail -c +4 t.tsv; } | vae-score -m m.vae > got.out || :
cmp -s got.out want.out && echo "vae-score: same scores"
{ printf 'alp'; sleep 0.2; tail -c +4 t.tsv; } | vae-fit -q -e 1 -j 1 -o piped.vae || :
cmp -s m.vae piped.vae && echo "vae-fit: same model"
