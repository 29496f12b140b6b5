# make-metrics.awk: synthetic per-5-minute web server metrics, driven by the
# time of day and the traffic level, for the examples.  Variables: days,
# start (day number of the first row), seed, incidents (1 injects a few).
function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
function pos(v) { return v < 0 ? 0 : v }
BEGIN {
	if (days == "") days = 7
	srand(seed == "" ? 1 : seed)
	print "time,host,cpu,mem,load,rps,p50_ms,p99_ms,err_pct,kb_in,kb_out,conns"
	for (d = 0; d < days; d++) for (m = 0; m < 1440; m += 5) {
		hour = m / 60
		day = 0.55 + 0.45 * sin((hour - 9) / 24 * 6.283185307179586)   # daily cycle
		traffic = day * (1 + 0.08 * gauss())
		rps = 400 * traffic
		cpu = 8 + 70 * traffic + 2 * gauss()
		mem = 40 + 20 * traffic + 0.5 * d + 1.5 * gauss()
		load = 0.3 + 3.2 * traffic + 0.15 * gauss()
		p50 = 12 + 10 * traffic * traffic + 0.8 * gauss()
		p99 = 4 * p50 + 15 * traffic + 4 * gauss()
		err = 0.2 + 0.1 * traffic + 0.05 * gauss()
		kin = 2.1 * rps + 20 * gauss()
		kout = 35 * rps + 300 * gauss()
		conns = 0.6 * rps + 8 * gauss()
		if (incidents && (m == 600 || m == 605)) { p99 *= 3.5; p50 *= 1.6; err += 4 }   # slow backend
		if (incidents && m == 900) { cpu = 97; load += 6 }                            # runaway job
		if (incidents && m == 1200) { kout *= 6 }                                     # big download
		printf "2026-11-%02dT%02d:%02d,web1,%.1f,%.1f,%.2f,%.0f,%.1f,%.1f,%.2f,%.0f,%.0f,%.0f\n",
		       start + d, m / 60, m % 60, pos(cpu), pos(mem), pos(load), pos(rps), pos(p50),
		       pos(p99), pos(err), pos(kin), pos(kout), pos(conns)
	}
}
