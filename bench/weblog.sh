#!/bin/sh
# weblog.sh: anomaly detection on a request-level web log, the cron case:
# fit on a log that holds a few anomalies of its own, then score a new log
# and rank its planted anomalies (impossible combinations: a POST to a
# static file, a 304 with a body, an admin dump by a bot...; see
# bench/weblog.py) above its normal requests.  Prints the ROC-AUC of each
# vae-score metric beside IsolationForest and a Gaussian mixture fitted on
# the same training log, over all anomalies and per kind, and the command.
#
#   vae-fit --missing mask -q --types status:cat $VAE_FIT_OPTS -o m.vae train.csv
#   vae-score -m m.vae --metric M -k label test.csv      (M: recon, elbo, nll)
#
# The training log has no label column; the test log's last column is the
# label, which -k passes through in front of the score.  The status codes
# are numbers that name classes, hence --types status:cat; hour is left to
# detection.
#
# Run from a clean checkout after `make` (needs /usr/bin/python3 with numpy
# and scikit-learn: Debian python3-sklearn); no network:
#
#   sh bench/weblog.sh
#   VAE_FIT_OPTS='-z 4 -H 64,64 -e 100' sh bench/weblog.sh
#
# Environment: VAE_BIN, the directory of vae-fit and vae-score (default
# the top directory); VAE_FIT_OPTS, more vae-fit options; VAE_TYPES, the
# --types list (default status:cat; empty for none); METRICS (default
# "recon elbo nll"); SEED, TRAIN, TEST: the log generator's seed and sizes
# (default 1, 20000, 5000).  When vae-fit or vae-score cannot run (not
# built, or an option they do not take yet), the peers are still printed
# with the reason.
set -eu
given=          # the settings from the environment, for the command line
for v in VAE_BIN VAE_FIT_OPTS VAE_TYPES METRICS SEED TRAIN TEST; do
	if eval "[ -n \"\${$v+x}\" ]"; then
		given="$given$v='$(eval "printf %s \"\$$v\"")' "
	fi
done
cd "$(dirname "$0")/.."
top=$PWD
BIN=${VAE_BIN:-$top}
VAE_FIT_OPTS=${VAE_FIT_OPTS:-}
VAE_TYPES=${VAE_TYPES-status:cat}
METRICS=${METRICS:-recon elbo nll}
SEED=${SEED:-1}
TRAIN=${TRAIN:-20000}
TEST=${TEST:-5000}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

$PY bench/weblog.py gen --seed "$SEED" --train "$TRAIN" --test "$TEST" "$tmp"

skip() { echo "# vae: skipped: $*"; }
if [ ! -x "$BIN/vae-fit" ] || [ ! -x "$BIN/vae-score" ]; then
	skip "no $BIN/vae-fit or $BIN/vae-score (run make)"
else
	# shellcheck disable=SC2086 # VAE_FIT_OPTS is a list of options
	set -- --missing mask -q ${VAE_TYPES:+--types "$VAE_TYPES"} $VAE_FIT_OPTS
	echo "# vae: vae-fit $* -o m.vae train.csv"
	start=$(date +%s)
	if "$BIN/vae-fit" "$@" -o "$tmp/m.vae" "$tmp/train.csv" 2> "$tmp/err"; then
		echo "# vae-fit: $(($(date +%s) - start)) s"
		for m in $METRICS; do
			start=$(date +%s)
			if "$BIN/vae-score" -m "$tmp/m.vae" --metric "$m" -k label "$tmp/test.csv" \
				> "$tmp/score-$m.csv" 2> "$tmp/err"; then
				echo "# vae-score --metric $m: $(($(date +%s) - start)) s"
			else
				rm -f "$tmp/score-$m.csv"
				skip "vae-score --metric $m: $(head -n 3 "$tmp/err")"
			fi
		done
	else
		skip "vae-fit: $(head -n 3 "$tmp/err")"
	fi
fi

$PY bench/weblog.py eval "$tmp"
echo "command: ${given}sh bench/weblog.sh"
