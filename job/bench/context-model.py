# Exploration for issue 7 (not part of the build): how far does a causal-neighbour context
# alone, with no latent, go on Fashion-MNIST? Per-pixel discretised logistic whose mean and
# log-scale come from 12 causal neighbours (W N NW NE WW NN NWW NNE NNW NEE and three
# gradients) through one hidden layer of 32 ReLUs plus a linear term and per-position biases;
# Adam on minibatches of 200; a 1e-4 uniform mixture keeps the tails' gradients finite.
# Float only: it measures what such a decoder could reach, not what codes.
#   apt-get install python3-numpy dataset-fashion-mnist
#   python3 job/bench/context-model.py [train images=20000] [lr=0.003] [epochs=4]
import gzip, numpy as np, sys, time
def load(p):
    d = gzip.open(p).read(); n = int.from_bytes(d[4:8], 'big')
    return np.frombuffer(d, np.uint8, offset=16).reshape(n, 28, 28).astype(np.float32)
D = '/usr/share/datasets/fashion-mnist/'
tr = load(D + 'train-images-idx3-ubyte.gz')[:int(sys.argv[1]) if len(sys.argv) > 1 else 20000]
te = load(D + 't10k-images-idx3-ubyte.gz')
def feats(x):
    p = np.pad(x, ((0, 0), (2, 0), (2, 2)))
    g = lambda dy, dx: p[:, 2 + dy:30 + dy, 2 + dx:30 + dx]
    W, N, NW, NE = g(0, -1), g(-1, 0), g(-1, -1), g(-1, 1)
    WW, NN, NWW, NNE, NNW, NEE = g(0, -2), g(-2, 0), g(-1, -2), g(-2, 1), g(-2, -1), g(-1, 2)
    f = np.stack([W, N, NW, NE, W - NW, N - NW, NE - N, WW, NN, NWW, NNE, NNW, NEE], -1) / 255.0
    return f.reshape(len(x), 784, 13)
H = 32
rng = np.random.default_rng(0)
P = {'W1': rng.normal(0, 0.3, (13, H)).astype(np.float32), 'b1': np.zeros(H, np.float32),
     'Wm': np.zeros(H, np.float32), 'Ws': np.zeros(H, np.float32),
     'lin': np.array([0.5, 0.5] + [0] * 11, np.float32), 'pm': np.zeros(784, np.float32), 'ps': np.zeros(784, np.float32)}
def forward(f):
    h = np.maximum(f @ P['W1'] + P['b1'], 0)
    mean = 255 * (h @ P['Wm'] + f @ P['lin'] + P['pm'])
    ls = np.clip(h @ P['Ws'] + P['ps'] + 3.0, -3, 6)
    return h, mean, ls
def sig(v): return 1 / (1 + np.exp(-np.clip(v, -60, 60)))
def nll(x, mean, ls):
    s = np.exp(-ls)
    up = np.where(x >= 255, 1.0, sig((x + 0.5 - mean) * s))
    lo = np.where(x <= 0, 0.0, sig((x - 0.5 - mean) * s))
    return -np.log((1 - 1e-4) * (up - lo) + 1e-4 / 256)
def bpd(x):
    tot = 0
    for i in range(0, len(x), 1000):
        xb = x[i:i+1000]; f = feats(xb); _, m, ls = forward(f)
        tot += nll(xb.reshape(len(xb), 784), m, ls).sum()
    return tot / (len(x) * 784) / np.log(2)
# gradients by finite structure: use autograd-free trick -> numerical via simple manual backprop
def grads(xb):
    f = feats(xb); x = xb.reshape(len(xb), 784)
    pre = f @ P['W1'] + P['b1']; h = np.maximum(pre, 0)
    a = h @ P['Wm'] + f @ P['lin'] + P['pm']; mean = 255 * a
    lsr = h @ P['Ws'] + P['ps'] + 3.0; ls = np.clip(lsr, -3, 6); s = np.exp(-ls)
    zu = (x + 0.5 - mean) * s; zl = (x - 0.5 - mean) * s
    su = np.where(x >= 255, 1.0, sig(zu)); sl = np.where(x <= 0, 0.0, sig(zl))
    pr = ((1 - 1e-4) * (su - sl) + 1e-4 / 256) / (1 - 1e-4)
    du = np.where(x >= 255, 0.0, sig(zu) * (1 - sig(zu))); dl = np.where(x <= 0, 0.0, sig(zl) * (1 - sig(zl)))
    # dNLL/dmean and dNLL/dls
    dmean = -(-(du - dl) * s) / pr
    dls = -((du * (-zu)) - (dl * (-zl))) / pr
    dls = dls * ((lsr > -3) & (lsr < 6))
    n = x.size
    da = dmean * 255
    G = {'Wm': np.einsum('bph,bp->h', h, da) / n, 'lin': np.einsum('bpf,bp->f', f, da) / n,
         'pm': da.sum(0) / n, 'Ws': np.einsum('bph,bp->h', h, dls) / n, 'ps': dls.sum(0) / n}
    dh = (da[..., None] * P['Wm'] + dls[..., None] * P['Ws']) * (pre > 0)
    G['W1'] = np.einsum('bpf,bph->fh', f, dh) / n; G['b1'] = dh.sum((0, 1)) / n
    return G, nll(x, mean, ls).mean()
M = {k: np.zeros_like(v) for k, v in P.items()}; V = {k: np.zeros_like(v) for k, v in P.items()}
step = 0; lr = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01; t0 = time.time()
for ep in range(int(sys.argv[3]) if len(sys.argv) > 3 else 4):
    idx = rng.permutation(len(tr))
    for i in range(0, len(tr), 200):
        G, L = grads(tr[idx[i:i+200]]); step += 1
        for k in P:
            M[k] = 0.9 * M[k] + 0.1 * G[k]; V[k] = 0.999 * V[k] + 0.001 * G[k] ** 2
            P[k] -= lr * (M[k] / (1 - 0.9 ** step)) / (np.sqrt(V[k] / (1 - 0.999 ** step)) + 1e-8)
    print(f'epoch {ep}: train batch {L/np.log(2):.4f} bits/dim, test {bpd(te):.4f}, {time.time()-t0:.0f} s', flush=True)
