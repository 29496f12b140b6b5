# examples/logs.sh on three days of a smaller log: the features have one row
# per 5 minutes, the fit works, the four injected incidents are flagged with
# the columns that make them odd, and a normal day is quiet (exit 1).
. "$TOP/tests/setup"
ex=$TOP/examples
DAYS=3 RATE=50 WORK=$TMP/w MAILTO= sh "$ex/logs.sh" > "$TMP/out.txt"
cd w
H=time,requests,unique_ips,top_ip_share,err4xx,share_4xx,err5xx,posts,login_fails,paths,mean_kb,max_kb,p95_ms

# features: the header, 288 windows a day from 00:00 to 23:55 UTC, in order,
# every field but the time a number
for f in week day quiet; do test "$(head -1 $f-features.csv)" = "$H"; done
test "$(wc -l < week-features.csv)" -eq $((3 * 288 + 1))
test "$(wc -l < day-features.csv)" -eq 289
sed -n 2p week-features.csv | grep -q '^2026-11-02T00:00:00Z,'
tail -1 week-features.csv | grep -q '^2026-11-04T23:55:00Z,'
sed -n 2p day-features.csv | grep -q '^2026-11-05T00:00:00Z,'
tail -1 day-features.csv | grep -q '^2026-11-05T23:55:00Z,'
tail -n +2 week-features.csv | sort -c
tail -n +2 week-features.csv | awk -F, 'NF != 13 { exit 1 }
	{ for (i = 2; i <= 13; i++) if ($i !~ /^[0-9]+(\.[0-9]+)?$/) exit 1 }'

# the fit
vae-info logs.vae | grep -qx 'training rows: 864'
vae-info logs.vae | grep -qx 'likelihood: laplace'

# the incident day: exit 0, and each incident window flagged with a fitting
# first explanation; at most two other windows
vae-score -m logs.vae -k time -t p99.9 --explain 3 day-features.csv > a.csv
head -1 a.csv | grep -qx "time,elbo,explain1,explain2,explain3,$H"
cmp a.csv day-anomalies.csv
awk -F, 'NR == 1 { next }
	{ t = substr($1, 12, 5); split($3, x, ":"); why[t] = x[1]; n++ }
	function want(t, ok) { if (!(t in why)) { print "not flagged: " t; bad++ }
	                       else if (index(" " ok " ", " " why[t] " ") == 0) { print t " explained by " why[t]; bad++ } }
	END { want("03:10", "err4xx share_4xx top_ip_share paths")   # the scanner
	      want("03:15", "err4xx share_4xx top_ip_share paths")
	      want("10:00", "err5xx p95_ms")                          # the outage
	      want("10:05", "err5xx p95_ms")
	      want("10:10", "err5xx p95_ms")
	      want("14:30", "mean_kb max_kb")                         # the downloads
	      want("20:30", "login_fails posts err4xx share_4xx")     # credential stuffing
	      want("20:35", "login_fails posts err4xx share_4xx")
	      if (n > 10) { print n " windows flagged"; bad++ }
	      exit bad > 0 }' a.csv >&2
grep -q '^exit 0: would mail (set MAILTO to send) "access-log anomalies: [0-9]* windows over p99.9":$' "$TMP/out.txt"
grep -q 'requests: busiest client 198.51.100.23 (250), commonest status 404' "$TMP/out.txt"

# a normal day over the highest training score: none, exit 1, the header alone
if vae-score -m logs.vae -k time -t p100 --explain 3 quiet-features.csv > q.csv; then
	echo "a window of the normal day over p100" >&2; cat q.csv >&2; exit 1
else
	test $? -eq 1
fi
test "$(cat q.csv)" = "time,elbo,explain1,explain2,explain3,$H"

# log-features.awk: the time zone is honoured; a line not in the format is an
# error unless skip=1, and then it is counted
cat > tz.log <<'EOF'
192.0.2.1 - - [05/Nov/2026:01:02:03 +0100] "GET / HTTP/1.1" 200 1000 "-" "curl/8.5.0" 0.010
192.0.2.2 - - [05/Nov/2026:00:06:00 +0000] "POST /login HTTP/1.1" 401 2000 "-" "curl/8.5.0" 0.200
garbage
EOF
if awk -f "$ex/log-features.awk" tz.log > bad.csv 2> bad.err; then exit 1; else test $? -eq 65; fi
grep -q '^log-features: tz.log:3: ' bad.err
awk -v skip=1 -f "$ex/log-features.awk" tz.log > tz.csv 2> tz.err
grep -q 'log-features: 1 line not in the combined log format skipped' tz.err
test "$(sed -n 2p tz.csv)" = "2026-11-05T00:00:00Z,1,1,1.0000,0,0.0000,0,0,0,1,1.00,1.0,10"
# p95_ms is the middle of a 10%-wide bucket: 198 for 200 ms
test "$(sed -n 3p tz.csv)" = "2026-11-05T00:05:00Z,1,1,1.0000,1,1.0000,0,1,1,1,2.00,2.0,198"
test "$(wc -l < tz.csv)" -eq 3

# the picture's data: every window of the day scored, as many over the p99.9
# that vae-info lists as vae-score -t p99.9 flagged; the picture a 480x360
# PNG (its signature and IHDR) when gnuplot is installed
test "$(head -1 day-scores.csv)" = time,elbo
test "$(wc -l < day-scores.csv)" -eq 289
line=$(grep "^p99.9 of the training windows' elbo: " "$TMP/out.txt")
t=${line#*: } t=${t%%;*}
over=$(awk -F, -v t="$t" 'NR > 1 && $2 > t { n++ } END { print n + 0 }' day-scores.csv)
test "$over" -eq $(($(wc -l < day-anomalies.csv) - 1))
test "${line#*; }" = "$over of the day's windows over it"
if command -v gnuplot > /dev/null; then
	test "$(od -An -tx1 -N24 day-scores.png | tr -d ' \n')" = 89504e470d0a1a0a0000000d49484452000001e000000168
else
	grep -qx 'gnuplot is not installed: day-scores.png skipped' "$TMP/out.txt"
fi
