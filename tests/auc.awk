# auc.awk: ROC-AUC of a score against a 0/1 label, by ranks (ties count half).
# Input: "label,score" lines, no header.  Prints the AUC.
BEGIN { FS = "," }
{ label[NR] = $1; score[NR] = $2 + 0 }
END {
	n = NR
	for (i = 1; i <= n; i++) idx[i] = i
	# insertion sort of indices by score; n is small
	for (i = 2; i <= n; i++) {
		k = idx[i]; j = i - 1
		while (j > 0 && score[idx[j]] > score[k]) { idx[j + 1] = idx[j]; j-- }
		idx[j + 1] = k
	}
	pos = 0; ranksum = 0
	for (i = 1; i <= n; ) {         # average ranks over ties
		j = i
		while (j < n && score[idx[j + 1]] == score[idx[i]]) j++
		r = (i + j) / 2
		for (t = i; t <= j; t++) if (label[idx[t]] == 1) { ranksum += r; pos++ }
		i = j + 1
	}
	neg = n - pos
	if (pos == 0 || neg == 0) { print "nan"; exit 1 }
	printf "%.4f\n", (ranksum - pos * (pos + 1) / 2) / (pos * neg)
}
