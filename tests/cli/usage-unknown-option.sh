# An unknown option, or one missing its argument, is a usage error (64) on
# every program: one line on stderr, naming the option, pointing to --help.
. "$TOP/tests/setup"
for p in vae-fit vae-enc vae-dec vae-score vae-sample vae-info vae-impute; do
	for opt in --bogus -x -o; do
		rc=0
		$p $opt < /dev/null > out 2> err || rc=$?
		name=${opt#-}
		name=${name#-}
		says="lines $(wc -l < err | tr -d ' ')"
		grep -q -e "$opt" -e "'$name'" err && says="$says, names it"
		grep -q "'$p --help'" err && says="$says, points to --help"
		grep -q "^$p: " err && says="$says, prefixed"
		echo "$p $opt: exit $rc, $says"
	done
done
