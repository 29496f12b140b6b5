# --help and -h print usage to stdout and exit 0; --version and -V print the
# program's and the library's version; nothing on stderr, no model needed.
. "$TOP/tests/setup"
for p in vae-fit vae-enc vae-dec vae-score vae-sample vae-info vae-impute; do
	for opt in --help -h; do
		$p $opt > out
		head -1 out | grep -q "^usage: $p " && echo "$p $opt: usage, $(grep -c -e '--help' out) line on --help"
	done
	for opt in --version -V; do
		$p $opt > out
		grep -q "^$p .*[0-9]\.[0-9].*library .*[0-9]\.[0-9]" out && echo "$p $opt: $(wc -l < out | tr -d ' ') line, versions"
	done
done
