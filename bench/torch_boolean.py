"""PyTorch peer of the bench's `boolean` case: one seed of the Boolean headline cell, the four methods.

Usage: /usr/bin/python3 bench/torch_boolean.py TASK.json
TASK.json (written by bench/boolean.ts) holds the task widen sampled (train/test x in {-1, +1},
labels, clauses) and the protocol: n, h, alpha, classes, batch, lr, E1 = warmup, E2 = after_split,
eval_every, seed, methods. The protocol is widen's (src/experiments/trials/run-trial.ts and
spec boolean-tasks.md), written the way one writes it in PyTorch:
  - dense: n -> h -> classes, ReLU, Adam(lr), E1 + E2 epochs;
  - sparse-init: width alpha*h, random masks with the dense non-zero count shared between the
    two matrices in proportion to their sizes, E1 + E2 epochs;
  - fpe-random / fpe-clause: dense for E1 epochs, then every hidden neuron split into alpha
    children with disjoint input groups (random: shuffled and dealt round-robin; clause: the
    spec's greedy clause assignment), bias / alpha, outgoing column copied, then the
    (alpha - 1)*h*classes smallest-magnitude weights pruned so the non-zero count is the
    dense one; E2 epochs of the masked network with the optimizer state carried over.
Masked layers train the usual way: dense kernels, the gradient multiplied by the mask before
the step and the weight after it. Every epoch reshuffles the train set (torch.randperm) and
takes batches of `batch`; the curves get the epoch's mean train loss and a test evaluation
(loss, accuracy) every `eval_every` epochs, at the split and at the end, as widen's trials do.
One thread (torch.set_num_threads(1)). Prints one JSON line: per method, wall and CPU seconds
and the final test accuracy.
"""

import json
import sys
import time

import torch
import torch.nn.functional as F


def evaluate(model, x, y):
    with torch.no_grad():
        logits = model(x)
        loss = F.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).float().mean().item()
    return loss, acc


class Net(torch.nn.Module):
    """n -> width -> classes with optional fixed masks on both weight matrices."""

    def __init__(self, n, width, classes, masks=None):
        super().__init__()
        self.l1 = torch.nn.Linear(n, width)
        self.l2 = torch.nn.Linear(width, classes)
        self.masks = masks
        if masks is not None:
            self.apply_masks()

    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))

    def apply_masks(self):
        with torch.no_grad():
            self.l1.weight.mul_(self.masks[0])
            self.l2.weight.mul_(self.masks[1])

    def mask_grads(self):
        self.l1.weight.grad.mul_(self.masks[0])
        self.l2.weight.grad.mul_(self.masks[1])


def train(model, opt, p, data, start, end, curves):
    xtr, ytr, xte, yte = data
    size = xtr.shape[0]
    bs = min(p["batch"], size)
    for epoch in range(start, end):
        order = torch.randperm(size)
        total = 0.0
        for s in range(0, size, bs):
            idx = order[s : s + bs]
            xb, yb = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=False)
            loss = F.cross_entropy(model(xb), yb)
            if not torch.isfinite(loss):
                raise RuntimeError(f"loss is {loss.item()} at epoch {epoch}")
            loss.backward()
            if model.masks is not None:
                model.mask_grads()
            opt.step()
            if model.masks is not None:
                model.apply_masks()
            total += loss.item() * idx.shape[0]
        done = epoch + 1
        if done % p["eval_every"] == 0 or done == end:
            curves.append((done, total / size, *evaluate(model, xte, yte)))


def split_groups(row_nonzero, strategy, alpha, weights, clauses, gen):
    """The alpha disjoint input groups of one neuron (spec section 3)."""
    idx = row_nonzero.tolist()
    if strategy == "random":
        perm = torch.randperm(len(idx), generator=gen).tolist()
        groups = [[] for _ in range(alpha)]
        for j, q in enumerate(perm):
            groups[j % alpha].append(idx[q])
        return groups
    # clause: clauses by score (sum of |w| over their variables), each to the child whose clause
    # variables are fewest; variables already placed stay; the rest dealt round-robin
    alive = set(idx)
    scores = sorted(
        ((sum(abs(weights[v]) for v in c if v in alive), ci) for ci, c in enumerate(clauses)), key=lambda s: (-s[0], s[1])
    )
    owner = {}
    sizes = [0] * alpha
    for _, ci in scores:
        child = min(range(alpha), key=lambda j: (sizes[j], j))
        for v in clauses[ci]:
            if v in alive and v not in owner:
                owner[v] = child
                sizes[child] += 1
    rest = [v for v in idx if v not in owner]
    perm = torch.randperm(len(rest), generator=gen).tolist()
    for j, q in enumerate(perm):
        owner[rest[q]] = j % alpha
    groups = [[] for _ in range(alpha)]
    for v in idx:
        groups[owner[v]].append(v)
    return groups


def split(model, opt, strategy, p, clauses, gen):
    """FPE of the hidden layer into alpha children per neuron, then the global magnitude budget restore."""
    n, h, alpha, classes = p["n"], p["h"], p["alpha"], p["classes"]
    w1, b1, w2, b2 = (t.detach() for t in (model.l1.weight, model.l1.bias, model.l2.weight, model.l2.bias))
    m1 = (w1 != 0).float() if model.masks is None else model.masks[0]
    nw1 = torch.zeros(h * alpha, n)
    nm1 = torch.zeros(h * alpha, n)
    nb1 = torch.zeros(h * alpha)
    nw2 = torch.zeros(classes, h * alpha)
    for i in range(h):
        groups = split_groups(m1[i].nonzero().flatten(), strategy, alpha, w1[i].abs().tolist(), clauses, gen)
        for j, g in enumerate(groups):
            c = i * alpha + j
            nm1[c, g] = 1
            nw1[c, g] = w1[i, g]
            nb1[c] = b1[i] / alpha
            nw2[:, c] = w2[:, i]
    nm2 = torch.ones(classes, h * alpha)
    # budget restore: prune (alpha - 1)*h*classes smallest |w| over both matrices (ties: lowest flat index)
    extra = (alpha - 1) * h * classes
    flat = torch.cat([nw1.flatten(), nw2.flatten()]).abs()
    alive = torch.cat([nm1.flatten(), nm2.flatten()]) > 0
    order = sorted((v, k) for k, v in enumerate(flat.tolist()) if alive[k])
    for _, k in order[:extra]:
        if k < nm1.numel():
            nm1.view(-1)[k] = 0
        else:
            nm2.view(-1)[k - nm1.numel()] = 0
    wide = Net(n, h * alpha, classes, masks=[nm1, nm2])
    with torch.no_grad():
        wide.l1.weight.copy_(nw1 * nm1)
        wide.l1.bias.copy_(nb1)
        wide.l2.weight.copy_(nw2 * nm2)
        wide.l2.bias.copy_(b2)
    new_opt = torch.optim.Adam(wide.parameters(), lr=p["lr"])
    # carry the Adam state over like widen (children inherit their parent's moments)
    old = opt.state
    rows = torch.arange(h).repeat_interleave(alpha)
    for new_p, old_p, pick in (
        (wide.l1.weight, model.l1.weight, lambda t: t[rows] * nm1),
        (wide.l1.bias, model.l1.bias, lambda t: t[rows]),
        (wide.l2.weight, model.l2.weight, lambda t: t[:, rows] * nm2),
        (wide.l2.bias, model.l2.bias, lambda t: t),
    ):
        s = old.get(old_p)
        if s:
            new_opt.state[new_p] = {"step": s["step"].clone(), "exp_avg": pick(s["exp_avg"]), "exp_avg_sq": pick(s["exp_avg_sq"])}
    return wide, new_opt


def sparse_init(p, gen):
    """Width alpha*h, the dense non-zero count shared between the matrices in proportion to their sizes."""
    n, h, alpha, classes = p["n"], p["h"], p["alpha"], p["classes"]
    wide = h * alpha
    budget = n * h + h * classes
    sizes = [wide * n, classes * wide]
    k1 = round(budget * sizes[0] / sum(sizes))
    masks = []
    for k, shape in ((k1, (wide, n)), (budget - k1, (classes, wide))):
        m = torch.zeros(shape[0] * shape[1])
        m[torch.randperm(m.numel(), generator=gen)[:k]] = 1
        masks.append(m.view(shape))
    return Net(n, wide, classes, masks=masks)


def run_method(method, p, data, clauses):
    """One trial of `method`: the final test accuracy, the curve's points and the non-zero weights at the end."""
    torch.manual_seed(p["seed"])
    gen = torch.Generator().manual_seed(p["seed"] + 1)
    curves = []
    total = p["warmup"] + p["after_split"]
    if method == "sparse-init":
        model = sparse_init(p, gen)
        opt = torch.optim.Adam(model.parameters(), lr=p["lr"])
        train(model, opt, p, data, 0, total, curves)
    else:
        model = Net(p["n"], p["h"], p["classes"])
        opt = torch.optim.Adam(model.parameters(), lr=p["lr"])
        if method == "dense":
            train(model, opt, p, data, 0, total, curves)
        else:
            train(model, opt, p, data, 0, p["warmup"], curves)
            model, opt = split(model, opt, method.removeprefix("fpe-"), p, clauses, gen)
            # widen measures the expanded network's test accuracy at the split (not a curve point)
            evaluate(model, data[2], data[3])
            train(model, opt, p, data, p["warmup"], total, curves)
    nnz = int((model.l1.weight != 0).sum() + (model.l2.weight != 0).sum())
    return evaluate(model, data[2], data[3])[1], len(curves), nnz


def main():
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    with open(sys.argv[1]) as f:
        p = json.load(f)
    n = p["n"]
    xtr = torch.tensor(p["train_x"], dtype=torch.float32).view(-1, n)
    ytr = torch.tensor(p["train_y"], dtype=torch.int64)
    xte = torch.tensor(p["test_x"], dtype=torch.float32).view(-1, n)
    yte = torch.tensor(p["test_y"], dtype=torch.int64)
    data = (xtr, ytr, xte, yte)
    out = []
    for method in p["methods"]:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        accuracy, points, nnz = run_method(method, p, data, p["clauses"])
        out.append(
            {
                "method": method,
                "wall": time.perf_counter() - wall0,
                "cpu": time.process_time() - cpu0,
                "accuracy": accuracy,
                "curve_points": points,
                "nnz": nnz,
            }
        )
        print(f"torch boolean {method}: {out[-1]['wall']:.2f} s wall, {out[-1]['cpu']:.2f} s CPU", file=sys.stderr)
    print(json.dumps({"torch": torch.__version__, "methods": out}))


if __name__ == "__main__":
    main()
