# Every line of every program's --help fits in 80 columns, so that none
# wraps on a terminal of the usual width.
. "$TOP/tests/setup"
status=0
for p in vae-fit vae-enc vae-dec vae-score vae-sample vae-info vae-impute; do
	"$p" --help | awk -v p="$p" 'length > 80 { print p ": " length " columns: " $0; bad = 1 }
		END { exit bad }' || status=1
done
exit $status
