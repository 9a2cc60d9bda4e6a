import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunDirectory } from '@wmkit/data-io/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

// Browser tests of the viewer's live refresh, run comparison, labels with units and figure
// downloads (Debian's Chromium through playwright-core, as in view.test.ts), and of `--host`.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.WMKIT_REQUIRE_BROWSER === '1') throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
const here = dirname(fileURLToPath(import.meta.url));
const shots = process.env.WMKIT_SHOTS ?? join(here, '..', 'test-output', 'screenshots');
const runs = mkdtempSync(join(tmpdir(), 'wmkit-view2-'));
const bin = join(here, '..', 'dist', 'bin.js');
let server: ChildProcess;
let base = '';
let live: RunDirectory;

function startServer(args: string[]): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [bin, 'view', runs, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let out = '';
    proc.stdout?.on('data', (c) => {
      out += c;
      const m = out.match(/http:\/\/[^/\s]+\//);
      if (m) ok({ proc, url: m[0] });
    });
    setTimeout(() => fail(new Error(`no server URL in: ${out}`)), 20_000);
  });
}

beforeAll(async () => {
  for (const [name, seed] of [
    ['bump-a', '1'],
    ['bump-b', '2'],
  ])
    for (const args of [
      [
        'simulate',
        'attractor',
        '--model',
        'bump',
        '--trials',
        '16',
        '--delay',
        '600',
        '--traces',
        '1',
        '--workers',
        '1',
        '--seed',
        seed,
        '--format',
        'svg,png',
        '--out',
        join(runs, name),
      ],
    ]) {
      const r = wmkit(args);
      if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    }
  // a training run this test process is writing: status `running`, its curve growing below
  live = RunDirectory.create(join(runs, 'training'), { kind: 'ei-rnn.train', seed: 1, config: {} });
  for (let t = 1; t <= 3; t++) live.appendMetrics({ trial: 100 * t, loss: 1 / t, accuracy: 0.5 + 0.1 * t });
  // a finished run of the same kind to compare curves with
  const done = RunDirectory.create(join(runs, 'training-done'), { kind: 'ei-rnn.train', seed: 2, config: {} });
  for (let t = 1; t <= 5; t++) done.appendMetrics({ trial: 100 * t, loss: 0.8 / t, accuracy: 0.55 + 0.08 * t });
  done.complete({ accuracy: 0.95, seconds: 12.5 });
  ({ proc: server, url: base } = await startServer([]));
});

afterAll(() => {
  server?.kill('SIGTERM');
  live?.fail(new Error('test over'));
});

describe('wmkit view --host', () => {
  it('refuses a non-loopback address without --allow-remote, naming the risk and the fix', () => {
    const r = wmkit(['view', runs, '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--host 0\.0\.0\.0 would serve your runs to anyone who can reach this machine .*--allow-remote/);
    expect(r.stderr).not.toMatch(/at .*\.js/);
  });

  it('--help documents --host as dangerous', () => {
    const r = wmkit(['view', '--help']);
    expect(r.stdout).toMatch(/--host <address>[\s\S]*DANGEROUS/);
    expect(r.stdout).toMatch(/--allow-remote/);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/Writes:/);
  });

  it('listens on a non-loopback address with --allow-remote, and warns', async () => {
    const { proc, url } = await startServer(['--host', '0.0.0.0', '--allow-remote']);
    try {
      expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    } finally {
      proc.kill('SIGTERM');
    }
  });
});

describe.runIf(haveBrowser)('viewer: live refresh, comparison, units, downloads', () => {
  // biome-ignore lint/suspicious/noExplicitAny: playwright-core is loaded dynamically
  let browser: any;
  // biome-ignore lint/suspicious/noExplicitAny: playwright-core is loaded dynamically
  let page: any;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a running training run refreshes by itself: its curve grows as metrics.jsonl does', async () => {
    await page.goto(`${base}#/run/training`);
    await page.waitForSelector('#app[data-ready="run/training"] .curves[data-points="3"]', { timeout: 30_000 });
    expect(await page.textContent('#live-badge')).toMatch(/running — refreshing every 2 s/);
    await page.screenshot({ path: join(shots, 'live-before.png'), fullPage: true });
    for (let t = 4; t <= 6; t++) live.appendMetrics({ trial: 100 * t, loss: 1 / t, accuracy: 0.5 + 0.05 * t });
    await page.waitForSelector('.curves[data-points="6"][data-last-x="600"]', { timeout: 30_000 });
    expect(Number(await page.getAttribute('#app', 'data-refreshes'))).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'live-after.png'), fullPage: true });
    // once the run completes, the page stops refreshing and shows no live badge
    live.complete({ accuracy: 0.8 });
    await page.waitForFunction(() => !document.querySelector('#live-badge'), null, { timeout: 30_000 });
  });

  it('compares two runs side by side: metrics with labels and units, curves overlaid', async () => {
    await page.goto(`${base}#/`);
    await page.waitForSelector('#app[data-ready="list"]', { timeout: 30_000 });
    expect(await page.isDisabled('#compare')).toBe(true);
    await page.check('input[data-path="bump-a"]');
    await page.check('input[data-path="bump-b"]');
    await page.click('#compare');
    await page.waitForSelector('#app[data-ready^="compare/"] #compare-metrics', { timeout: 30_000 });
    const header = await page.textContent('#compare-metrics');
    expect(header).toContain('bump-a');
    expect(header).toContain('bump-b');
    expect(await page.textContent('tr[data-metric="responseSdDeg"] th')).toBe('response SD (deg)');
    expect(await page.textContent('tr[data-metric="diffusionSlopeDeg2PerS"] th')).toBe('diffusion (deg²/s)');
    expect(await page.getAttribute('tr[data-metric="responseSdDeg"] th', 'title')).toMatch(/circular SD of the decoded response/);
    await page.screenshot({ path: join(shots, 'compare-bumps.png'), fullPage: true });
    // two training runs: their curves overlaid, one line per run
    await page.goto(`${base}#/compare/training,training-done`);
    await page.waitForSelector('#compare-curves svg', { timeout: 30_000 });
    const lines = await page.$$eval('#compare-curves svg', (svgs: SVGElement[]) => svgs[0].querySelectorAll('path').length);
    expect(lines).toBeGreaterThanOrEqual(2);
    const labels = await page.textContent('#compare-curves');
    expect(labels).toContain('training trials (trials)');
    expect(labels).toContain('accuracy (fraction)');
    await page.screenshot({ path: join(shots, 'compare-training.png'), fullPage: true });
  });

  it('labels with units on a run page; the bump heat map centred on the cue; figures download as SVG and PNG', async () => {
    await page.goto(`${base}#/run/bump-a`);
    await page.waitForSelector('#app[data-ready="run/bump-a"]', { timeout: 30_000 });
    expect(await page.textContent('tr[data-metric="responseSdDeg"] th')).toBe('response SD (deg)');
    expect(await page.textContent('tr[data-metric="trialsPerSecond"] th')).toBe('speed (trials/s)');
    const bump = page.locator('section.panel', { hasText: 'Bump heat map' });
    expect(await bump.textContent()).toContain('neuron angle − cue (deg)');
    await bump.screenshot({ path: join(shots, 'bump-centred.png') });
    const [svgDl] = await Promise.all([page.waitForEvent('download'), bump.locator('button[data-format="svg"]').click()]);
    expect(svgDl.suggestedFilename()).toMatch(/^bump_heat_map.*\.svg$/);
    expect(readFileSync(await svgDl.path(), 'utf8')).toMatch(/^<\?xml[\s\S]*<svg/);
    const [pngDl] = await Promise.all([page.waitForEvent('download'), bump.locator('button[data-format="png"]').click()]);
    expect(pngDl.suggestedFilename()).toMatch(/\.png$/);
    expect(
      readFileSync(await pngDl.path())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    // a figure the run wrote: its SVG and PNG files
    const written = page.locator('.figures figure', { hasText: 'E-cell rates' });
    expect(await written.locator('a.download').allTextContents()).toEqual(['SVG', 'PNG']);
    const [fileDl] = await Promise.all([page.waitForEvent('download'), written.locator('a.download', { hasText: 'PNG' }).click()]);
    expect(fileDl.suggestedFilename()).toBe('bump_trial0.png');
    await page.screenshot({ path: join(shots, 'run-units.png'), fullPage: true });
  });
});
