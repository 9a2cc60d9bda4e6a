import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyKurtkaya, wmkit } from './helpers';

// End-to-end tests of `wmkit view` with Debian's Chromium driven by playwright-core. .ci/run
// installs Chromium when it is missing (apt-get install chromium) and sets WMKIT_REQUIRE_BROWSER=1,
// so there the browser tests cannot be skipped; elsewhere they run whenever /usr/bin/chromium exists.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.WMKIT_REQUIRE_BROWSER === '1') throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, '..', 'test-output', 'screenshots');
const runs = mkdtempSync(join(tmpdir(), 'wmkit-view-'));
let server: ChildProcess;
let base = '';

function get(path: string): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  // a small fixture runs directory made by the CLI itself
  const small = join(runs, 'small.json');
  writeFileSync(small, JSON.stringify({ model: { N: 40 }, train: { maxTrials: 200, evalTrials: 20 } }));
  const kim = join(here, '..', '..', '..', 'packages', 'ei-rnn', 'test', 'fixtures', 'kim_dms_model.mat');
  for (const args of [
    ['train', 'ei-rnn', '--preset', 'kim2021.dms', '--config', small, '--out', join(runs, 'dms-small')],
    ['import', 'kim-mat', kim, '--trials', '20', '--spiking-trials', '5', '--out', join(runs, 'kim')],
    ['simulate', join(runs, 'kim'), '--spiking', '--trials', '3', '--raster-trials', '3'],
    ['simulate', 'attractor', '--model', 'bump', '--trials', '16', '--traces', '1', '--workers', '1', '--out', join(runs, 'bump')],
    ['reproduce', 'foldiak1990', '--seeds', '1', '--presentations', '200', '--out', join(runs, 'foldiak')],
    ['train', 'stm-rnn', '--lr', '0.03', '--delay', '100', '--trials-per-cue', '4', '--out', join(runs, 'stm')],
    // ~10 s: a 2 × 2 grid, one seed, gives the phase-diagram page something to draw
    tinyKurtkaya(join(runs, 'kk')),
    // a tiny Compte et al. 2000 spiking ring (128 E + 32 I, 1.4-s trials): its raster and decoded angle
    [
      'simulate',
      'compte2000',
      '--size',
      '128',
      '--trials',
      '2',
      '--workers',
      '1',
      '--set',
      'protocol.preCueMs=600',
      '--set',
      'protocol.cueMs=200',
      '--set',
      'protocol.delayMs=600',
      '--out',
      join(runs, 'compte'),
    ],
  ]) {
    const r = wmkit(args);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
  const spec = join(runs, 'bars-sweep.yaml');
  writeFileSync(
    spec,
    'name: bars\ncommand: [reproduce, foldiak1990, --seeds, 1, --presentations, "{presentations}", --seed, "{seed}"]\ngrid:\n  presentations: [100, 200]\nseeds: 2\nout: bars-sweep\n',
  );
  for (const args of [
    ['sweep', 'run', spec, '--workers', '2'],
    ['sweep', 'collect', spec],
  ]) {
    const r = wmkit(args);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
  server = spawn(process.execPath, [join(here, '..', 'dist', 'bin.js'), 'view', runs, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<string>((ok, fail) => {
    let out = '';
    server.stdout?.on('data', (c) => {
      out += c;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) ok(m[0]);
    });
    server.stderr?.on('data', (c) => fail(new Error(String(c))));
    setTimeout(() => fail(new Error(`no server URL in: ${out}`)), 20_000);
  });
});

afterAll(() => {
  server?.kill('SIGTERM');
});

describe('wmkit view: the server', () => {
  it('lists runs and serves run files, read-only, on 127.0.0.1', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const r = await get('/api/runs');
    expect(r.status).toBe(200);
    const kinds = JSON.parse(r.body).runs.map((x: { kind: string }) => x.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ei-rnn.rate', 'ei-rnn.simulate', 'attractor.simulate', 'reproduce.foldiak1990']));
    expect((await get('/files/dms-small/run.json')).status).toBe(200);
    expect((await get('/files/dms-small/w.npy')).status).toBe(200);
  });

  it('refuses ../../etc/passwd and its encoded variants', async () => {
    for (const p of [
      '/files/../../etc/passwd',
      '/files/..%2F..%2F..%2Fetc%2Fpasswd',
      '/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/files/%252e%252e/etc/passwd',
      '/files/dms-small/..%5C..%5Cetc%5Cpasswd',
      '/api/run?path=../../etc',
      '/../../../../etc/passwd',
      '/files/%00/etc/passwd',
    ]) {
      const r = await get(p);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.body, p).not.toMatch(/root:/);
    }
    expect((await get('/files/dms-small/../../../etc/passwd')).status).toBe(403);
  });
});

describe.skipIf(!haveBrowser)('wmkit view in Chromium', () => {
  // biome-ignore lint/suspicious/noExplicitAny: playwright types are loaded dynamically
  let browser: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let page: any;
  const errors: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m: { type: () => string; text: () => string }) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e: Error) => errors.push(e.message));
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const open = async (hash: string) => {
    await page.goto(`${base}#/${hash}`);
    await page.waitForSelector(`#app[data-ready="${hash ? decodeURIComponent(hash) : 'list'}"]`, { timeout: 30_000 });
  };
  /** Non-empty figures: an SVG with drawn marks, or a raster image with a data URL. */
  const figureCount = () =>
    page.evaluate(() => {
      const svgs = [...document.querySelectorAll('.panel svg')];
      return svgs.filter((s) => s.querySelectorAll('path, rect, circle, image, line').length > 3).length;
    });

  it('the run list renders every run, with filtering', async () => {
    await open('');
    const rows = await page.$$eval('#run-list tbody tr', (trs: Element[]) => trs.map((tr) => tr.getAttribute('data-kind')));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    await page.fill('#filter', 'bump');
    expect(await page.$$eval('#run-list tbody tr', (trs: Element[]) => trs.length)).toBe(1);
    await page.fill('#filter', '');
    await page.screenshot({ path: join(shots, 'run-list.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a trained E/I RNN: training curves, connectivity, τ histogram', async () => {
    await open(`run/${encodeURIComponent('dms-small')}`);
    expect(await page.textContent('main')).toMatch(/Connectivity W_eff/);
    expect(await figureCount()).toBeGreaterThanOrEqual(3);
    expect(await page.$$eval('.panel svg image', (imgs: Element[]) => imgs.length)).toBeGreaterThanOrEqual(1); // the raster-drawn matrix
    await page.screenshot({ path: join(shots, 'ei-rnn-run.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a spiking simulation: the raster', async () => {
    await open(`run/${encodeURIComponent('kim/simulate-spiking')}`);
    expect(await page.textContent('main')).toMatch(/Spike raster, trial 1/);
    // sparse rasters are one SVG line per spike; dense ones (> 20,000 spikes) a pixel image
    const drawn = await page.$$eval('.panel', (ps: Element[]) => {
      const p = ps.find((x) => x.querySelector('h3')?.textContent?.startsWith('Spike raster'));
      return p ? p.querySelectorAll('svg line').length + p.querySelectorAll('svg image').length * 1e6 : 0;
    });
    expect(drawn).toBeGreaterThan(500); // ≈ 1,400 spikes in trial 1
    await page.screenshot({ path: join(shots, 'raster.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a ring attractor run: the bump heat map with the decoded angle', async () => {
    await open(`run/${encodeURIComponent('bump')}`);
    expect(await page.textContent('main')).toMatch(/Bump heat map/);
    expect(await figureCount()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(shots, 'bump-heatmap.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a compte2000 run: raster with E cells by preferred angle, and the decoded angle over time', async () => {
    await open(`run/${encodeURIComponent('compte')}`);
    const text = await page.textContent('main');
    expect(text).toMatch(/Spike raster, trial 1 \(E cells by preferred angle; I cells\)/);
    expect(text).toMatch(/Decoded angle over time/);
    const drawn = await page.$$eval('.panel', (ps: Element[]) => {
      const find = (t: string) => ps.find((x) => x.querySelector('h3')?.textContent?.startsWith(t));
      const r = find('Spike raster, trial 1 (E cells');
      const d = find('Decoded angle over time');
      return {
        rasters: r ? r.querySelectorAll('svg').length : 0,
        ticks: r ? r.querySelectorAll('svg line').length + r.querySelectorAll('svg image').length * 1e6 : 0,
        dots: d ? d.querySelectorAll('svg circle').length : 0,
        yLabel: r?.textContent ?? '',
      };
    });
    expect(drawn.rasters).toBeGreaterThanOrEqual(2); // E by angle, then I
    expect(drawn.ticks).toBeGreaterThan(100); // ≈ 270 spikes in trial 1 (181 E)
    expect(drawn.yLabel).toMatch(/preferred angle \(deg\)/);
    expect(drawn.dots).toBeGreaterThan(5); // decoded angle per 200-ms bin, 2 trials
    expect(await page.textContent('main')).not.toMatch(/Could not draw a figure/);
    await page.screenshot({ path: join(shots, 'compte2000-run.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a reproduction: its report figures', async () => {
    await open(`run/${encodeURIComponent('foldiak')}`);
    // the page is ready before its <img> figures have arrived: wait for them (under load they can
    // take a moment), then check that both decoded
    await page
      .waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.figures img')].every((i) => i.complete), null, {
        timeout: 30_000,
      })
      .catch(() => undefined);
    const loaded = await page.$$eval('.figures img', (imgs: HTMLImageElement[]) => imgs.map((i) => i.complete && i.naturalWidth > 0));
    expect(loaded.length).toBe(2);
    expect(loaded.every(Boolean)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('a trained STM network: autonomous trajectories on PC1–2 with fixed points and their stability', async () => {
    await open(`run/${encodeURIComponent('stm')}`);
    expect(await page.textContent('main')).toMatch(/Autonomous dynamics: trajectories on PC1–2 with fixed points/);
    const marks = await page.$$eval('.panel', (ps: Element[]) => {
      const p = ps.find((x) => x.querySelector('h3')?.textContent?.startsWith('Autonomous dynamics'));
      return p ? { lines: p.querySelectorAll('svg path').length, text: p.textContent ?? '' } : null;
    });
    expect(marks?.lines).toBeGreaterThanOrEqual(3); // one line per cue + the fixed-point symbols
    expect(marks?.text).toMatch(/\d+ points of the zero-input map: \d+ stable/);
    await page.screenshot({ path: join(shots, 'stm-pca-fixed-points.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('sweeps: the Kurtkaya phase diagram, and any collected sweep as a metric over its grid', async () => {
    await open(`run/${encodeURIComponent('kk')}`);
    expect(await page.textContent('main')).toMatch(/Phase diagram \(learning rate × delay\)/);
    const cells = await page.$$eval('.panel', (ps: Element[]) => {
      const p = ps.find((x) => x.querySelector('h3')?.textContent?.startsWith('Phase diagram'));
      return p ? p.querySelectorAll('svg rect').length : 0;
    });
    expect(cells).toBeGreaterThanOrEqual(12); // 3 outcome panels × 2 lr × 2 delays
    await page.screenshot({ path: join(shots, 'phase-diagram.png'), fullPage: true });
    await open(`run/${encodeURIComponent('bars-sweep/collect')}`);
    expect(await page.textContent('main')).toMatch(/Sweep: metric over the grid/);
    const options = await page.$$eval('select[aria-label=metric] option', (os: Element[]) => os.map((o) => o.textContent));
    expect(options).toContain('solved');
    await page.selectOption('select[aria-label=metric]', options.find((o: string | null) => o !== 'solved') as string);
    await page.waitForTimeout(300);
    expect(await page.$$eval('.panel svg rect', (r: Element[]) => r.length)).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(shots, 'sweep-grid.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('live mode: a bump forms where the ring is clicked and follows a new cue', async () => {
    await open('live');
    const box = await page.$eval('#ring', (c: Element) => {
      const b = c.getBoundingClientRect();
      return { x: b.left, y: b.top, w: b.width, h: b.height };
    });
    const clickAt = async (deg: number) => {
      const a = (deg * Math.PI) / 180;
      await page.mouse.click(box.x + box.w / 2 + 100 * Math.cos(a), box.y + box.h / 2 - 100 * Math.sin(a));
    };
    const waitDecoded = async (deg: number) => {
      // cue 500 ms + delay: poll until the decoded angle is near the cue (or time out)
      await page.waitForFunction(
        (target: number) => {
          const v = Number(document.querySelector('#bump-readout')?.getAttribute('data-decoded-deg'));
          if (!Number.isFinite(v) || document.querySelector('#bump-readout')?.getAttribute('data-decoded-deg') === '') return false;
          const d = Math.abs(((v - target + 540) % 360) - 180);
          return d < 20;
        },
        deg,
        { timeout: 30_000 },
      );
    };
    await clickAt(45);
    await waitDecoded(45);
    await page.waitForTimeout(1500); // the memory persists after the cue is gone
    const held = Number(await page.getAttribute('#bump-readout', 'data-decoded-deg'));
    expect(Math.abs(((held - 45 + 540) % 360) - 180)).toBeLessThan(20);
    await page.screenshot({ path: join(shots, 'live-bump-45.png') });
    await clickAt(200);
    await waitDecoded(200);
    await page.screenshot({ path: join(shots, 'live-bump-200.png'), fullPage: true });
    // nWTA panel: a trial ran and reported its decision; an invalid regime is reported, not simulated
    expect(await page.textContent('#wta-readout')).toMatch(/decision at|no winner/);
    await page.$eval('#wta-alpha', (e: HTMLInputElement) => {
      e.value = '1.1';
      e.dispatchEvent(new Event('input'));
    });
    await page.click('#wta-run');
    expect(await page.textContent('#wta-readout')).toMatch(/no winner-take-all regime/);
    expect(errors).toEqual([]);
  });
});
