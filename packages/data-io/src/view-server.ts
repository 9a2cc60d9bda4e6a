/**
 * A local, read-only web server over a runs directory, for the wmkit viewer:
 *   GET /api/runs              every run below the directory (kind, status, preset, seed, metrics, arrays, figures)
 *   GET /api/run?path=<rel>    one run.json (validated)
 *   GET /files/<rel path>      a file of a run (.npy, .svg, .json, .jsonl, .md, .html, .csv, .txt, .png)
 * and the viewer's own files from its build folder. Every path is resolved (symlinks included)
 * and must stay inside the runs directory; anything else — `..`, encoded `..`, absolute paths,
 * NUL bytes, dotfiles and dot folders, a symlink pointing outside — is refused with 403.
 * Requests must name a loopback host in their `Host` header (a web page on another site cannot
 * reach the server through DNS rebinding), responses carry no CORS header, run HTML and SVG are
 * served with a Content-Security-Policy that forbids scripts, files are streamed, URLs longer
 * than 2 kB and requests beyond MAX_IN_FLIGHT at once are refused, and error pages name no path
 * on this machine. Every response is sent with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`, so the viewer page is cross-origin isolated
 * (`crossOriginIsolated`): SharedArrayBuffer is available and the wasm kernels run on several
 * threads (Web Workers) in the browser. Everything the viewer loads comes from this server.
 */
import { createReadStream, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { listRuns, readRun } from './run-directory';

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

/** Longest request URL served (a browser's URLs to this server are far shorter). */
export const MAX_URL_LENGTH = 2048;
/** Requests answered at once; more get 503 and a Retry-After. */
export const MAX_IN_FLIGHT = 32;
/** Run files may show images and their own styles, never run scripts or load from elsewhere. */
const RUN_FILE_CSP =
  "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'self'";
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * With `--allow-remote`: whether a Host header names the address the server listens on (any
 * Host when it listens on every interface, 0.0.0.0 or ::).
 */
function remoteHostMatches(header: string | undefined, remote: string | undefined): boolean {
  if (!remote || !header) return false;
  const r = remote
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (r === '0.0.0.0' || r === '::') return true;
  const m = /^(\[[^\]]*\]|[^:]*)(:\d{1,5})?$/.exec(header.trim().toLowerCase());
  return m != null && m[1].replace(/^\[|\]$/g, '') === r;
}

/** Whether a Host header names this machine's loopback interface (with any port). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]*\]|[^:]*)(:\d{1,5})?$/.exec(host.trim().toLowerCase());
  if (!m) return false;
  return LOOPBACK_HOSTS.has(m[1]) || m[1].endsWith('.localhost');
}

/**
 * Resolves `rel` (URL-decoded, '/'-separated) inside `root`; null when it would leave it.
 * Checks the normalised path and then the real path (so a symlink cannot point outside).
 */
export function safeJoin(root: string, rel: string): string | null {
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  // no parent segments, and no dotfiles or dot folders (.git, .env, .secret.json, a run's .lock)
  if (parts.some((p) => p.startsWith('.'))) return null;
  const target = resolve(root, ...parts);
  const inside = (p: string, r: string) => p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
  if (!inside(target, root)) return null;
  if (!existsSync(target)) return target; // 404 later, and nothing to follow
  const real = realpathSync(target);
  return inside(real, realpathSync(root)) ? real : null;
}

const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // cross-origin isolation: the page may share memory with its workers (threaded wasm kernels)
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

function send(res: ServerResponse, status: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': type });
  res.end(body);
}

/** Streams a file (never read whole into memory); run files get the restrictive CSP. */
function sendFile(req: IncomingMessage, res: ServerResponse, file: string, size: number, runFile: boolean): void {
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = { ...BASE_HEADERS, 'content-type': type, 'content-length': size };
  if (runFile) headers['content-security-policy'] = RUN_FILE_CSP;
  const stream = createReadStream(file);
  stream.once('error', () => {
    if (!res.headersSent) send(res, 500, 'error: the file could not be read');
    else res.destroy();
  });
  stream.once('open', () => {
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      stream.destroy();
      res.end();
    } else stream.pipe(res);
  });
}

/** Whether an address to listen on is this machine's loopback interface. */
export function isLoopbackAddress(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * A read-only HTTP server over a runs directory (see the module doc), serving the built viewer
 * from `dist` (null: none) and, with `remoteHost`, answering requests that name that address.
 */
export function createViewServer(runsDir: string, dist: string | null, o: { remoteHost?: string } = {}): Server {
  const root = realpathSync(resolve(runsDir));
  let inFlight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
    });
    if (inFlight > MAX_IN_FLIGHT) {
      res.setHeader('retry-after', '1');
      return send(res, 503, 'busy: too many requests at once; retry');
    }
    try {
      if (!isLoopbackHost(req.headers.host) && !remoteHostMatches(req.headers.host, o.remoteHost))
        return send(res, 403, 'refused: the Host header must name this machine (127.0.0.1 or localhost)');
      if ((req.url ?? '').length > MAX_URL_LENGTH) return send(res, 414, `refused: URL longer than ${MAX_URL_LENGTH} characters`);
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
        if (!dir) return send(res, 403, `refused: '${rel}' is outside the runs directory, or hidden`);
        if (!existsSync(join(dir, 'run.json'))) return send(res, 404, `no run at '${rel}'`);
        const r = readRun(dir);
        const files = readdirSync(dir).filter((f) => !f.startsWith('.') && RUN_FILES.has(extname(f).toLowerCase()));
        return send(res, 200, JSON.stringify({ path: rel, ...r.manifest, status: r.state, files }), TYPES['.json']);
      }
      if (pathname.startsWith('/files/')) {
        const rel = pathname.slice('/files/'.length);
        const file = safeJoin(root, rel);
        if (!file) return send(res, 403, `refused: '${rel}' is outside the runs directory, or hidden`);
        if (!RUN_FILES.has(extname(file).toLowerCase()))
          return send(res, 403, `refused: only run files (${[...RUN_FILES].join(' ')}) are served`);
        const st = existsSync(file) ? statSync(file) : null;
        if (!st?.isFile()) return send(res, 404, `no file '${rel}'`);
        return sendFile(req, res, file, st.size, true);
      }
      if (!dist) return send(res, 404, 'viewer not built');
      const asset = pathname === '/' ? join(dist, 'index.html') : safeJoin(dist, pathname.slice(1));
      if (!asset) return send(res, 403, 'refused');
      const st = existsSync(asset) ? statSync(asset) : null;
      if (!st?.isFile()) return send(res, 404, 'not found');
      return sendFile(req, res, asset, st.size, false);
    } catch (err) {
      // the message may name paths on this machine: it goes to the terminal, not the page
      console.error(`wmkit view: ${req.method} ${(req.url ?? '').slice(0, 200)}: ${(err as Error).message}`);
      return send(res, 500, 'error: the server could not answer this request (see the terminal running wmkit view)');
    }
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}
