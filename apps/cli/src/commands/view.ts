/**
 * `wmkit view [runs-dir] [--port N]` — a local, read-only web server for the viewer.
 *
 * Bound to 127.0.0.1. Serves the built viewer (@wmkit/viewer) and a small API over the runs
 * directory:
 *   GET /api/runs              every run below the directory (kind, status, preset, seed, metrics, arrays, figures)
 *   GET /api/run?path=<rel>    one run.json (validated)
 *   GET /files/<rel path>      a file of a run (.npy, .svg, .json, .jsonl, .md, .html, .csv, .txt)
 * Every path is resolved (symlinks included) and must stay inside the runs directory;
 * anything else — `..`, encoded `..`, absolute paths, NUL bytes — is refused with 403.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { listRuns, readRun } from '@wmkit/data-io/node';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { parseIntOption } from '../options';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.npy': 'application/octet-stream',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
const RUN_FILES = new Set(['.npy', '.svg', '.json', '.jsonl', '.md', '.html', '.csv', '.txt', '.png']);

/** Where the built viewer is (its package's dist/). */
export function viewerDist(): string {
  const req = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = dirname(req.resolve('@wmkit/viewer/package.json'));
  } catch {
    throw new UsageError('the web viewer is not installed (@wmkit/viewer); install it next to @wmkit/cli');
  }
  const dist = join(dir, 'dist');
  if (!existsSync(join(dist, 'index.html')))
    throw new UsageError(`the web viewer is not built (${dist}/index.html missing); run \`pnpm build\``);
  return dist;
}

/**
 * Resolves `rel` (URL-decoded, '/'-separated) inside `root`; null when it would leave it.
 * Checks the normalised path and then the real path (so a symlink cannot point outside).
 */
export function safeJoin(root: string, rel: string): string | null {
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return null;
  const target = resolve(root, ...parts);
  const inside = (p: string, r: string) => p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
  if (!inside(target, root)) return null;
  if (!existsSync(target)) return target; // 404 later, and nothing to follow
  const real = realpathSync(target);
  return inside(real, realpathSync(root)) ? real : null;
}

function send(res: ServerResponse, status: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

export function createViewServer(runsDir: string, dist: string | null): Server {
  const root = realpathSync(resolve(runsDir));
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'read-only server: GET only');
      // refuse any parent-directory segment in the raw request, encoded or not, before the URL
      // parser normalises it away
      let raw: string;
      try {
        raw = decodeURIComponent((req.url ?? '/').split('?')[0]);
      } catch {
        return send(res, 400, 'malformed URL encoding');
      }
      if (raw.split(/[/\\]/).includes('..') || raw.includes('\0')) return send(res, 403, 'refused: paths may not leave the runs directory');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return send(res, 400, 'malformed URL encoding');
      }
      if (pathname === '/api/runs') {
        const runs = listRuns(root, 4).map((r) => ({
          path: relative(root, r.dir).split(sep).join('/'),
          kind: r.manifest.kind,
          status: r.state,
          preset: r.manifest.preset,
          seed: r.manifest.seed,
          startedAt: r.manifest.startedAt,
          metrics: r.manifest.metrics,
          arrays: r.manifest.arrays,
          figures: r.manifest.figures,
        }));
        return send(res, 200, JSON.stringify({ root, runs }), TYPES['.json']);
      }
      if (pathname === '/api/run') {
        const rel = url.searchParams.get('path') ?? '';
        const dir = safeJoin(root, rel);
        if (!dir) return send(res, 403, `refused: '${rel}' is outside the runs directory`);
        if (!existsSync(join(dir, 'run.json'))) return send(res, 404, `no run at '${rel}'`);
        const r = readRun(dir);
        const files = readdirSync(dir).filter((f) => RUN_FILES.has(extname(f).toLowerCase()));
        return send(res, 200, JSON.stringify({ path: rel, ...r.manifest, status: r.state, files }), TYPES['.json']);
      }
      if (pathname.startsWith('/files/')) {
        const rel = pathname.slice('/files/'.length);
        const file = safeJoin(root, rel);
        if (!file) return send(res, 403, `refused: '${rel}' is outside the runs directory`);
        if (!RUN_FILES.has(extname(file).toLowerCase()))
          return send(res, 403, `refused: only run files (${[...RUN_FILES].join(' ')}) are served`);
        if (!existsSync(file) || !statSync(file).isFile()) return send(res, 404, `no file '${rel}'`);
        return send(res, 200, readFileSync(file), TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
      }
      if (!dist) return send(res, 404, 'viewer not built');
      const asset = pathname === '/' ? join(dist, 'index.html') : safeJoin(dist, pathname.slice(1));
      if (!asset) return send(res, 403, 'refused');
      if (!existsSync(asset) || !statSync(asset).isFile()) return send(res, 404, 'not found');
      return send(res, 200, readFileSync(asset), TYPES[extname(asset).toLowerCase()] ?? 'application/octet-stream');
    } catch (err) {
      return send(res, 500, `error: ${(err as Error).message}`);
    }
  });
}

export async function view(dir: string, o: { port: number; open?: boolean }): Promise<number> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`${dir}: no such directory (give the directory that holds your runs, e.g. runs)`);
  const dist = viewerDist();
  const server = createViewServer(dir, dist);
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'EADDRINUSE' ? new UsageError(`port ${o.port} is in use; choose another with --port`) : err),
    );
    server.listen(o.port, '127.0.0.1', () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  console.log(`▶ wmkit viewer: http://127.0.0.1:${port}/ (runs in ${resolve(dir)}; read-only; Ctrl-C to stop)`);
  await new Promise<void>((done) => {
    const stop = () => server.close(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

export function registerView(program: Command): void {
  program
    .command('view [runs-dir]')
    .description(
      'open the web viewer on a runs directory: run list, curves, rasters, heat maps, connectivity, reports, and live models (local, read-only)',
    )
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', parseIntOption('port', 0, 65535), 5180)
    .action(async (dir: string | undefined, o: { port: number }) => {
      process.exitCode = await view(dir ?? 'runs', o);
    });
}
