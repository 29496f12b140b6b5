#!/usr/bin/python3
"""semisup-consistency.py: semi-supervised peers that are neither generative
nor vae's, on semisup.py's draws: does the unlabelled data help at all?

A PyTorch MLP classifier (784-256-10, relu, Adam 1e-3, batches of 64
labelled and 128 unlabelled rows) fitted three ways on the same labelled
Fashion-MNIST rows as semisup.py (N/10 a class, RandomState(draw)):

  mlp  the labelled rows alone;
  pi   plus the Pi-model's consistency (Laine and Aila 2017, Gaussian
       input noise as the ladder network's, sd --noise): KL from the
       prediction on an unlabelled row to the prediction on the row
       with noise added;
  vat  plus virtual adversarial training (Miyato et al. 2018): the same
       KL with the noise replaced by the perturbation of length --eps
       that changes the prediction most (one power iteration).

Each beside logistic regression on the same rows in the same run, as in
semisup.py.  These methods assume that classes are separated by regions
of low density; the ratios show how far that holds on Fashion-MNIST's
pixels.  A figure, not a test.

    /usr/bin/python3 bench/semisup-consistency.py [--labels 100,1000] [--draws 3]
"""

import os
import sys

import bench_env  # first: it fixes sys.path and picks the interpreter
bench_env.need("numpy", "sklearn", "torch")
import numpy as np  # noqa: E402

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# semisup.py's reader, draws and peers (bench/ is off sys.path: see bench_env.py)
_spec = importlib.util.spec_from_file_location(
    "semisup", os.path.join(os.path.dirname(os.path.abspath(__file__)), "semisup.py"))
semisup = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(semisup)

METHODS = ("mlp", "pi", "vat")


def kl(target, logits):
    """Mean KL(target || softmax(logits)) over the rows."""
    return (target * (torch.log(target + 1e-12) - F.log_softmax(logits, 1))).sum(1).mean()


def unlabelled_term(net, method, xu, noise, eps):
    """The consistency term of a batch of unlabelled rows xu."""
    with torch.no_grad():
        clean = F.softmax(net(xu), 1)
    if method == "pi":
        return kl(clean, net(xu + noise * torch.randn_like(xu)))
    d = torch.randn_like(xu)                    # vat: one power iteration
    d = (1e-6 * d / d.norm(dim=1, keepdim=True)).requires_grad_(True)
    g, = torch.autograd.grad(kl(clean, net(xu + d)), d)
    return kl(clean, net(xu + eps * g / (g.norm(dim=1, keepdim=True) + 1e-12)))


def fit(method, x, xl, yl, steps, seed, noise, eps):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 256), torch.nn.ReLU(),
                              torch.nn.Linear(256, 10))
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for _ in range(steps):
        li = torch.randint(0, len(yl), (64,))
        loss = F.cross_entropy(net(xl[li]), yl[li])
        if method != "mlp":
            loss = loss + unlabelled_term(net, method, x[torch.randint(0, len(x), (128,))],
                                          noise, eps)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return net


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add = ap.add_argument
    add("--labels", default="100,1000", help="labelled images, multiples of 10 [%(default)s]")
    add("--draws", type=int, default=3, help="draws a size, seeds 0.. [%(default)s]")
    add("--steps", type=int, default=2000, help="Adam steps a fit [%(default)s]")
    add("--noise", type=float, default=0.3, help="pi: the noise's sd [%(default)s]")
    add("--eps", type=float, default=2.0, help="vat: the perturbation's length [%(default)s]")
    add("--threads", type=int, default=os.cpu_count(), help="torch's threads [%(default)s]")
    add("--data", default=os.environ.get("FM", "/usr/share/datasets/fashion-mnist"),
        help="Fashion-MNIST's gzipped IDX files [%(default)s]")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    start = time.time()
    xtr, ytr, xte, yte = semisup.load(args.data)
    x, xt = torch.tensor(xtr), torch.tensor(xte)

    print("| labels | draw | LR | " + " | ".join("%s | %s/LR" % (m, m) for m in METHODS) + " |")
    print("|---" * (3 + 2 * len(METHODS)) + "|")
    means = {}
    for size in [int(s) for s in args.labels.split(",")]:
        for d in range(args.draws):
            chosen = semisup.choose(ytr, size, d)
            lr, _ = semisup.peers(xtr[chosen], ytr[chosen], xte, yte)
            errs = {"LR": lr}
            xl, yl = x[chosen], torch.tensor(ytr[chosen])
            for m in METHODS:
                net = fit(m, x, xl, yl, args.steps, d, args.noise, args.eps)
                with torch.no_grad():
                    errs[m] = np.mean(net(xt).argmax(1).numpy() != yte)
            for k, v in errs.items():
                means.setdefault((size, k), []).append(v)
            print("| %d | %d | %.2f%% | " % (size, d, 100 * lr)
                  + " | ".join("%.2f%% | %.3f" % (100 * errs[m], errs[m] / lr) for m in METHODS)
                  + " |", flush=True)
        lr = np.mean(means[size, "LR"])
        print("| %d | mean | %.2f%% | " % (size, 100 * lr) + " | ".join(
            "%.2f%% | **%.3f**" % (100 * np.mean(means[size, m]), np.mean(means[size, m]) / lr)
            for m in METHODS) + " |", flush=True)
    print("\n# %d steps; pi's noise sd %g, vat's eps %g; torch %s, %d threads; wall %.0f s"
          % (args.steps, args.noise, args.eps, torch.__version__, args.threads,
             time.time() - start))
    print("command: %s %s" % (sys.executable, " ".join(sys.argv)))


if __name__ == "__main__":
    main()
