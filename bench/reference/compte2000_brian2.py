"""Compte, Brunel, Goldman-Rakic & Wang 2000 spiking ring attractor in Brian2, two ways.

  --form synapses : as scientists write it (neurodynex3 working_memory_network): Synapses objects,
                    E->E and E->I NMDA through summed variables over all pairs, GABA on_pre.
  --form fft      : exploiting the ring: every recurrent input (E->E by FFT circular
                    convolution, E->I, I->E, I->I by sums) from the presynaptic gating in one
                    network_operation at the start of each step; trials batched as blocks of one
                    NeuronGroup.

Same equations, defaults (the `ndx3` preset of wmkit's compte2000 model), protocol and observables
as wmkit (docs/models/compte2000.md). Prints one JSON line: rates (Hz), bump peak and FWHM,
per-trial values, simulated seconds per wall second, peak memory.

  python3 compte2000_brian2.py --form fft --NE 512 --NI 128 --trials 8 --delay 1000 --seed 1
  python3 compte2000_brian2.py --form synapses --NE 1024 --NI 256 --bench 0.5
"""
import argparse
import json
import resource
import sys
import time

import numpy as np
import brian2 as b2
from brian2 import Hz, mV, ms, nA, nF, nS, pA

p = argparse.ArgumentParser()
p.add_argument('--form', choices=['synapses', 'fft'], default='fft')
p.add_argument('--NE', type=int, default=1024)
p.add_argument('--NI', type=int, default=256)
p.add_argument('--trials', type=int, default=1)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--pre', type=float, default=1000.0)
p.add_argument('--cue', type=float, default=250.0)
p.add_argument('--delay', type=float, default=2000.0)
p.add_argument('--dt', type=float, default=0.05)
p.add_argument('--target', default='cython')
p.add_argument('--bench', type=float, default=0.0, help='only time this many simulated seconds (after a 10-ms warm-up)')
a = p.parse_args()

b2.prefs.codegen.target = a.target
b2.defaultclock.dt = a.dt * ms
b2.seed(a.seed)
np.random.seed(a.seed)
NE, NI, B = a.NE, a.NI, a.trials
if a.form == 'synapses' and B != 1:
    sys.exit('--form synapses simulates one trial per network (use --trials 1)')

# parameters (ndx3 preset)
Cm_E, gL_E, Cm_I, gL_I = 0.5 * nF, 25 * nS, 0.2 * nF, 20 * nS
E_L, V_th, V_reset = -70 * mV, -50 * mV, -60 * mV
tau_ref_E, tau_ref_I = 2 * ms, 1 * ms
tau_AMPA, tau_x, tau_NMDA, alpha, tau_GABA = 1.8 * ms, 1.88 * ms, 65 * ms, 0.5 / ms, 10 * ms
E_AMPA, E_NMDA, E_GABA, Mg = 0 * mV, 0 * mV, -70 * mV, 1.0
N_ext, rate_ext, G_ext_E, G_ext_I = 1000, 1.4 * Hz, 3.1 * nS, 2.38 * nS
J_plus, sigma = 1.6, 20.0
G_EE, G_EI = 0.381 * nS * 2048 / NE, 0.292 * nS * 2048 / NE
G_IE, G_II = 1.336 * nS * 512 / NI, 1.024 * nS * 512 / NI
cue_amp, cue_half = 0.2 * nA, 20.0

from math import erf, sqrt, pi
c = sqrt(2 * pi) * sigma * erf(180 / (sqrt(2) * sigma)) / 360
J_minus = (1 - J_plus * c) / (1 - c)
d = np.minimum(np.arange(NE), NE - np.arange(NE)) * 360.0 / NE
footprint = J_minus + (J_plus - J_minus) * np.exp(-d ** 2 / (2 * sigma ** 2))
theta = 360.0 * np.arange(NE) / NE
dist_cue = np.abs((theta - 180.0 + 180) % 360 - 180)
cue_profile = np.where(dist_cue <= cue_half + 1e-9, 1.0, 0.0)

eqs_E = '''
dv/dt = (-gL_E*(v-E_L) - G_ext_E*s_AMPA*(v-E_AMPA) - G_IE*S_GABA*(v-E_GABA)
         - G_EE*S_NMDA*(v-E_NMDA)/(1 + Mg*exp(-0.062*v/mV)/3.57) + I_stim)/Cm_E : volt (unless refractory)
ds_AMPA/dt = -s_AMPA/tau_AMPA : 1
dx/dt = -x/tau_x : 1
ds_NMDA/dt = -s_NMDA/tau_NMDA + alpha*x*(1 - s_NMDA) : 1
I_stim : amp
'''
eqs_I = '''
dv/dt = (-gL_I*(v-E_L) - G_ext_I*s_AMPA*(v-E_AMPA) - G_II*S_GABA*(v-E_GABA)
         - G_EI*S_NMDA*(v-E_NMDA)/(1 + Mg*exp(-0.062*v/mV)/3.57))/Cm_I : volt (unless refractory)
ds_AMPA/dt = -s_AMPA/tau_AMPA : 1
dg/dt = -g/tau_GABA : 1
'''
if a.form == 'synapses':
    eqs_E += 'S_NMDA : 1\ndS_GABA/dt = -S_GABA/tau_GABA : 1\n'
    eqs_I += 'S_NMDA : 1\ndS_GABA/dt = -S_GABA/tau_GABA : 1\n'
else:
    eqs_E += 'S_NMDA : 1\nS_GABA : 1\n'
    eqs_I += 'S_NMDA : 1\nS_GABA : 1\n'

E = b2.NeuronGroup(NE * B, eqs_E, threshold='v > V_th', reset='v = V_reset; x += 1', refractory=tau_ref_E, method='rk2')
I = b2.NeuronGroup(NI * B, eqs_I, threshold='v > V_th', reset='v = V_reset; g += 1', refractory=tau_ref_I, method='rk2')
E.v = np.random.uniform(-60, -50, NE * B) * mV
I.v = np.random.uniform(-60, -50, NI * B) * mV
objs = [E, I, b2.PoissonInput(E, 's_AMPA', N_ext, rate_ext, 1.0), b2.PoissonInput(I, 's_AMPA', N_ext, rate_ext, 1.0)]

if a.form == 'synapses':
    EE = b2.Synapses(E, E, model='w : 1\nS_NMDA_post = w * s_NMDA_pre : 1 (summed)')
    EE.connect()
    EE.w = footprint[(EE.j[:] - EE.i[:]) % NE]
    EI = b2.Synapses(E, I, model='S_NMDA_post = s_NMDA_pre : 1 (summed)')
    EI.connect()
    IE = b2.Synapses(I, E, on_pre='S_GABA_post += 1')
    IE.connect()
    II = b2.Synapses(I, I, on_pre='S_GABA_post += 1')
    II.connect(condition='i != j')
    objs += [EE, EI, IE, II]
else:
    w_hat = np.fft.rfft(footprint)

    @b2.network_operation(when='start')
    def recurrent():
        s = E.s_NMDA_[:].reshape(B, NE)
        g = I.g_[:].reshape(B, NI)
        E.S_NMDA_[:] = np.fft.irfft(np.fft.rfft(s, axis=1) * w_hat, n=NE, axis=1).ravel()
        I.S_NMDA_[:] = np.repeat(s.sum(axis=1), NI)
        gs = g.sum(axis=1)
        E.S_GABA_[:] = np.repeat(gs, NE)
        I.S_GABA_[:] = (gs[:, None] - g).ravel()

    objs.append(recurrent)

spikes_E = b2.SpikeMonitor(E)
spikes_I = b2.SpikeMonitor(I)
net = b2.Network(*objs, spikes_E, spikes_I)

if a.bench > 0:
    net.run(10 * ms)  # compile
    t0 = time.time()
    net.run(a.bench * 1000 * ms)
    wall = time.time() - t0
    print(json.dumps({'form': a.form, 'NE': NE, 'NI': NI, 'trials': B, 'sim_s_per_wall_s': a.bench * B / wall,
                      'wall_s': wall, 'max_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      'brian2': b2.__version__}))
    sys.exit(0)

t0 = time.time()
net.run(a.pre * ms)
E.I_stim = np.tile(cue_profile, B) * cue_amp
net.run(a.cue * ms)
E.I_stim = 0 * pA
net.run(a.delay * ms)
wall = time.time() - t0
T = a.pre + a.cue + a.delay

# observables (definitions as wmkit's compte2000 observables)
tE = np.asarray(spikes_E.t / ms)
iE = np.asarray(spikes_E.i)
tI = np.asarray(spikes_I.t / ms)
iI = np.asarray(spikes_I.i)
cue_off, delay_end, bin_ms = a.pre + a.cue, T, 200.0
edges = np.arange(cue_off - np.floor(cue_off / bin_ms) * bin_ms, T + 1e-9, bin_ms)
nb = len(edges) - 1


def rate(t, i, n, lo, hi, trial):
    sel = (i // n == trial) & (t >= lo) & (t < hi)
    return sel.sum() / n / ((hi - lo) / 1000)


per = []
for b in range(B):
    sel = iE // NE == b
    counts = np.zeros((nb, NE))
    k = np.floor((tE[sel] - edges[0]) / bin_ms).astype(int)
    ok = (k >= 0) & (k < nb)
    np.add.at(counts, (k[ok], iE[sel][ok] % NE), 1)
    ang = np.degrees(np.arctan2(counts @ np.sin(np.radians(theta)), counts @ np.cos(np.radians(theta)))) % 360
    per.append({'counts': counts, 'angle': ang,
                'baseE': rate(tE, iE, NE, 500, 1000, b), 'baseI': rate(tI, iI, NI, 500, 1000, b),
                'delayE': rate(tE, iE, NE, cue_off + 200, delay_end, b), 'delayI': rate(tI, iI, NI, cue_off + 200, delay_end, b)})

bins = [k for k in range(nb) if edges[k] >= cue_off + 200 - 1e-9 and edges[k + 1] <= delay_end + 1e-9]


def profile(trials):
    acc = np.zeros(NE)
    n = 0
    for b in trials:
        for k in bins:
            shift = int(round(per[b]['angle'][k] / 360 * NE))
            acc += np.roll(per[b]['counts'][k], -shift)
            n += 1
    acc = np.roll(acc, NE // 2) / n / (bin_ms / 1000)
    w = max(1, round(NE / 64))
    sm = np.array([np.mean([acc[(i - w // 2 + q) % NE] for q in range(w)]) for i in range(NE)])
    off = (np.arange(NE) - NE // 2) * 360 / NE
    peak, ip = sm.max(), int(sm.argmax())
    floor = sm[np.abs(off) > 90].mean()
    half = floor + (peak - floor) / 2

    def edge(dr):
        k = 0
        while k < NE and sm[(ip + dr * (k + 1)) % NE] > half:
            k += 1
        x0, x1 = sm[(ip + dr * k) % NE], sm[(ip + dr * (k + 1)) % NE]
        return k + (x0 - half) / (x0 - x1)

    return float(peak), float(floor), float((edge(1) + edge(-1)) * 360 / NE)


pk, fl, fw = profile(range(B))
trial_bumps = [profile([b]) for b in range(B)]
end_bin = max(k for k in range(nb) if edges[k + 1] <= delay_end + 1e-9)
print(json.dumps({
    'form': a.form, 'NE': NE, 'NI': NI, 'trials': B, 'seed': a.seed, 'dt_ms': a.dt,
    'protocol_ms': {'pre': a.pre, 'cue': a.cue, 'delay': a.delay},
    'baseline_E_hz': float(np.mean([q['baseE'] for q in per])), 'baseline_I_hz': float(np.mean([q['baseI'] for q in per])),
    'delay_E_hz': float(np.mean([q['delayE'] for q in per])), 'delay_I_hz': float(np.mean([q['delayI'] for q in per])),
    'bump_peak_hz': pk, 'bump_floor_hz': fl, 'bump_fwhm_deg': fw,
    'per_trial': {
        'baseline_E_hz': [q['baseE'] for q in per], 'baseline_I_hz': [q['baseI'] for q in per],
        'bump_peak_hz': [t[0] for t in trial_bumps], 'bump_fwhm_deg': [t[2] for t in trial_bumps],
        'end_angle_deg': [float(q['angle'][end_bin]) for q in per],
    },
    'sim_s_per_wall_s': T / 1000 * B / wall, 'wall_s': wall, 'brian2': b2.__version__,
}))
