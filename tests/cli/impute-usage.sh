# vae-impute's usage: --help on stdout within 80 columns, with the default
# of --draws and of --missing; -V; a usage error (64) for no model, an
# unknown option, --draws with --sample, a bad --draws or --missing, each
# one line pointing to --help.
. "$TOP/tests/setup"
vae-impute --help > help.out
head -1 help.out
awk 'length > 80 { print "too wide: " $0 }' help.out
grep -e '--draws' -e '--missing' -e '\[mask\]' -e '\[10\]' help.out
vae-impute -V | grep -q '^vae-impute .*[0-9]\.[0-9].*library .*[0-9]\.[0-9]' && echo "-V: versions"
for args in '' '--bogus' '-m m.vae --draws 3 --sample' '-m m.vae --draws x' '-m m.vae --draws 100001' \
	'-m m.vae --missing maybe' '-m m.vae -O npy -o'; do
	rc=0
	vae-impute $args < /dev/null > /dev/null || rc=$?
	echo "[$args]: exit $rc"
done
