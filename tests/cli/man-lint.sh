# Every man page is mandoc -Tlint clean: any message fails the test.
# Two kinds of message depend on the machine, not on the page, and are
# dropped: a reference to one of our own pages (man/NAME.SEC exists, but is
# not installed where mandoc looks), and mandoc's note that a page it found
# is missing from an outdated mandoc.db.
. "$TOP/tests/setup"
command -v mandoc > /dev/null || { echo "mandoc not found: apt-get install mandoc"; exit 1; }
status=0 pages=0
for page in "$TOP"/man/*.[157]; do
	[ -f "$page" ] || continue
	pages=$((pages + 1))
	mandoc -Tlint "$page" > lint.out 2>&1 || :   # non-zero when it has something to say
	while IFS= read -r msg; do
		case $msg in
		*"outdated mandoc.db lacks "*) continue ;;
		*"STYLE: referenced manual not found: Xr "*)
			ref=${msg#*Xr }
			name=${ref%% *} sec=${ref#* }
			sec=${sec%% *}
			[ -f "$TOP/man/$name.$sec" ] && continue ;;
		esac
		echo "$msg"
		status=1
	done < lint.out
done
[ "$pages" -gt 0 ] || { echo "no man pages in $TOP/man"; exit 1; }
exit $status
