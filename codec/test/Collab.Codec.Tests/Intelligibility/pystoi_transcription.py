"""Numpy-free transcription of pystoi (stoi.py / utils.py) for cross-checking the C# port.

Follows pystoi's array semantics literally: resample_oct + scipy resample_poly via the
upfirdn definition, remove_silent_frames, stft, thirdoct, STOI and (deterministic) ESTOI.
Scratch tool only; slow; use short signals.
"""
import cmath, math, sys, wave, struct

EPS = 2.220446049250313e-16
FS, N_FRAME, NFFT, NUMBAND, MINFREQ, N, BETA, DYN_RANGE = 10000, 256, 512, 15, 150, 30, -15.0, 40


def read_wav(path):
    with wave.open(path, 'rb') as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        n = w.getnframes()
        data = struct.unpack('<%dh' % n, w.readframes(n))
        return [s / 32768.0 for s in data], w.getframerate()


def i0(x):
    # independent of the C# series: numpy-style but via math (sum of series with fixed 60 terms)
    s, t = 1.0, 1.0
    for k in range(1, 60):
        t *= (x / 2.0 / k) ** 2
        s += t
    return s


def resample_window_oct(p, q):
    g = math.gcd(p, q)
    p //= g; q //= g
    stop = 1.0 / (2 * max(p, q))
    roll = stop / 10
    rej = 60.0
    L = math.ceil((rej - 8) / (28.714 * roll))
    beta = 0.1102 * (rej - 8.7)
    M = 2 * L + 1
    h = []
    for n in range(M):
        t = n - L
        x = 2 * stop * t
        sinc = 1.0 if x == 0 else math.sin(math.pi * x) / (math.pi * x)
        ideal = 2 * p * stop * sinc
        alpha = (M - 1) / 2.0
        win = i0(beta * math.sqrt(max(0.0, 1 - ((n - alpha) / alpha) ** 2))) / i0(beta)
        h.append(win * ideal)
    return h, p, q


def resample_poly(x, up, down, window):
    # scipy.signal.resample_poly with an array window, via upfirdn's definition
    h = [v * up for v in window]
    half_len = (len(h) - 1) // 2
    n_out = len(x) * up
    n_out = n_out // down + (1 if n_out % down else 0)
    n_pre_pad = down - half_len % down
    n_pre_remove = (half_len + n_pre_pad) // down
    hp = [0.0] * n_pre_pad + h
    # y_full[i] = sum_k hp[k] * x_up[i*down - k]
    out = []
    for i in range(n_pre_remove, n_pre_remove + n_out):
        pos = i * down
        acc = 0.0
        # k with (pos - k) % up == 0 and 0 <= (pos-k)//up < len(x)
        k = pos % up
        while k < len(hp):
            j = (pos - k) // up
            if j < 0:
                break
            if j < len(x):
                acc += hp[k] * x[j]
            k += up
        out.append(acc)
    return out


def resample_oct(x, p, q):
    h, pp, qq = resample_window_oct(p, q)
    s = sum(h)
    return resample_poly(x, pp, qq, [v / s for v in h])


def hanning(n):  # np.hanning(n + 2)[1:-1]
    m = n + 2
    return [0.5 - 0.5 * math.cos(2 * math.pi * k / (m - 1)) for k in range(1, m - 1)]


def thirdoct():
    f = [i * FS / NFFT for i in range(NFFT // 2 + 1)]  # linspace(0, fs, nfft+1)[:nfft/2+1]
    obm = []
    for k in range(NUMBAND):
        lo = MINFREQ * 2.0 ** ((2 * k - 1) / 6)
        hi = MINFREQ * 2.0 ** ((2 * k + 1) / 6)
        fl = min(range(len(f)), key=lambda i: ((f[i] - lo) ** 2, i))
        fh = min(range(len(f)), key=lambda i: ((f[i] - hi) ** 2, i))
        obm.append((fl, fh))
    return obm


def fft(a):
    n = len(a)
    if n == 1:
        return a[:]
    even, odd = fft(a[0::2]), fft(a[1::2])
    out = [0j] * n
    for k in range(n // 2):
        t = cmath.exp(-2j * math.pi * k / n) * odd[k]
        out[k] = even[k] + t
        out[k + n // 2] = even[k] - t
    return out


def remove_silent_frames(x, y):
    w = hanning(N_FRAME); hop = N_FRAME // 2
    starts = range(0, len(x) - N_FRAME, hop)
    xf = [[w[n] * x[i + n] for n in range(N_FRAME)] for i in starts]
    yf = [[w[n] * y[i + n] for n in range(N_FRAME)] for i in starts]
    e = [20 * math.log10(math.sqrt(sum(v * v for v in fr)) + EPS) for fr in xf]
    mx = max(e)
    keep = [i for i in range(len(e)) if (mx - DYN_RANGE - e[i]) < 0]
    L = (len(keep) - 1) * hop + N_FRAME
    xs, ys = [0.0] * L, [0.0] * L
    for c, i in enumerate(keep):
        for n in range(N_FRAME):
            xs[c * hop + n] += xf[i][n]
            ys[c * hop + n] += yf[i][n]
    return xs, ys


def tob(x, obm):
    w = hanning(N_FRAME); hop = N_FRAME // 2
    cols = []
    for i in range(0, len(x) - N_FRAME, hop):
        spec = fft([w[n] * x[i + n] for n in range(N_FRAME)] + [0.0] * (NFFT - N_FRAME))
        p = [abs(spec[k]) ** 2 for k in range(NFFT // 2 + 1)]
        cols.append([math.sqrt(sum(p[fl:fh])) for fl, fh in obm])
    return [[c[b] for c in cols] for b in range(NUMBAND)]  # [band][frame]


def norm(v):
    return math.sqrt(sum(a * a for a in v))


def scores(x, y, fs):
    if fs != FS:
        x = resample_oct(x, FS, fs); y = resample_oct(y, FS, fs)
    x, y = remove_silent_frames(x, y)
    obm = thirdoct()
    X, Y = tob(x, obm), tob(y, obm)
    frames = len(X[0])
    segs = frames - N + 1
    clip = 10 ** (-BETA / 20)
    total = 0.0
    for m in range(segs):
        for j in range(NUMBAND):
            xs = X[j][m:m + N]; ys = Y[j][m:m + N]
            a = norm(xs) / (norm(ys) + EPS)
            yp = [min(a * ys[n], xs[n] * (1 + clip)) for n in range(N)]
            my, mxm = sum(yp) / N, sum(xs) / N
            yp = [v - my for v in yp]; xc = [v - mxm for v in xs]
            ny, nx = norm(yp) + EPS, norm(xc) + EPS
            total += sum((yp[n] / ny) * (xc[n] / nx) for n in range(N))
    d_stoi = total / (segs * NUMBAND)

    def rc(M):
        rows = []
        for r in M:
            mu = sum(r) / N; r = [v - mu for v in r]; s = norm(r) + EPS
            rows.append([v / s for v in r])
        for n in range(N):
            mu = sum(rows[j][n] for j in range(NUMBAND)) / NUMBAND
            col = [rows[j][n] - mu for j in range(NUMBAND)]
            s = norm(col) + EPS
            for j in range(NUMBAND):
                rows[j][n] = col[j] / s
        return rows

    tot = 0.0
    for m in range(segs):
        xn = rc([X[j][m:m + N] for j in range(NUMBAND)])
        yn = rc([Y[j][m:m + N] for j in range(NUMBAND)])
        tot += sum(xn[j][n] * yn[j][n] / N for j in range(NUMBAND) for n in range(N))
    return d_stoi, tot / segs


if __name__ == '__main__':
    x, fs = read_wav(sys.argv[1])
    y, fs2 = read_wav(sys.argv[2])
    assert fs == fs2
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    n = min(len(x), len(y), int(seconds * fs))
    s, e = scores(x[:n], y[:n], fs)
    print('%.15f %.15f' % (s, e))
