# make-access-log.awk: a synthetic web-server access log in the "combined"
# format with nginx's $request_time (seconds) appended, for examples/logs.sh:
#
#   host ident user [dd/Mon/yyyy:HH:MM:SS +0000] "METHOD path HTTP/1.1" status bytes "referer" "user-agent" request_time
#
# Normal traffic of a small shop (pages, static files, an API, logins, the
# odd 404 and download) follows a daily cycle peaking at 15:00.  POSIX awk
# (mawk is fine); seeded, so the same variables give the same bytes.
#
# Variables:
#   days       days to generate [7]
#   start      day number of the first day; day 0 is Monday 2026-11-02 [0]
#   seed       random seed [1]
#   rate       mean requests per 5 minutes at the daily peak [100]
#   incidents  1 injects four incidents into every generated day [0]:
#                03:10-03:20  a vulnerability scanner: one IP, bursts of
#                             404s on odd paths
#                10:00-10:15  a backend outage: 502s and 504s on dynamic
#                             pages, up to 60 s request times
#                14:30-14:35  a large-download spike: multi-GB responses
#                20:30-20:40  credential stuffing: POST /login from hundreds
#                             of IPs, answered 401
#
#   awk -v days=7 -f make-access-log.awk > week.log
#   awk -v start=7 -v days=1 -v seed=2 -v incidents=1 -f make-access-log.awk > day.log

function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
function count(mean,   n) { n = int(mean + sqrt(mean) * gauss() + 0.5); return n < 0 ? 0 : n }
function pick(n) { return 1 + int(n * rand()) }
function lognorm(median, sd) { return median * exp(sd * gauss()) }
function rnd_ip() { return sprintf("%d.%d.%d.%d", 11 + int(212 * rand()), int(256 * rand()), int(256 * rand()), 1 + int(254 * rand())) }
function client(   r) { r = rand(); return pool[1 + int(npool * r * r)] }   # a few heavy users, a long tail

# days since 1970-01-01 to Y, M, D (H. Hinnant's civil_from_days; z >= -719468)
function civil(z,   era, doe, yoe, doy, mp) {
	z += 719468
	era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	D = doy - int((153 * mp + 2) / 5) + 1
	M = mp < 10 ? mp + 3 : mp - 9
	Y = yoe + era * 400 + (M <= 2)
}
function days_from_civil(y, m, d,   era, yoe, doy, doe) {
	y -= (m <= 2)
	era = int(y / 400)
	yoe = y - era * 400
	doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}

# one request at second sec of the current window; lines are printed in
# time order when the window is flushed
function req(sec, ip, method, path, status, bytes, ref, ua, rt,   k) {
	if (sec > 299) sec = 299
	k = ++nat[sec]
	lip[sec, k] = ip
	lrest[sec, k] = sprintf("\"%s %s HTTP/1.1\" %d %.0f \"%s\" \"%s\" %.3f",
	                        method, path, status, bytes, ref, ua, rt)
}
function flush(m,   s, k, stamp) {
	for (s = 0; s < 300; s++) {
		if (!(s in nat)) continue
		stamp = sprintf("%s:%02d:%02d:%02d +0000", date, int(m / 60), m % 60 + int(s / 60), s % 60)
		for (k = 1; k <= nat[s]; k++) print lip[s, k] " - - [" stamp "] " lrest[s, k]
	}
	split("", nat); split("", lip); split("", lrest)
}

# the normal traffic: one request by a client at second sec, load lf
function normal(sec, lf,   ip, ua, u, p, rt, st, b, meth) {
	ip = client()
	ua = uas[1 + (ip_ua[ip] % nua)]
	u = rand()
	if (u < 0.30) {                                    # pages
		p = pages[pick(npages)]
		if (p == "/products/") p = p pick(400)
		else if (p == "/blog/") p = p "post-" pick(60)
		else if (p == "/search") p = p "?q=" words[pick(nwords)]
		rt = lognorm(0.06, 0.5) * lf
		st = 200; b = lognorm(18000, 0.4)
		if (outage && rand() < 0.85) { st = rand() < 0.6 ? 504 : 502; b = st == 504 ? 167 : 157; rt = st == 504 ? 60 : 0.5 + 2.5 * rand() }
		else if (rand() < 0.0005) { st = 500; b = 612 }
		req(sec, ip, "GET", p, st, b, rand() < 0.4 ? "https://www.google.com/" : "https://shop.example.com/", ua, rt)
	} else if (u < 0.75) {                             # static files, often cached
		p = statics[pick(nstatics)]
		if (p == "/static/img/") { p = p "p" pick(400) ".jpg"; b = lognorm(30000, 0.6) }
		else b = sizes[p]
		st = 200
		if (rand() < 0.25) { st = 304; b = 0 }
		req(sec, ip, "GET", p, st, b, "https://shop.example.com/", ua, lognorm(0.002, 0.5))
	} else if (u < 0.90) {                             # the shop's API
		if (rand() < 0.3) { meth = "POST"; p = "/api/cart" } else { meth = "GET"; p = rand() < 0.5 ? "/api/cart" : "/api/products?page=" pick(20) }
		rt = lognorm(0.03, 0.5) * lf
		st = meth == "POST" ? 201 : 200; b = lognorm(1500, 0.5)
		if (outage && rand() < 0.85) { st = rand() < 0.6 ? 504 : 502; b = st == 504 ? 167 : 157; rt = st == 504 ? 60 : 0.5 + 2.5 * rand() }
		else if (rand() < 0.0005) { st = 500; b = 612 }
		req(sec, ip, meth, p, st, b, "https://shop.example.com/", ua, rt)
	} else if (u < 0.94) {                             # logins: a form, then a POST; people mistype
		if (rand() < 0.5) req(sec, ip, "GET", "/login", 200, 6120, "https://shop.example.com/", ua, lognorm(0.02, 0.4) * lf)
		else {
			st = rand() < 0.9 ? 302 : 401
			if (outage && rand() < 0.85) st = 502
			req(sec, ip, "POST", "/login", st, st == 302 ? 0 : 6240, "https://shop.example.com/login", ua, lognorm(0.12, 0.2) * lf)
		}
	} else if (u < 0.955) {                            # stale links and bots: 404s
		p = rand() < 0.5 ? "/products/" (400 + pick(600)) : "/" words[pick(nwords)] ".html"
		req(sec, ip, "GET", p, 404, 548, "-", rand() < 0.5 ? ua : bots[pick(nbots)], lognorm(0.004, 0.5))
	} else if (u < 0.957) {                            # the odd download
		b = 8734221 + int(1000 * rand())
		req(sec, ip, "GET", "/downloads/tool-2.4.1.tar.gz", 200, b, "https://shop.example.com/download", ua, b / lognorm(4e6, 0.6))
	} else                                             # crawlers
		req(sec, client(), "GET", "/products/" pick(400), 200, lognorm(18000, 0.4), "-", bots[pick(nbots)], lognorm(0.05, 0.5) * lf)
}

BEGIN {
	if (days == "") days = 7
	if (start == "") start = 0
	if (rate == "") rate = 100
	srand(seed == "" ? 1 : seed)
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
	day0 = days_from_civil(2026, 11, 2)
	nuas = split("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36|" \
	             "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15|" \
	             "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0|" \
	             "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1|" \
	             "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36|" \
	             "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0", uas, "|")
	nua = nuas
	nbots = split("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)|" \
	              "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)|" \
	              "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", bots, "|")
	npages = split("/ /products /products/ /products/ /products/ /blog/ /search /about /contact /cart", pages, " ")
	nstatics = split("/static/app.js /static/style.css /static/img/ /static/img/ /static/img/ /favicon.ico", statics, " ")
	sizes["/static/app.js"] = 142331; sizes["/static/style.css"] = 31877; sizes["/favicon.ico"] = 1150
	nwords = split("shoes socks hat scarf gloves jacket boots bag belt wallet watch coat", words, " ")
	nodd = split("/.env /.git/config /.git/HEAD /wp-login.php /wp-admin/setup-config.php /xmlrpc.php " \
	             "/phpmyadmin/index.php /pma/index.php /admin/config.php /cgi-bin/luci /server-status " \
	             "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php /backup.zip /backup.sql /db.sql " \
	             "/config.json /.aws/credentials /actuator/env /solr/admin/info/system /boaform/admin/formLogin", odd, " ")
	npool = 3000
	for (i = 1; i <= npool; i++) { pool[i] = rnd_ip(); ip_ua[pool[i]] = int(nua * rand()) }

	for (d = start; d < start + days; d++) {
		civil(day0 + d)
		date = sprintf("%02d/%s/%04d", D, mon[M], Y)
		dayf = 1 + 0.05 * gauss()                            # busier and quieter days
		for (m = 0; m < 1440; m += 5) {
			hour = m / 60
			level = dayf * (0.55 + 0.45 * sin((hour - 9) / 24 * 6.283185307179586))
			lf = 1 + 0.8 * level * level                         # busier is slower
			outage = incidents && m >= 600 && m < 615
			n = count(rate * level)
			for (i = 0; i < n; i++) normal(int((i + rand()) * 300 / n), lf)

			if (incidents && (m == 190 || m == 195)) {           # the scanner: 250 probes in 90 s
				ip = "198.51.100.23"
				for (i = 0; i < 250; i++) {
					p = rand() < 0.5 ? odd[pick(nodd)] : "/" words[pick(nwords)] pick(99) (rand() < 0.5 ? ".php" : ".bak")
					st = 404; b = 548
					if (p == "/server-status" || p ~ /^\/\.git/) { st = 403; b = 492 }
					req(10 + int(i * 90 / 250), ip, rand() < 0.9 ? "GET" : "POST", p, st, b, "-",
					    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", lognorm(0.003, 0.5))
				}
			}
			if (incidents && m == 870)                           # a large-download spike: 24 copies of a 4 GB file
				for (i = 0; i < 24; i++) {
					b = 4294967296 + int(1e6 * rand())
					req(pick(299), pool[pick(8)], "GET", "/downloads/dataset-2026.tar.gz", 200, b,
					    "-", "Wget/1.21.4", b / lognorm(1e8, 0.5))
				}
			if (incidents && (m == 1230 || m == 1235))           # credential stuffing: 450 tries from 300 IPs
				for (i = 0; i < 450; i++) {
					if (i % 3 != 2) ip = rnd_ip()
					req(int(i * 300 / 450), ip, "POST", "/login", rand() < 0.005 ? 302 : 401, 6240,
					    "https://shop.example.com/login", uas[pick(nua)], lognorm(0.12, 0.2))
				}
			flush(m)
		}
	}
}
