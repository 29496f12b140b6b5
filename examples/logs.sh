#!/bin/sh
# logs.sh: anomaly detection in web-server access logs, end to end, the way a
# cron job would run it.  Runs from a fresh build in a few seconds.
#
# 1. make-access-log.awk writes a week of a small shop's access log (Apache
#    or nginx "combined" format plus the request time), then one more day
#    with four incidents: a vulnerability scanner at 03:10, a backend outage
#    at 10:00, a large-download spike at 14:30 and credential stuffing at
#    20:30; and a quiet day without any.
# 2. log-features.awk turns a log into one CSV row per 5-minute window:
#    requests, unique_ips, top_ip_share, err4xx, share_4xx, err5xx, posts,
#    login_fails, paths, mean_kb, max_kb, p95_ms (and the time, not a model
#    column).  POSIX awk; point it at your own logs.
# 3. vae-fit learns what a normal window looks like from the week.  The
#    laplace likelihood has heavier tails than the gaussian, so the odd
#    quiet-hour download or lone 500 of normal traffic is seldom an alert:
#    of 5760 windows of 20 normal days, 6 were over p99.9, the 0.1% it
#    promises (about one day in three mails one window, as the quiet day
#    below may).
# 4. vae-score prints the windows of the new day whose score is over the
#    99.9th percentile of the training windows' (-t p99.9), each with the
#    three columns that explain most of its reconstruction error, and exits
#    like grep: 0 when some window was over (alert), 1 when none, >1 on error.
# 5. day-scores.png: every window of the incident day scored, over time, and
#    the p99.9 line, drawn by gnuplot (skipped, and said so, without it).
#
# The crontab lines for the morning, once logrotate has moved yesterday's
# log to access.log.1 (errors go to stderr, which cron mails to the
# crontab's owner; cron's own PATH is /usr/bin:/bin):
#
#   PATH=/usr/local/bin:/usr/bin:/bin
#   # m h dom mon dow  command
#   15 7 * * *  cd /srv/logscore && awk -f log-features.awk /var/log/nginx/access.log.1 > day.csv && if vae-score -m week.vae -k time -t p99.9 --explain 3 day.csv > anomalies.csv; then mail -s "access-log anomalies" ops@example.com < anomalies.csv; fi
#
# (nginx logs the request time with log_format ... '$request_time' after the
# combined fields; refit the model now and then on a recent normal week.)
#
# Environment: DAYS days of normal traffic [7]; RATE requests per 5 minutes
# at the daily peak [100]; EPOCHS [200]; MAILTO an address to mail the report
# to with mail(1), when it is installed (otherwise the report is printed);
# WORK a directory to keep the files and the picture in (default: a
# temporary one, removed; the week's log is about 25 MB).
set -eu
DAYS=${DAYS:-7} RATE=${RATE:-100} EPOCHS=${EPOCHS:-200}
. "$(dirname "$0")/work.sh"

echo "== logs: $DAYS days of normal traffic, a day with incidents, a quiet day"
awk -v days="$DAYS" -v rate="$RATE" -v seed=1 -f make-access-log.awk > "$w/week.log"
awk -v start="$DAYS" -v days=1 -v rate="$RATE" -v seed=2 -v incidents=1 -f make-access-log.awk > "$w/day.log"
awk -v start=$((DAYS + 1)) -v days=1 -v rate="$RATE" -v seed=5 -f make-access-log.awk > "$w/quiet.log"
head -2 "$w/day.log" | cut -c 1-150
for f in week day quiet; do
	awk -f log-features.awk "$w/$f.log" > "$w/$f-features.csv"
	echo "$f.log: $(wc -l < "$w/$f.log") lines, $(($(wc -l < "$w/$f-features.csv") - 1)) windows"
done

echo "== features: one row per 5 minutes"
head -3 "$w/day-features.csv"

echo "== fit on the week"
vae-fit -q -k time -z 3 -l laplace -e "$EPOCHS" -o "$w/logs.vae" "$w/week-features.csv"
vae-info "$w/logs.vae" | grep -E '^(architecture|likelihood|training rows|final loss):'

# The report: each window over the threshold with its three explaining
# columns, their values and their means over the week; then, from the log,
# the busiest client, the commonest status and the commonest path in it.
report() {   # anomalies.csv log
	drill=${1%.csv}-drill.txt
	awk 'BEGIN { split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " "); for (i = 1; i <= 12; i++) mon[m[i]] = i }
		FNR == NR { if (FNR > 1) { split($0, a, ","); flagged[a[1]] }; next }
		{ t = $4   # [dd/Mon/yyyy:HH:MM:SS; this log is in UTC
		  k = sprintf("%s-%02d-%sT%s:%02d:00Z", substr(t, 9, 4), mon[substr(t, 5, 3)], substr(t, 2, 2), substr(t, 14, 2), substr(t, 17, 2) - substr(t, 17, 2) % 5)
		  if (!(k in flagged)) next
		  if (++ip[k, $1] > ipn[k]) { ipn[k] = ip[k, $1]; ipv[k] = $1 }
		  if (++st[k, $9] > stn[k]) { stn[k] = st[k, $9]; stv[k] = $9 }
		  sub(/\?.*/, "", $7)
		  if (++pa[k, $7] > pan[k]) { pan[k] = pa[k, $7]; pav[k] = $7 }
		  n[k]++ }
		END { for (k in n) printf "%s,%d requests: busiest client %s (%d), commonest status %s (%d), path %s (%d)\n",
		                       k, n[k], ipv[k], ipn[k], stv[k], stn[k], pav[k], pan[k] }' "$1" "$2" > "$drill"
	awk -F, 'FILENAME == drill { k = $1; sub(/^[^,]*,/, ""); log_[k] = $0; next }
		FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
		FILENAME == week { for (i = 2; i <= NF; i++) { sum[i] += $i }; rows++; next }
		{ printf "%s  score %.4g\n", $1, $2
		  for (e = 3; e <= 5; e++) {
			split($e, x, ":"); i = col[week, x[1]]
			printf "    %-13s %12s  (week mean %.4g; %2.0f%% of the error)\n", x[1], $(col[FILENAME, x[1]]), sum[i] / rows, 100 * x[2]
		  }
		  printf "    %s\n", log_[$1] }' drill="$drill" week="$w/week-features.csv" "$drill" "$w/week-features.csv" "$1"
}

# what cron would run each morning, and what the exit status does
score_day() {   # name
	echo "== score $1: vae-score -m logs.vae -k time -t p99.9 --explain 3 $1-features.csv"
	if vae-score -m "$w/logs.vae" -k time -t p99.9 --explain 3 "$w/$1-features.csv" > "$w/$1-anomalies.csv"; then
		n=$(($(wc -l < "$w/$1-anomalies.csv") - 1))
		report "$w/$1-anomalies.csv" "$w/$1.log" > "$w/$1-report.txt"
		if [ -n "${MAILTO:-}" ] && command -v mail > /dev/null; then
			mail -s "access-log anomalies: $n windows over p99.9" "$MAILTO" < "$w/$1-report.txt"
			echo "exit 0: mailed the report on $n windows to $MAILTO"
		else
			echo "exit 0: would mail (set MAILTO to send) \"access-log anomalies: $n windows over p99.9\":"
			sed 's/^/  | /' "$w/$1-report.txt"
		fi
	else
		rc=$?
		[ "$rc" -eq 1 ] || exit "$rc"   # an error: cron mails its message
		echo "exit 1: no window over p99.9, no mail"
	fi
}
score_day day
echo "-- the first lines of day-anomalies.csv, as vae-score writes them"
head -3 "$w/day-anomalies.csv" | cut -c 1-150
score_day quiet

# The picture: every window of the day scored (no -t), over time, beside the
# threshold -t p99.9 compares with, which vae-info lists among the training
# scores' quantiles.  The scores run from -17 to 5e8 nats, so the axis is
# asinh: logarithmic away from 0, linear through it.
echo "== day-scores.png: every window's score over the day, and the p99.9 line"
vae-score -m "$w/logs.vae" -k time "$w/day-features.csv" > "$w/day-scores.csv"
p999=$(vae-info "$w/logs.vae" | awk -F'\t' '$1 == "metric" { for (i = 2; i <= NF; i++) if ($i == "p99.9") c = i }
	$1 == "elbo" && c { print $c }')
echo "p99.9 of the training windows' elbo: $p999;" \
	"$(awk -F, -v t="$p999" 'NR > 1 && $2 > t { n++ } END { print n + 0 }' "$w/day-scores.csv") of the day's windows over it"
plots "day-scores.png" || exit 0
cat > "$w/day-scores.gp" <<EOF
W = 480; H = 360
load "$PWD/png.gp"
set output "$w/day-scores.png"
set datafile separator ","
set xdata time; set timefmt "%Y-%m-%dT%H:%M:%SZ"; set format x "%H:%M"; set xtics 3 * 3600
set nonlinear y via asinh(y) inverse sinh(y); set yrange [-30:1e10]
set ytics ("-10" -10, "0" 0, "10" 10, "100" 100, "1e3" 1e3, "1e4" 1e4, "1e5" 1e5, "1e6" 1e6, "1e7" 1e7, "1e8" 1e8, "1e9" 1e9)
set xlabel "time of day (UTC), 5-minute windows"; set ylabel "score: -ELBO in nats"
set key below
# the four incidents of make-access-log.awk, hours after the day's start
t0 = strptime("%Y-%m-%dT%H:%M:%SZ", "$(sed -n 2p "$w/day-scores.csv" | cut -d, -f1)")
set label "scanner" at t0 + 3.2 * 3600, 3e9 center
set label "outage" at t0 + 10 * 3600, 3e9 center
set label "downloads" at t0 + 14.5 * 3600, 3e9 center
set label "logins" at t0 + 20.5 * 3600, 3e9 center
plot "$w/day-scores.csv" using 1:2 skip 1 with linespoints pt 7 ps 0.4 lc rgb "#1f77b4" title "vae-score", \
     $p999 with lines lw 2 lc rgb "#d62728" title "p99.9 (vae-score -t p99.9)"
EOF
gnuplot "$w/day-scores.gp"
echo "picture in $w: day-scores.png"
