/**
 * `wmkit view` against a hostile but local client: DNS rebinding (a foreign Host header),
 * dotfiles, symlinks out of the runs folder, very long URLs, bursts of requests. The server
 * runs in this process on 127.0.0.1; every request goes to 127.0.0.1 only.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunDirectory } from '@wmkit/data-io/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createViewServer, isLoopbackHost, MAX_IN_FLIGHT } from '../src/commands/view';

const outside = mkdtempSync(join(tmpdir(), 'wmkit-outside-'));
const runs = mkdtempSync(join(tmpdir(), 'wmkit-view-sec-'));
const server = createViewServer(runs, null);
let port = 0;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, host?: string, method = 'GET'): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: host ?? `127.0.0.1:${port}` }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  const run = RunDirectory.create(join(runs, 'r1'), { kind: 'test.kind', config: {}, seed: 1 });
  run.writeFile('report.html', '<html><body><script>alert(1)</script><img src="fig.svg"></body></html>');
  run.addFigure('fig', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  run.complete();
  writeFileSync(join(runs, 'r1', '.secret.json'), '{"token":"s3cret"}');
  mkdirSync(join(runs, '.git'));
  writeFileSync(join(runs, '.git', 'HEAD.txt'), 'ref: refs/heads/main');
  writeFileSync(join(outside, 'private.json'), '{"private":true}');
  symlinkSync(join(outside, 'private.json'), join(runs, 'r1', 'link.json'));
  symlinkSync(outside, join(runs, 'elsewhere'));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((ok) => server.close(ok));
});

describe('wmkit view: hardening', () => {
  it('serves the viewer page, the API and run files cross-origin isolated (COOP, COEP), so kernels can use threads', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'wmkit-view-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>wmkit viewer</title>');
    const viewer = createViewServer(runs, dist);
    await new Promise<void>((ok) => viewer.listen(0, '127.0.0.1', () => ok()));
    const at = `http://127.0.0.1:${(viewer.address() as AddressInfo).port}`;
    try {
      for (const path of ['/', '/api/runs', '/files/r1/report.html']) {
        const r = await fetch(`${at}${path}`);
        expect(r.status, path).toBe(200);
        expect(r.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
        expect(r.headers.get('cross-origin-embedder-policy'), path).toBe('require-corp');
        if (path === '/') expect(await r.text()).toContain('wmkit viewer');
        else await r.arrayBuffer();
      }
    } finally {
      viewer.closeAllConnections(); // fetch keeps its connections alive
      await new Promise((ok) => viewer.close(ok));
    }
  });

  it('answers loopback Host headers only (no DNS rebinding); no CORS header', async () => {
    for (const h of ['127.0.0.1', `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'viewer.localhost'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['evil.example', `evil.example:${port}`, '127.0.0.1.evil.example', 'localhost.evil.example', '', '10.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
    const ok = await get('/api/runs');
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBeUndefined();
    const rebound = await get('/api/runs', `attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toMatch(/test\.kind/);
    expect((await get('/files/r1/run.json', 'attacker.example')).status).toBe(403);
  });

  it('refuses dotfiles and dot folders, even with allowed extensions', async () => {
    for (const p of ['/files/r1/.secret.json', '/files/.git/HEAD.txt', '/files/r1/.lock', '/files/%2egit/HEAD.txt']) {
      const r = await get(p);
      expect(r.status, p).toBe(403);
      expect(r.body, p).not.toMatch(/s3cret|refs\/heads/);
    }
    const run = JSON.parse((await get('/api/run?path=r1')).body);
    expect(run.files).not.toContain('.secret.json');
  });

  it('does not follow symlinks that point out of the runs folder', async () => {
    for (const p of ['/files/r1/link.json', '/files/elsewhere/private.json', '/api/run?path=elsewhere']) {
      const r = await get(p);
      expect(r.status, p).toBe(403);
      expect(r.body, p).not.toMatch(/"private":true/);
    }
  });

  it('serves run HTML and SVG with a CSP that forbids scripts; streams files with their length', async () => {
    for (const f of ['report.html', 'fig.svg']) {
      const r = await get(`/files/r1/${f}`);
      expect(r.status).toBe(200);
      expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(r.headers['content-security-policy']).not.toMatch(/script-src/);
      expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    }
    const head = await get('/files/r1/report.html', undefined, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('error pages name no path on this machine', async () => {
    writeFileSync(join(runs, 'broken.json'), '');
    mkdirSync(join(runs, 'bad'));
    writeFileSync(join(runs, 'bad', 'run.json'), '{ not json');
    const r = await get('/api/run?path=bad');
    expect(r.status).toBe(500);
    expect(r.body).not.toContain(runs);
    expect(r.body).not.toMatch(/\/tmp\//);
    const missing = await get('/files/r1/nothing.json');
    expect(missing.status).toBe(404);
    expect(missing.body).not.toContain(runs);
  });

  it('bounded answers to very long URLs and to a burst of concurrent requests', async () => {
    const long = await get(`/files/r1/${'a'.repeat(5000)}.json`);
    expect(long.status).toBe(414);
    expect(long.body.length).toBeLessThan(200);
    const huge = await get(`/files/${'b'.repeat(20_000)}`); // beyond Node's header limit: refused by the HTTP parser
    expect(huge.status).toBeGreaterThanOrEqual(400);
    // a burst: every request is answered (200, or 503 past MAX_IN_FLIGHT), and the server still works after
    const burst = await Promise.all(Array.from({ length: 4 * MAX_IN_FLIGHT }, () => get('/files/r1/report.html')));
    for (const r of burst) expect([200, 503]).toContain(r.status);
    expect(burst.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect((await get('/api/runs')).status).toBe(200);
  });
});
