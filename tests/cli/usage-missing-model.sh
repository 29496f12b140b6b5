# The programs that need a model refuse to run without -m: usage error (64),
# one line pointing to --help.  vae-info also takes the model as argument.
. "$TOP/tests/setup"
for p in vae-enc vae-dec vae-score vae-sample vae-info vae-impute; do
	$p "$DATA/tiny.csv" < /dev/null > /dev/null 2>&1 && echo "$p: ran without -m"
	$p < /dev/null || echo "$p: exit $?"
done
