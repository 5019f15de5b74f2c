"""Recurrent layers on batch-first sequences: ``RNN`` (tanh), ``LSTM``, ``GRU``.

Each maps x of shape (N, T, n_in) to the hidden states h of shape (N, T, H),
starting from a zero state unless ``forward(x, state)`` is given one (truncated
BPTT carries the last state into the next window; no gradient flows into it).
``backward(dH)`` runs backpropagation through time, fills ``grads`` and returns
dL/dx. Parameter layouts and gate orders are PyTorch's, transposed to the
engine's (n_in, n_out) convention:

    RNN   h = tanh(x·W + h₋·U + b)                       W (n_in, H)   U (H, H)   b (H,)
    LSTM  [i f g o] = x·W + h₋·U + b                     W (n_in, 4H)  U (H, 4H)  b (4H,)
          i, f, o = σ(·), g = tanh(·);  c = f·c₋ + i·g;  h = o·tanh(c)
    GRU   r = σ(x·W_r + b_i[r] + h₋·U_r + b_h[r])        W (n_in, 3H)  U (H, 3H)
          z = σ(x·W_z + b_i[z] + h₋·U_z + b_h[z])        b_i (3H,)     b_h (3H,)
          n = tanh(x·W_n + b_i[n] + r·(h₋·U_n + b_h[n]))
          h = (1 − z)·n + z·h₋

Speed: RNN and GRU do x·W for every step as one matmul before the loop; each
step is then one matmul for all gates. Sigmoids are computed as σ(a) = ½·tanh(½a)
+ ½, so one tanh covers all gates: the ½ is folded into scaled copies of the
weights once per forward. Arrays inside are time-major (T, N, ·) so every step
reads contiguous memory. The LSTM goes further (see its class doc): feature-major
step blocks, gates reordered so each is contiguous, x·W + b a chunk of steps at a
time just before those steps, Uᵀ·h₋ per step, views made once per shape, and
backward's weight gradients and dx as GEMMs over chunks of steps.
Initial weights (``init``): "orthogonal" (the default, Keras's: Glorot W, orthogonal U
per gate, zero biases, LSTM forget bias 1) lets gradients survive tens of steps;
"uniform" is PyTorch's (all uniform in ±1/√H; pass forget_bias=0 for an LSTM).
"""

from __future__ import annotations

import math

import numpy as np

from nn_tui.engine.layers import Layer, Parameters
from nn_tui.engine.validation import check_choice, check_count, make_rng, resolve_dtype


RECURRENT_INITS = ("orthogonal", "uniform")


def _orthogonal(n, rng):
    """A random orthogonal n×n matrix (QR of a Gaussian, signs fixed so it is uniform)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


_ALIGNMENT = 64  # bytes: a cache line, and one AVX-512 register


def _aligned_empty(shape, dtype):
    """np.empty whose data starts on a 64-byte boundary (NumPy gives 16): with
    every step's block a multiple of 64 bytes, each numpy call and GEMM then
    reads whole cache lines (measured: ~3% of the LSTM's forward+backward)."""
    dtype = np.dtype(dtype)
    count = math.prod(shape)  # np.prod costs ~3 µs a call, a few per forward and backward
    raw = np.empty(count * dtype.itemsize + _ALIGNMENT, dtype=np.uint8)
    offset = -raw.ctypes.data % _ALIGNMENT
    return raw[offset:offset + count * dtype.itemsize].view(dtype).reshape(shape)


class _Recurrent(Layer):
    """What the three cells share: construction, storage, the input matmul and
    the gradients that are sums over all steps."""

    n_gates = 1
    bias_names = ("b",)
    regularized = ("W", "U")

    def __init__(self, n_in, hidden, seed=0, dtype=np.float64, init="orthogonal"):
        self.n_in = check_count("n_in", n_in)
        self.hidden = check_count("hidden", hidden)
        self.n_out = self.hidden
        self.dtype = resolve_dtype(dtype)
        self.init = check_choice("init", init, RECURRENT_INITS)
        rng = make_rng(seed)
        width = self.n_gates * self.hidden
        shapes = {"W": (self.n_in, width), "U": (self.hidden, width)}
        shapes.update({name: (width,) for name in self.bias_names})
        if init == "uniform":  # PyTorch's: everything uniform in ±1/√H
            bound = 1.0 / np.sqrt(self.hidden)
            # Drawn in a fixed order (W, U, biases) so a seed means the same weights.
            values = {name: rng.uniform(-bound, bound, shape) for name, shape in shapes.items()}
        else:  # Keras's: Glorot-uniform W, an orthogonal U per gate, zero biases
            bound = np.sqrt(6.0 / (self.n_in + self.hidden))
            values = {"W": rng.uniform(-bound, bound, shapes["W"]),
                      "U": np.concatenate([_orthogonal(self.hidden, rng) for _ in range(self.n_gates)], axis=1)}
            values.update({name: np.zeros(shapes[name]) for name in self.bias_names})
        self.params = Parameters({name: values[name].astype(self.dtype) for name in shapes})
        self.grads = {name: np.zeros(shape, dtype=self.dtype) for name, shape in shapes.items()}
        self.mask = None  # optimizers re-apply masks; recurrent layers have none
        self.propagate_input_grad = True
        self.input = None
        self.output = None
        self.last_state = None

    def zero_state(self, n):
        return np.zeros((n, self.hidden), dtype=self.dtype)

    def _buffer(self, name, shape):
        """A work array kept from call to call while its shape stays: fresh
        megabytes cost page faults on every call, more than the arithmetic
        in them. Its old contents are never read (every call overwrites it)."""
        buffers = self.__dict__.setdefault("_buffers", {})
        array = buffers.get(name)
        if array is None or array.shape != shape:
            array = buffers[name] = np.empty(shape, dtype=self.dtype)
        return array

    def _check_input(self, x):
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 3 or x.shape[2] != self.n_in:
            raise ValueError(f"{type(self).__name__} expects (N, T, {self.n_in}) input, not {x.shape}")
        return x

    def _input_projection(self, x, bias):
        """x·W + bias for every step at once, time-major (T, N, width)."""
        self.input = x
        n, t, _ = x.shape
        self._x_tm = np.ascontiguousarray(x.transpose(1, 0, 2)).reshape(t * n, self.n_in)
        projected = self._x_tm @ self.params["W"]
        projected += bias
        return projected.reshape(t, n, -1)

    def _finish_backward(self, d_input_pre, d_hidden_pre, h_prev_tm):
        """Sums over steps: W and U from their pre-activation gradients (time-major),
        and dL/dx back to batch-first."""
        t, n, width = d_input_pre.shape
        d_in = d_input_pre.reshape(t * n, width)
        d_hid = d_hidden_pre.reshape(t * n, width)
        np.matmul(self._x_tm.T, d_in, out=self.grads["W"])
        np.matmul(h_prev_tm.reshape(t * n, self.hidden).T, d_hid, out=self.grads["U"])
        if not self.propagate_input_grad:
            return None
        dx = (d_in @ self.params["W"].T).reshape(t, n, self.n_in)
        return np.ascontiguousarray(dx.transpose(1, 0, 2))

    def _h_prev(self, h_tm, h0):
        """h₋ for every step: h0, then the states of steps 0..T−2."""
        h_prev = np.empty_like(h_tm)
        h_prev[0] = h0
        h_prev[1:] = h_tm[:-1]
        return h_prev

    def backward_(self, grad_out):
        return self.backward(grad_out)

    def __repr__(self):
        return f"{type(self).__name__}({self.n_in}, {self.hidden})"


class RNN(_Recurrent):
    """``RNN(n_in, hidden, seed=0, dtype=np.float64)``: h = tanh(x·W + h₋·U + b)."""

    def forward(self, x, state=None):
        x = self._check_input(x)
        n, t, _ = x.shape
        h = self.zero_state(n) if state is None else np.array(state, dtype=self.dtype)
        self._h0 = h
        pre = self._input_projection(x, self.params["b"])
        U = self.params["U"]
        h_tm = pre  # filled in place: step k's pre-activation becomes its state
        for k in range(t):
            step = h_tm[k]
            step += h @ U
            np.tanh(step, out=step)
            h = step
        self._h_tm = h_tm
        self.last_state = h.copy()
        self.output = np.ascontiguousarray(h_tm.transpose(1, 0, 2))
        return self.output

    def backward(self, grad_out):
        h_tm = self._h_tm
        t, n, hidden = h_tm.shape
        dh_tm = np.asarray(grad_out, dtype=self.dtype).transpose(1, 0, 2).copy()  # ours to overwrite
        d_pre = dh_tm  # overwritten in place, step by step
        derivative = 1.0 - h_tm * h_tm
        U_T = np.ascontiguousarray(self.params["U"].T)  # BLAS is ~2× faster on it than on the view
        d_next = None
        for k in range(t - 1, -1, -1):
            step = d_pre[k]
            if d_next is not None:
                step += d_next
            step *= derivative[k]
            d_next = step @ U_T
        np.sum(d_pre.reshape(t * n, hidden), axis=0, out=self.grads["b"])
        return self._finish_backward(d_pre, d_pre, self._h_prev(h_tm, self._h0))


class LSTM(_Recurrent):
    """``LSTM(n_in, hidden, seed=0, dtype=np.float64, init="orthogonal", forget_bias=1.0)``;
    gates i, f, g, o.

    ``forget_bias`` is added to b[f] at construction (Keras's unit_forget_bias:
    the cell starts out remembering; 0 with init="uniform" is PyTorch's init). ``state`` is (h, c); ``last_state`` and
    ``cell`` (the cell states, (N, T, H)) are kept after forward.

    Inside, arrays are time-major with one feature-major (features, N) block per
    step, and the gates are reordered to [g f i o]: every gate is then a
    contiguous block, and numpy's cost per call (not per element) and memory
    outside the cache are what a step pays. Each step's block is [c₋, g, f, i, o],
    so [f, i]·[c₋, g] is one call. Steps run in chunks of ``_CHUNK``: x·W + b for a
    chunk is one batched matmul just before its steps (still in cache when they
    read it); a forward step is then Uᵀ·h₋ (K = H: BLAS runs it at full speed) and
    eight calls. A backward step first forms, on small arrays that stay in cache,

        F = [tanh'(g)·i, σ'(f)·c₋, σ'(i)·g, σ'(o)·tanh(c), o·tanh'(c)]

    then [d_o, dc] = F[3:5]·dh, dc += dc_next, [d_g, d_f, d_i] = F[0:3]·dc,
    dc_next = f·dc, dh₋ = U·d. The weight gradients and dx are GEMMs per chunk.
    Measured slower on the bench's shape: F for a chunk of steps in larger calls,
    F made in forward (its writes leave the cache), one [U; W; b] matmul per step
    (K = H + n_in + 1 ran at ~¾ of BLAS's speed), chunks of 4 or 16 steps; and (2026-12-07)
    tanh(c) kept in the step block for a 6-call F (strided views cost more than the calls
    saved), np.dot or ctypes cblas_sgemm with beta=1 for the per-step GEMMs, batch-major
    steps (~1.9× slower a step), half batches (see bench/vs_torch_lstm.py).
    """

    n_gates = 4
    _CHUNK = 8  # steps per batched input matmul (forward) and weight-gradient GEMM (backward)
    _PLANS_KEPT = 2  # training's shape and evaluation's: alternating does not rebuild
    _COPY_STEPS = 4  # h to batch-first this many steps a copy: the source stays in L1 (~2× faster than 8)
    _INSIDE = (2, 1, 0, 3)  # inside gate j is PyTorch's gate _INSIDE[j]: [g f i o] from [i f g o]

    def __init__(self, n_in, hidden, seed=0, dtype=np.float64, init="orthogonal", forget_bias=1.0):
        super().__init__(n_in, hidden, seed=seed, dtype=dtype, init=init)
        H = self.hidden
        self.params["b"][H:2 * H] += forget_bias

    def zero_state(self, n):
        return (np.zeros((n, self.hidden), dtype=self.dtype), np.zeros((n, self.hidden), dtype=self.dtype))

    def _inside_rows(self, weights, out, scaled):
        """out (4H, k) = weightsᵀ (weights (k, 4H) in PyTorch's gate order) in the
        inside order; with ``scaled`` the sigmoid gates' rows are halved
        (σ(a) = ½·tanh(½a) + ½). Block copies: a fancy index costs ~5× more."""
        H = self.hidden
        gates = weights.T.reshape(4, H, -1)
        rows = out.reshape(4, H, -1)
        for inside, outside in enumerate(self._INSIDE):
            if scaled and inside > 0:
                np.multiply(gates[outside], 0.5, out=rows[inside])
            else:
                rows[inside] = gates[outside]
        return out

    def _outside_columns(self, inside, out):
        """out (k, 4H) in PyTorch's gate order = insideᵀ (inside (4H, k), inside order)."""
        H = self.hidden
        rows = inside.reshape(4, H, -1)
        columns = out.T.reshape(4, H, -1)
        for j, outside in enumerate(self._INSIDE):
            columns[outside] = rows[j]

    def _chunks(self, t):
        chunk = min(t, self._CHUNK)
        return [(low, min(low + chunk, t)) for low in range(0, t, chunk)]

    def _plan(self, n, t, arrays=None):
        """Work arrays for sequences of t steps of n, with every view a step uses
        made once: a view costs ~0.1 µs, a good part of one of a step's small
        numpy calls. Kept for the last shapes used; old contents are never read
        (every call overwrites them). ``arrays`` (z, gates, tanh_c): the plan must
        be made around these (backward after a copy, which kept the arrays but
        not the plan)."""
        plans = self.__dict__.setdefault("_work_plans", {})
        plan = plans.get((n, t))
        if plan is not None and (arrays is None or plan["gates"] is arrays[1]):
            return plan
        plans.pop((n, t), None)
        while len(plans) >= self._PLANS_KEPT:
            del plans[next(iter(plans))]  # the oldest
        H, n_in, dtype = self.hidden, self.n_in, self.dtype
        if arrays is None:
            z = _aligned_empty((t + 1, H + n_in + 1, n), dtype)  # z[k] = [h₋ of step k; x_k; 1]
            z[:, H + n_in] = 1.0
            gates = _aligned_empty((t + 1, 5 * H, n), dtype)  # step k: [c₋, g, f, i, o]
            tanh_c = _aligned_empty((t, H, n), dtype)
        else:
            z, gates, tanh_c = arrays
        forward_steps = [(z[k, :H], gates[k, H:], gates[k, 2 * H:], gates[k, 2 * H:4 * H], gates[k, :2 * H],
                          gates[k + 1, :H], tanh_c[k], gates[k, 4 * H:], z[k + 1, :H]) for k in range(t)]
        plan = plans[(n, t)] = {
            "z": z, "gates": gates, "tanh_c": tanh_c, "forward_steps": forward_steps,
            "recurrent": _aligned_empty((4 * H, n), dtype), "products": _aligned_empty((2 * H, n), dtype)}
        return plan

    def _backward_plan(self, plan, n, t):
        """Backward's work arrays and per-step views, added to a forward plan the
        first time backward runs on its shape (evaluation never needs them)."""
        if "backward_steps" in plan:
            return plan
        H, n_in, dtype = self.hidden, self.n_in, self.dtype
        chunk = min(t, self._CHUNK)
        z, gates, tanh_c = plan["z"], plan["gates"], plan["tanh_c"]
        dh_steps = _aligned_empty((chunk, H, n), dtype)  # a chunk's dL/dh, then + dh₋ from later
        work = _aligned_empty((chunk, 5 * H, n), dtype)  # per step of a chunk [d_g, d_f, d_i, d_o, dc]
        dc_next = _aligned_empty((2, H, n), dtype)  # f·dc, two in turn: a step reads the later one's
        backward_steps = []
        for k in range(t):
            block, d = gates[k], work[k % chunk]
            backward_steps.append((
                block[H:], block[2 * H:], block[H:2 * H], block[2 * H:3 * H], block[3 * H:4 * H], block[4 * H:],
                block[:2 * H], tanh_c[k], z[k + 1, :H], dh_steps[k % chunk],
                d[3 * H:].reshape(2, H, n), d[4 * H:], d[:3 * H].reshape(3, H, n), d[:4 * H],
                dc_next[k % 2], dc_next[(k + 1) % 2]))
        plan.update({
            "dh_steps": dh_steps, "work": work, "backward_steps": backward_steps,
            "d_chunk": _aligned_empty((4 * H, chunk, n), dtype),
            "z_chunk": _aligned_empty((H + n_in + 1, chunk, n), dtype),
            "dh_next": _aligned_empty((H, n), dtype), "F": _aligned_empty((5 * H, n), dtype),
            "derivative": _aligned_empty((4 * H, n), dtype)})
        return plan

    def __getstate__(self):
        # A copy must not keep the plan: copied views would no longer alias the
        # copied buffers, and a step would read arrays its neighbour never wrote.
        state = dict(self.__dict__)
        state.pop("_work_plans", None)
        return state

    def forward(self, x, state=None):
        x = self._check_input(x)
        self.input = x
        n, t, n_in = x.shape
        H = self.hidden
        dtype = self.dtype
        h0, c0 = self.zero_state(n) if state is None else (np.array(s, dtype=dtype) for s in state)
        plan = self._plan(n, t)
        z, gates, tanh_c = plan["z"], plan["gates"], plan["tanh_c"]
        z[:t, H:H + n_in] = x.transpose(1, 2, 0)
        z[0, :H] = h0.T
        gates[0, :H] = c0.T
        input_weights = _aligned_empty((4 * H, n_in + 1), dtype)  # [W; b]ᵀ inside, scaled
        self._inside_rows(np.vstack((self.params["W"], self.params["b"])), input_weights, scaled=True)
        hidden_weights = self._inside_rows(self.params["U"], _aligned_empty((4 * H, H), dtype), scaled=True)
        recurrent, products = plan["recurrent"], plan["products"]
        products_fc, products_ig = products[:H], products[H:]
        matmul, add, multiply, tanh = np.matmul, np.add, np.multiply, np.tanh
        steps = plan["forward_steps"]
        output = np.empty((n, t, H), dtype=dtype)
        for low, high in self._chunks(t):
            # x·W + b for the chunk's steps, into their gate blocks just before the steps read them
            matmul(input_weights, z[low:high, H:], out=gates[low:high, H:])
            for h_prev, a, sigmoids, f_i, c_prev_g, c, tc, o, h in steps[low:high]:
                matmul(hidden_weights, h_prev, out=recurrent)
                add(a, recurrent, out=a)
                tanh(a, out=a)
                multiply(sigmoids, 0.5, out=sigmoids)
                add(sigmoids, 0.5, out=sigmoids)
                multiply(f_i, c_prev_g, out=products)  # [f·c₋, i·g]
                add(products_fc, products_ig, out=c)
                tanh(c, out=tc)
                multiply(o, tc, out=h)
            for part in range(low, high, self._COPY_STEPS):
                end = min(part + self._COPY_STEPS, high)
                output[:, part:end] = z[part + 1:end + 1, :H].transpose(2, 0, 1)
        self._gates, self._z, self._tanh_c = gates, z, tanh_c
        self._cell = None
        self.last_state = (z[t, :H].T.copy(), gates[t, :H].T.copy())
        self.output = output
        return self.output

    @property
    def cell(self):
        """The cell states of the last forward, (N, T, H) (made when first asked for)."""
        if self._cell is None and getattr(self, "_gates", None) is not None:
            self._cell = np.ascontiguousarray(self._gates[1:, :self.hidden].transpose(2, 0, 1))
        return self._cell

    _cell = None

    def backward(self, grad_out):
        z, tanh_c = self._z, self._tanh_c
        t, _, n = tanh_c.shape
        H, n_in = self.hidden, self.n_in
        dtype = self.dtype
        plan = self._backward_plan(self._plan(n, t, (z, self._gates, tanh_c)), n, t)
        grad_out = np.asarray(grad_out, dtype=dtype)
        U_back = self._inside_rows(self.params["U"], _aligned_empty((4 * H, H), dtype), scaled=False).T
        W_back = self._inside_rows(self.params["W"], _aligned_empty((4 * H, n_in), dtype), scaled=False)
        dx = np.empty((n, t, n_in), dtype=dtype) if self.propagate_input_grad else None
        width = H + n_in + 1
        dh_steps, work, d_chunk, z_chunk, dh_next = (
            plan["dh_steps"], plan["work"], plan["d_chunk"], plan["z_chunk"], plan["dh_next"])
        d_weights = np.zeros((4 * H, width), dtype=dtype)  # U's rows, W's rows, then b (inside order)
        d_weights_chunk = np.empty_like(d_weights)
        # F = [tanh'(g)·i, σ'(f)·c₋, σ'(i)·g, σ'(o)·tanh(c), o·tanh'(c)], step by step
        F, derivative = plan["F"], plan["derivative"]
        F_g, F_fi, F_o, F_c = F[:H], F[H:3 * H], F[3 * H:4 * H], F[4 * H:]
        F_gates, F_cell = F[:3 * H].reshape(3, H, n), F[3 * H:].reshape(2, H, n)
        d_tanh, d_sigmoid = derivative[:H], derivative[H:]
        d_fi, d_o = derivative[H:3 * H], derivative[3 * H:]
        matmul, add, multiply, subtract = np.matmul, np.add, np.multiply, np.subtract
        steps = plan["backward_steps"]
        last = t - 1
        for low, high in reversed(self._chunks(t)):
            size = high - low
            dh_steps[:size] = grad_out[:, low:high].transpose(1, 2, 0)
            for k in range(high - 1, low - 1, -1):
                (a, sigmoids, g, f, i, o, c_prev_g, tc, h, dh,
                 d_o_dc, dc, d_gfi, d_gates, dc_next, dc_later) = steps[k]
                multiply(a, a, out=derivative)
                subtract(1.0, d_tanh, out=d_tanh)  # 1 − g²
                subtract(sigmoids, d_sigmoid, out=d_sigmoid)  # σ' = σ − σ² for f, i, o
                multiply(d_tanh, i, out=F_g)
                multiply(d_fi, c_prev_g, out=F_fi)  # σ'(f)·c₋, σ'(i)·g
                multiply(d_o, tc, out=F_o)
                multiply(h, tc, out=F_c)
                subtract(o, F_c, out=F_c)  # o·tanh'(c) = o − h·tanh(c)
                if k < last:
                    add(dh, dh_next, out=dh)
                multiply(F_cell, dh, out=d_o_dc)  # d_o, dc
                if k < last:
                    add(dc, dc_later, out=dc)
                multiply(F_gates, dc, out=d_gfi)  # d_g, d_f, d_i
                multiply(f, dc, out=dc_next)
                matmul(U_back, d_gates, out=dh_next)
            # The chunk's steps side by side: its weight gradients and dx are GEMMs.
            d_steps = d_chunk[:, :size]
            d_steps[...] = work[:size, :4 * H].transpose(1, 0, 2)
            d_steps = d_steps.reshape(4 * H, size * n)
            z_steps = z_chunk[:, :size]
            z_steps[...] = z[low:high].transpose(1, 0, 2)
            matmul(d_steps, z_steps.reshape(width, size * n).T, out=d_weights_chunk)
            add(d_weights, d_weights_chunk, out=d_weights)
            if dx is not None:
                dx_steps = (d_steps.T @ W_back).reshape(size, n, n_in)
                dx[:, low:high] = dx_steps.transpose(1, 0, 2)
        self._outside_columns(d_weights[:, :H], self.grads["U"])
        self._outside_columns(d_weights[:, H:H + n_in], self.grads["W"])
        self._outside_columns(d_weights[:, H + n_in:], self.grads["b"][None])
        return dx


class GRU(_Recurrent):
    """``GRU(n_in, hidden, seed=0, dtype=np.float64, init="orthogonal", update_bias=0.0)``;
    gates r, z, n as PyTorch has them. ``update_bias`` is added to b_i[z]: a positive
    one starts the unit out keeping its state (h ≈ h₋), as a forget bias does for an LSTM."""

    n_gates = 3
    bias_names = ("b_i", "b_h")

    def __init__(self, n_in, hidden, seed=0, dtype=np.float64, init="orthogonal", update_bias=0.0):
        super().__init__(n_in, hidden, seed=seed, dtype=dtype, init=init)
        H = self.hidden
        self.params["b_i"][H:2 * H] += update_bias

    def forward(self, x, state=None):
        x = self._check_input(x)
        n, t, _ = x.shape
        H = self.hidden
        h = self.zero_state(n) if state is None else np.array(state, dtype=self.dtype)
        self._h0 = h
        # r and z get their σ through ½·tanh(½a)+½; n keeps its unscaled a.
        scale = np.full(3 * H, 0.5, dtype=self.dtype)
        scale[2 * H:] = 1.0
        pre_in = self._input_projection(x, self.params["b_i"])
        pre_in[:, :, :2 * H] *= 0.5
        U_scaled = self.params["U"] * scale
        b_h_scaled = self.params["b_h"] * scale
        rz = np.empty((t, n, 2 * H), dtype=self.dtype)
        hn = np.empty((t, n, H), dtype=self.dtype)   # h₋·U_n + b_h[n], which r multiplies
        new = np.empty((t, n, H), dtype=self.dtype)  # n
        h_tm = np.empty((t, n, H), dtype=self.dtype)
        for k in range(t):
            a = h @ U_scaled
            a += b_h_scaled
            gate = rz[k]
            np.add(pre_in[k, :, :2 * H], a[:, :2 * H], out=gate)
            np.tanh(gate, out=gate)
            gate *= 0.5
            gate += 0.5
            hn[k] = a[:, 2 * H:]
            cand = new[k]
            np.multiply(gate[:, :H], a[:, 2 * H:], out=cand)
            cand += pre_in[k, :, 2 * H:]
            np.tanh(cand, out=cand)
            h_k = h_tm[k]
            np.subtract(h, cand, out=h_k)
            h_k *= gate[:, H:]
            h_k += cand  # h = n + z·(h₋ − n)
            h = h_k
        self._rz, self._hn, self._new, self._h_tm = rz, hn, new, h_tm
        self.last_state = h.copy()
        self.output = np.ascontiguousarray(h_tm.transpose(1, 0, 2))
        return self.output

    def backward(self, grad_out):
        rz, hn, new, h_tm = self._rz, self._hn, self._new, self._h_tm
        t, n, H = h_tm.shape
        dh_tm = np.asarray(grad_out, dtype=self.dtype).transpose(1, 0, 2).copy()  # ours to overwrite
        h_prev = self._h_prev(h_tm, self._h0)
        # With a = d pre-activation of n = dh·(1−z)·tanh'(n), every gradient a step
        # needs is dh times a factor known before the loop:
        #   d(h₋·U + b_h) = dh · [(1−z)tanh'(n)·hn·σ'(r), (h₋−n)·σ'(z), (1−z)tanh'(n)·r]
        #   dh₋ = d(h₋·U + b_h)·Uᵀ + dh·z
        r, z = rz[:, :, :H], rz[:, :, H:]
        to_new = (1.0 - z) * (1.0 - new * new)
        factor = np.empty((t, n, 3, H), dtype=self.dtype)
        np.multiply(to_new * hn, r * (1.0 - r), out=factor[:, :, 0])
        np.multiply(h_prev - new, z * (1.0 - z), out=factor[:, :, 1])
        np.multiply(to_new, r, out=factor[:, :, 2])
        keep = np.ascontiguousarray(z)
        d_hidden = np.empty((t, n, 3, H), dtype=self.dtype)  # d(h₋·U + b_h)
        U_T = np.ascontiguousarray(self.params["U"].T)  # BLAS is ~2× faster on it than on the view
        width = 3 * H
        dh_next = None
        for k in range(t - 1, -1, -1):
            dh = dh_tm[k]
            if dh_next is not None:
                dh += dh_next
            d = d_hidden[k]
            np.multiply(factor[k], dh[:, None, :], out=d)
            dh_next = d.reshape(n, width) @ U_T
            dh_next += dh * keep[k]
        d_hidden = d_hidden.reshape(t, n, width)
        d_new_pre = dh_tm * to_new  # dh_tm now holds each step's whole dh
        d_input = d_hidden.copy()
        d_input[:, :, 2 * H:] = d_new_pre
        np.sum(d_input.reshape(t * n, 3 * H), axis=0, out=self.grads["b_i"])
        np.sum(d_hidden.reshape(t * n, 3 * H), axis=0, out=self.grads["b_h"])
        return self._finish_backward(d_input, d_hidden, h_prev)


RECURRENT_CELLS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}
