# Each program's page and its --help name the same long options: every
# --xxx that PROG --help prints is in man/PROG.1 as "Fl \-xxx" (or "Fl -xxx"),
# and every such "Fl" long option of the page is in --help.
. "$TOP/tests/setup"
status=0
for prog in vae-fit vae-enc vae-dec vae-score vae-sample vae-info vae-impute; do
	page=$TOP/man/$prog.1
	if [ ! -f "$page" ]; then
		echo "$prog: no man page $page"
		status=1
		continue
	fi
	"$prog" --help | grep -o -e '--[a-z][a-z0-9-]*' | sort -u > help.opts
	grep -o 'Fl \\*-[a-z][a-z0-9-]*' "$page" | sed 's/^Fl \\*-/--/' | sort -u > page.opts
	for o in $(comm -23 help.opts page.opts); do
		echo "$prog: $o is in --help but not in man/$prog.1"
		status=1
	done
	for o in $(comm -13 help.opts page.opts); do
		echo "$prog: $o is in man/$prog.1 but not in --help"
		status=1
	done
done
exit $status
