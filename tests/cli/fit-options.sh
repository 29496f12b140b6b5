# vae-fit's training options do what they say, as seen from outside.
. "$TOP/tests/setup"
awk -v n=400 -v seed=3 -v header=1 -f "$TOP/tests/gen-manifold.awk" > d.csv

# --val and --patience: the best epoch is kept and training stops early;
# --log writes a CSV line per epoch
vae-fit -q -j 1 -e 200 --val 0.25 --patience 2 --lr 0.05 --log log.csv -o v.vae d.csv
vae-info v.vae > info
epochs=$(awk -F': ' '$1 == "epochs" { print $2 }' info)
kept=$(awk -F': ' '$1 == "kept epoch" { print $2 }' info)
test "$epochs" -lt 200 && test "$epochs" -eq $((kept + 2))
grep -q '^validation loss: ' info
grep -q '^training rows: 300$' info
test "$(head -1 log.csv)" = "epoch,seconds,loss,recon,kl,val,beta,lr,best"
test "$(tail -n +2 log.csv | wc -l)" -eq "$epochs"

# --init continues the model and its optimiser: the architecture is the
# model's (an -z is refused), and the loss goes on down from where it was
vae-fit -q -j 1 -e 5 -o a.vae d.csv
vae-fit -q -j 1 -e 5 --init a.vae -o b.vae d.csv
a=$(vae-info a.vae | awk -F': ' '$1 == "final loss" { print $2 }')
b=$(vae-info b.vae | awk -F': ' '$1 == "final loss" { print $2 }')
awk -v a="$a" -v b="$b" 'BEGIN { exit !(b < a) }'
if vae-fit -q --init a.vae -z 3 -o c.vae d.csv 2> err; then exit 1; fi
grep -q -- '-z does not apply with --init' err

# --average: the weights written are averaged over an epoch's steps by
# default (400 rows of 20: 20 steps); 0 and 1 write the last step's
vae-fit -q -j 1 -e 3 -b 20 -o avg.vae d.csv
vae-fit -q -j 1 -e 3 -b 20 --average 20 -o avg20.vae d.csv
vae-fit -q -j 1 -e 3 -b 20 --average 0 -o last.vae d.csv
vae-fit -q -j 1 -e 3 -b 20 --average 1 -o last1.vae d.csv
cmp avg.vae avg20.vae && cmp last.vae last1.vae && ! cmp -s avg.vae last.vae
vae-fit -q -j 1 -e 3 -b 20 --average 19 -o avg19.vae d.csv
! cmp -s avg.vae avg19.vae
if vae-fit -q --average -1 -o x.vae d.csv 2> err; then exit 1; fi
grep -q -- '--average: expected' err

# --ae: a plain autoencoder, deterministic, with no likelihood to estimate
vae-fit -q -j 1 -e 5 --ae -o ae.vae d.csv
vae-info ae.vae | grep -qx 'kind: autoencoder'
vae-enc -m ae.vae d.csv > mean.csv
vae-enc -m ae.vae --sample d.csv | cmp - mean.csv
if vae-score -m ae.vae --metric nll d.csv 2> err; then exit 1; fi

# --sigma fixes the scale; --noise adds Gaussian or masking noise
vae-fit -q -j 1 -e 2 --sigma 0.5 -o s.vae d.csv
vae-info s.vae | grep -qx 'scale: fixed 0.5'
vae-fit -q -j 1 -e 2 --noise 0.1 -o n.vae d.csv
vae-fit -q -j 1 -e 2 --noise mask:0.2 --warmup 1 --free-bits 0.1 --clip 5 --lr-decay 0.9 -o w.vae d.csv
if vae-fit -q --patience 3 -o p.vae d.csv 2> err; then exit 1; fi
grep -q 'patience needs validation rows' err
