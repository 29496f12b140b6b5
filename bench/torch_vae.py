#!/usr/bin/python3
"""torch_vae.py: the PyTorch peer of bench/epoch, one epoch timed.

The model, loss and optimiser of the well-known PyTorch VAE example
(github.com/pytorch/examples, vae/main.py): fc1 784->400, fc21/fc22
400->20, fc3 20->400, fc4 400->784, relu, sigmoid, binary cross-entropy
summed plus KL, Adam lr 1e-3, batch 128, shuffled each epoch.  The images
come from an (uncompressed) IDX file through numpy, scaled by 1/255, and are
batched by indexing one tensor with a random permutation, as a DataLoader
with shuffle=True would hand them out, without its per-item overhead.

    torch_vae.py [-r] [-n ROWS] [-t THREADS,...] IDX

For each thread count (default 1,2): torch.set_num_threads, a warm-up of a
few batches on a throwaway model, then one epoch of a fresh model, timed.
Prints each epoch's time, the best, and the time `import torch` took;
-r prints one line for scripts: import_s best_s best_threads t1_s t2_s..."""

import argparse
import time

import numpy as np

t_import = time.perf_counter()
import torch                                    # noqa: E402
import torch.nn.functional as F                 # noqa: E402
from torch import nn, optim                     # noqa: E402
t_import = time.perf_counter() - t_import


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def train(x, batch, max_batches=None):
    """One epoch (or max_batches batches) of a fresh model: seconds, loss."""
    model = VAE()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    t = time.perf_counter()
    perm = torch.randperm(x.shape[0])
    total = 0.0
    for i, start in enumerate(range(0, x.shape[0], batch)):
        if max_batches is not None and i >= max_batches:
            break
        data = x[perm[start:start + batch]]
        optimizer.zero_grad()
        recon, mu, logvar = model(data)
        loss = loss_function(recon, data, mu, logvar)
        loss.backward()
        total += loss.item()
        optimizer.step()
    return time.perf_counter() - t, total / x.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-r", action="store_true")
    ap.add_argument("-n", type=int, default=0, help="rows (default: all)")
    ap.add_argument("-t", default="1,2", help="thread counts")
    ap.add_argument("idx")
    a = ap.parse_args()
    with open(a.idx, "rb") as f:
        head = f.read(16)
        n, h, w = (int.from_bytes(head[i:i + 4], "big") for i in (4, 8, 12))
        x = np.frombuffer(f.read(), np.uint8).reshape(n, h * w)
    if a.n:
        x = x[:a.n]
    x = torch.from_numpy(x.astype(np.float32) / 255)
    torch.manual_seed(1)
    results = []
    for threads in (int(t) for t in a.t.split(",")):
        torch.set_num_threads(threads)
        train(x, 128, max_batches=10)           # warm-up
        s, loss = train(x, 128)
        results.append((s, threads, loss))
    best = min(results)
    if a.r:
        print("%.4f %.4f %d %s" % (t_import, best[0], best[1],
                                   " ".join("%.4f" % r[0] for r in results)))
    else:
        print("torch %s, %d rows; import torch %.3f s" % (torch.__version__, x.shape[0], t_import))
        for s, threads, loss in results:
            print("  %d thread(s): %.3f s/epoch, mean loss %.1f" % (threads, s, loss))
        print("  best %.3f s at %d thread(s)" % best[:2])


main()
