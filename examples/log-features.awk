# log-features.awk: an access log in the "combined" format (Apache, nginx),
# optionally followed by the request time in seconds (nginx's $request_time),
# to one CSV row per window of traffic, for vae-fit and vae-score:
#
#   time          the window's start, UTC, ISO 8601 (2026-11-09T10:05:00Z)
#   requests      lines in the window
#   unique_ips    distinct client addresses
#   top_ip_share  the busiest address's share of the requests
#   err4xx        4xx responses
#   share_4xx     their share of the requests
#   err5xx        5xx responses
#   posts         POST requests
#   login_fails   POSTs answered 401 or 403
#   paths         distinct paths (query strings dropped)
#   mean_kb       mean response size, kB (1000 bytes)
#   max_kb        largest response, kB
#   p95_ms        95th percentile of the request time, ms, to within 5%
#                 (0 when the log has no request times; pct=90 for p90_ms)
#
# Every window from the first line's to the last line's is printed, the
# empty ones as zeros, in time order even when the lines are not.  A line
# that is not in the format is an error (exit 65, nothing printed) unless
# skip=1, and then the skipped lines are counted on stderr.  POSIX awk (mawk
# is fine); memory grows with the windows and their distinct addresses and
# paths, which suits a day or a week of a busy server.
#
# Variables: width, the window in minutes [5]; pct, the percentile of the
# request time [95]; skip=1 skips bad lines.
#
#   awk -f log-features.awk access.log > features.csv
#   zcat access.log.*.gz | awk -v width=10 -f log-features.awk > features.csv

# days since 1970-01-01 of a date (H. Hinnant's days_from_civil), and back
function days_from_civil(y, m, d,   era, yoe, doy, doe) {
	y -= (m <= 2)
	era = int(y / 400)
	yoe = y - era * 400
	doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
function iso(minutes,   z, era, doe, yoe, doy, mp, d, m, y) {
	z = int(minutes / 1440) + 719468
	era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	y = yoe + era * 400 + (m <= 2)
	minutes %= 1440
	return sprintf("%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, int(minutes / 60), minutes % 60)
}
function malformed(why) {
	if (++bad <= 3 || !skip)
		printf "log-features: %s:%d: %s%s\n", FILENAME == "" ? "-" : FILENAME, FNR, why,
		       skip ? ", skipped" : " (skip=1 skips such lines)" > "/dev/stderr"
	if (!skip) exit 65
}

BEGIN {
	if (width == "") width = 5
	if (pct == "") pct = 95
	width += 0
	pct += 0
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", names, " ")
	for (i = 1; i <= 12; i++) mon[names[i]] = i
	LOG11 = log(1.1)   # request-time histogram: buckets 10% wide
	first = 1
}

{
	# [09/Nov/2026:10:05:17 +0000] in $4 and $5
	if ($4 !~ /^\[[0-9][0-9]\/[A-Z][a-z][a-z]\/[0-9][0-9][0-9][0-9]:[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ ||
	    $5 !~ /^[-+][0-9][0-9][0-9][0-9]\]$/ || !(substr($4, 5, 3) in mon)) {
		malformed("no [dd/Mon/yyyy:HH:MM:SS +zzzz] time in fields 4 and 5")
		next
	}
	# "request" status bytes "referer" "agent": split on the quotes
	if ((nq = split($0, q, "\"")) < 7 || q[3] !~ /^ [0-9][0-9][0-9] ([0-9]+|-) $/) {
		malformed("no \"request\" status bytes \"referer\" \"user-agent\"")
		next
	}
	off = (substr($5, 2, 2) * 60 + substr($5, 4, 2)) * (substr($5, 1, 1) == "-" ? -1 : 1)
	t = days_from_civil(substr($4, 9, 4) + 0, mon[substr($4, 5, 3)], substr($4, 2, 2) + 0) * 1440
	t += substr($4, 14, 2) * 60 + substr($4, 17, 2) - off    # minutes since 1970, UTC
	w = int(t / width)
	if (first || w < wmin) wmin = w
	if (first || w > wmax) wmax = w
	first = 0

	split(q[2], r, " ")           # METHOD path HTTP/1.1; a garbled request line is counted all the same
	method = r[1]
	path = r[2]
	sub(/\?.*/, "", path)
	split(q[3], sb, " ")
	status = sb[1] + 0
	bytes = sb[2] == "-" ? 0 : sb[2] + 0

	n[w]++
	if (++ipn[w, $1] == 1) ips[w]++
	if (ipn[w, $1] > top[w]) top[w] = ipn[w, $1]
	if (status >= 400 && status < 500) e4[w]++
	if (status >= 500 && status < 600) e5[w]++
	if (method == "POST") {
		posts[w]++
		if (status == 401 || status == 403) fails[w]++
	}
	if (++pathn[w, path] == 1) paths[w]++
	kb[w] += bytes / 1000
	if (bytes / 1000 > maxkb[w]) maxkb[w] = bytes / 1000
	if (q[nq] ~ /^ [0-9]+(\.[0-9]*)? *$/) {      # after the agent: the request time, seconds
		ms = q[nq] * 1000
		b = ms < 1 ? 0 : 1 + int(log(ms) / LOG11)
		hist[w, b]++
		timed[w]++
		if (b > bmax[w]) bmax[w] = b
	}
}

END {
	if (bad && !skip) exit 65
	print "time,requests,unique_ips,top_ip_share,err4xx,share_4xx,err5xx,posts,login_fails,paths,mean_kb,max_kb,p" pct "_ms"
	for (w = wmin; !first && w <= wmax; w++) {
		c = n[w] + 0
		pt = 0
		if (timed[w] > 0) {   # the bucket of the ceil(pct/100 n)-th smallest time; its geometric middle
			k = timed[w] * pct / 100
			k = k > int(k) ? int(k) + 1 : k
			cum = 0
			for (b = 0; b <= bmax[w]; b++) if ((cum += hist[w, b]) >= k) break
			pt = b == 0 ? 0.5 : exp((b - 0.5) * LOG11)
		}
		printf "%s,%d,%d,%.4f,%d,%.4f,%d,%d,%d,%d,%.2f,%.1f,%.0f\n", iso(w * width), c, ips[w], c ? top[w] / c : 0,
		       e4[w], c ? e4[w] / c : 0, e5[w], posts[w], fails[w], paths[w], c ? kb[w] / c : 0, maxkb[w], pt
	}
	if (bad)
		printf "log-features: %d line%s not in the combined log format skipped\n", bad, bad == 1 ? "" : "s" > "/dev/stderr"
}
