/**
 * Live models, simulated in the page with the same @wmkit packages as the CLI:
 * - the continuous bump attractor (Wimmer et al. 2014): click the ring to show a cue for 500 ms
 *   and watch the bump hold (and diffuse); sliders for noise and recurrent excitation;
 * - the WTA / nWTA circuit (Kriener et al. 2020): sliders for N, α, β, θ, σ, Δ; one trial per
 *   click, with its decision time.
 */
import { RingLive, ringModel, wtaParams, wtaTraces, wtaTrial } from '@wmkit/attractor-models';
import { Rng } from '@wmkit/tensor';
import { el, Plot, panel } from './plots';

function slider(
  label: string,
  id: string,
  min: number,
  max: number,
  step: number,
  value: number,
): { box: HTMLElement; input: HTMLInputElement } {
  const input = el('input', {
    type: 'range',
    id,
    min: String(min),
    max: String(max),
    step: String(step),
    value: String(value),
  }) as HTMLInputElement;
  const out = el('output', {}, String(value));
  input.addEventListener('input', () => {
    out.textContent = input.value;
  });
  return { box: el('label', { class: 'slider' }, `${label} `, input, out), input };
}

/** magma-like colour map on [0, 1]. */
function color(v: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, v));
  const stops: [number, number, number][] = [
    [0, 0, 4],
    [81, 18, 124],
    [183, 55, 121],
    [252, 137, 97],
    [252, 253, 191],
  ];
  const p = x * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(p));
  const f = p - i;
  return [0, 1, 2].map((c) => Math.round(stops[i][c] + f * (stops[i + 1][c] - stops[i][c]))) as [number, number, number];
}

let stopBump: (() => void) | null = null;

function bumpPanel(): HTMLElement {
  const model = ringModel('bump');
  const net = new RingLive(model, new Rng(Date.now() % 100000));
  const N = net.N;
  const ring = el('canvas', { width: '260', height: '260', id: 'ring', title: 'click to show a cue at that angle' }) as HTMLCanvasElement;
  const heat = el('canvas', { width: '500', height: '256', id: 'bump-heat' }) as HTMLCanvasElement;
  const readout = el(
    'div',
    { id: 'bump-readout', class: 'readout', 'data-decoded-deg': '', 'data-cue-deg': '' },
    'click the ring to cue a location',
  );
  const noise = slider('noise ×', 'noise', 0, 2, 0.1, 1);
  const gee = slider('G_EE', 'gee', 4, 8, 0.1, model.GEE);
  const erase = el('button', { id: 'erase' }, 'erase') as HTMLButtonElement;
  const rctx = ring.getContext('2d') as CanvasRenderingContext2D;
  const hctx = heat.getContext('2d') as CanvasRenderingContext2D;
  const history = Array.from({ length: heat.width }, () => new Float32Array(heat.height));
  const decodedHistory = new Int32Array(heat.width).fill(-1);
  let head = 0;
  let cueSteps = 0;
  let cueAngle: number | null = null;
  let eraseSteps = 0;
  ring.addEventListener('click', (ev) => {
    const b = ring.getBoundingClientRect();
    const x = ev.clientX - b.left - b.width / 2;
    const y = -(ev.clientY - b.top - b.height / 2);
    cueAngle = Math.atan2(y, x);
    // as in the task: the response erases the previous memory (100 ms), then the new cue (500 ms)
    eraseSteps = 50;
    cueSteps = 250; // at dt = 2 ms
    readout.setAttribute('data-cue-deg', (((((cueAngle * 180) / Math.PI) % 360) + 360) % 360).toFixed(1));
  });
  erase.addEventListener('click', () => {
    eraseSteps = 100;
  });
  const drawRing = (decoded: number, maxRate: number) => {
    const c = 130;
    rctx.clearRect(0, 0, 260, 260);
    for (let j = 0; j < N; j += 2) {
      const a = net.angles[j];
      const [r, g, b] = color(net.rE[j] / Math.max(1, maxRate));
      rctx.fillStyle = `rgb(${r},${g},${b})`;
      rctx.beginPath();
      rctx.arc(c + 100 * Math.cos(a), c - 100 * Math.sin(a), 5, 0, 2 * Math.PI);
      rctx.fill();
    }
    if (cueAngle != null) {
      rctx.strokeStyle = cueSteps > 0 ? '#39ff14' : '#2ca02c';
      rctx.lineWidth = 3;
      rctx.beginPath();
      rctx.moveTo(c + 80 * Math.cos(cueAngle), c - 80 * Math.sin(cueAngle));
      rctx.lineTo(c + 120 * Math.cos(cueAngle), c - 120 * Math.sin(cueAngle));
      rctx.stroke();
    }
    if (maxRate > 1) {
      rctx.fillStyle = '#1f77b4';
      rctx.beginPath();
      rctx.arc(c + 60 * Math.cos(decoded), c - 60 * Math.sin(decoded), 7, 0, 2 * Math.PI);
      rctx.fill();
    }
    rctx.fillStyle = '#333';
    rctx.font = '12px system-ui';
    rctx.fillText(`${(net.timeMs / 1000).toFixed(1)} s`, c - 14, c + 4);
  };
  let running = true;
  const frame = () => {
    if (!running) return;
    const steps = 10; // 20 ms of model time per frame
    const erasing = eraseSteps > 0;
    const cue = !erasing && cueSteps > 0 ? cueAngle : null;
    net.step(steps, { cue, erase: erasing, noiseScale: Number(noise.input.value), gEE: Number(gee.input.value) });
    if (erasing) eraseSteps = Math.max(0, eraseSteps - steps);
    else cueSteps = Math.max(0, cueSteps - steps);
    let max = 0;
    for (let j = 0; j < N; j++) max = Math.max(max, net.rE[j]);
    const decoded = net.decode();
    // history ring buffer: one column per frame (rates downsampled to the canvas height)
    const H = heat.height;
    const W = heat.width;
    const col = history[head];
    for (let y = 0; y < H; y++) col[y] = net.rE[Math.floor(((H - 1 - y) * N) / H)];
    decodedHistory[head] = max > 1 ? H - 1 - Math.floor(((((decoded / (2 * Math.PI)) % 1) + 1) % 1) * H) : -1;
    head = (head + 1) % W;
    const img = hctx.createImageData(W, H);
    for (let x = 0; x < W; x++) {
      const c = history[(head + x) % W];
      for (let y = 0; y < H; y++) {
        const [r, g, b] = color(c[y] / 20);
        const o = 4 * (y * W + x);
        img.data[o] = r;
        img.data[o + 1] = g;
        img.data[o + 2] = b;
        img.data[o + 3] = 255;
      }
      const dy = decodedHistory[(head + x) % W];
      if (dy >= 0) img.data.set([57, 255, 20, 255], 4 * (dy * W + x));
    }
    hctx.putImageData(img, 0, 0);
    drawRing(decoded, max);
    const deg = ((((decoded * 180) / Math.PI) % 360) + 360) % 360;
    readout.setAttribute('data-decoded-deg', max > 1 ? deg.toFixed(1) : '');
    readout.setAttribute('data-max-rate', max.toFixed(2));
    readout.textContent =
      max > 1
        ? `bump at ${deg.toFixed(1)}°${cueAngle != null ? ` (cue ${readout.getAttribute('data-cue-deg')}°)` : ''} · peak rate ${max.toFixed(1)} Hz · ${cueSteps > 0 ? 'cue on' : 'delay'}`
        : 'no bump — click the ring to cue a location';
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  stopBump = () => {
    running = false;
  };
  return panel(
    'Bump attractor (Wimmer et al. 2014, continuous ring, 512 E units) — click the ring: the old memory is erased (100 ms), then a cue is shown there for 500 ms',
    el(
      'div',
      { class: 'live-row' },
      ring,
      el(
        'div',
        {},
        heat,
        el('p', { class: 'note' }, 'E rates, neuron angle (vertical) × time (scrolling, 20 ms per column); green: decoded angle.'),
      ),
    ),
    '',
  ).appendChild(el('div', { class: 'controls' }, readout, noise.box, gee.box, erase)).parentElement as HTMLElement;
}

function wtaPanel(): HTMLElement {
  const n = slider('N', 'wta-n', 2, 256, 1, 10);
  const a = slider('α', 'wta-alpha', 0, 1.2, 0.05, 0.5);
  const b = slider('β', 'wta-beta', 0, 1.5, 0.05, 0.6);
  const th = slider('θ', 'wta-theta', 0, 1, 0.05, 0.2);
  const s = slider('σ', 'wta-sigma', 0, 0.6, 0.01, 0.22);
  const d = slider('Δ', 'wta-delta', 0.01, 0.3, 0.01, 0.05);
  const kind = el(
    'select',
    { id: 'wta-kind' },
    el('option', { value: 'nwta' }, 'nWTA (nonlinear inhibition)'),
    el('option', { value: 'wta' }, 'conventional WTA'),
  ) as HTMLSelectElement;
  const run = el('button', { id: 'wta-run' }, 'run a trial') as HTMLButtonElement;
  const out = el('div', { id: 'wta-plot' });
  const msg = el('p', { class: 'readout', id: 'wta-readout' });
  let seed = 1;
  const go = () => {
    try {
      const N = Number(n.input.value);
      const p = wtaParams({
        alpha: Number(a.input.value),
        beta: Number(b.input.value),
        theta: Number(th.input.value),
        sigma: Number(s.input.value),
        nonlinear: kind.value === 'nwta',
      });
      const inputs = new Float64Array(N).fill(1 - Number(d.input.value));
      inputs[0] = 1;
      seed++;
      const trial = wtaTrial(p, inputs, new Rng(seed), { maxTime: 300 });
      const dur = Math.min(300, Math.max(20, trial.time * 1.3));
      const tr = wtaTraces(p, inputs, new Rng(seed), dur, Math.max(1, Math.round(dur / p.dt / 600)));
      const rows: { t: number; x: number; unit: number }[] = [];
      const shown = Math.min(N, 60);
      for (let r = 0; r < tr.t.length; r++) for (let i = 0; i < shown; i++) rows.push({ t: tr.t[r], x: tr.x[r * N + i], unit: i });
      const stop = (0.8 * 1) / (1 - p.alpha);
      out.replaceChildren(
        Plot.plot({
          width: 760,
          height: 300,
          marginLeft: 50,
          x: { label: 'time (τ)' },
          y: { label: 'activation x', grid: true },
          marks: [
            Plot.line(
              rows.filter((q) => q.unit !== 0),
              { x: 't', y: 'x', z: 'unit', stroke: '#bbb' },
            ),
            Plot.line(
              rows.filter((q) => q.unit === 0),
              { x: 't', y: 'x', stroke: 'black', strokeWidth: 2 },
            ),
            Plot.ruleY([stop], { stroke: '#d62728', strokeDasharray: '4,3' }),
            ...(trial.decided ? [Plot.ruleX([trial.time], { stroke: '#1f77b4' })] : []),
          ],
        }),
      );
      msg.className = 'readout';
      msg.textContent = trial.decided
        ? `decision at ${trial.time.toFixed(1)} τ — ${trial.correct ? 'correct (the unit with the largest input won)' : 'wrong winner'}`
        : `no winner within ${trial.time.toFixed(0)} τ (x₂/x₁ = ${(trial.second / trial.top).toFixed(2)})`;
    } catch (err) {
      out.replaceChildren();
      msg.className = 'readout error';
      msg.textContent = (err as Error).message;
    }
  };
  run.addEventListener('click', go);
  go();
  return panel(
    'Winner-take-all circuits (Kriener, Chaudhuri & Fiete 2020)',
    el('div', {}, el('div', { class: 'controls' }, kind, n.box, a.box, b.box, th.box, s.box, d.box, run), msg, out),
    'Black: the unit with the largest input (1; the others 1 − Δ). Dashed: decision threshold 0.8/(1 − α). α ≥ 1 or β ≤ 1 − α has no WTA regime and is refused.',
  );
}

export function renderLive(app: HTMLElement): void {
  stopLive();
  app.replaceChildren(el('h2', {}, 'Live models'), bumpPanel(), wtaPanel());
}

export function stopLive(): void {
  stopBump?.();
  stopBump = null;
}
