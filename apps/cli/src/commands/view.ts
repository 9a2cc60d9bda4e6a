/**
 * `wmkit view [runs-dir] [--port N]`: the viewer on a runs directory, through the read-only
 * server of @wmkit/data-io (`createViewServer`, which documents its API and what it refuses),
 * bound to 127.0.0.1 unless --host and --allow-remote say otherwise.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createViewServer, isLoopbackAddress } from '@wmkit/data-io/node';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { parseIntOption } from '../options';

export { createViewServer, isLoopbackHost, MAX_IN_FLIGHT, safeJoin } from '@wmkit/data-io/node';

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
 * Checks `--host`: a loopback address is always allowed; any other address (a LAN interface,
 * 0.0.0.0) serves every run file to whoever can reach the port — no login, no encryption — so it
 * needs `--allow-remote`.
 */
export function checkListenHost(host: string, allowRemote: boolean): void {
  if (!host.trim()) throw new UsageError('--host is empty: give an address to listen on, e.g. 127.0.0.1');
  if (!isLoopbackAddress(host) && !allowRemote)
    throw new UsageError(
      `--host ${host} would serve your runs to anyone who can reach this machine (no password, no encryption); use 127.0.0.1 (the default) and an SSH tunnel, or add --allow-remote if you accept that`,
    );
}

export async function view(dir: string, o: { port: number; host?: string; allowRemote?: boolean }): Promise<number> {
  const host = o.host ?? '127.0.0.1';
  checkListenHost(host, o.allowRemote === true);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`${dir}: no such directory (give the directory that holds your runs, e.g. runs)`);
  const dist = viewerDist();
  const remote = isLoopbackAddress(host) ? undefined : host;
  const server = createViewServer(dir, dist, { remoteHost: remote });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'EADDRINUSE' ? new UsageError(`port ${o.port} is in use; choose another with --port`) : err),
    );
    server.listen(o.port, host, () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const shown = host.includes(':') ? `[${host}]` : host;
  if (remote)
    console.error(`wmkit view: warning: listening on ${host} (--allow-remote): anyone who can reach port ${port} can read every run here`);
  console.log(`▶ wmkit viewer: http://${shown}:${port}/ (runs in ${resolve(dir)}; read-only; Ctrl-C to stop)`);
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
    .option('--port <n>', 'port to listen on (0: any free port)', parseIntOption('port', 0, 65535), 5180)
    .option(
      '--host <address>',
      'address to listen on (default 127.0.0.1). DANGEROUS beyond loopback: the viewer has no login and no encryption, so anyone who can reach the port reads every run; a non-loopback address is refused without --allow-remote',
      '127.0.0.1',
    )
    .option('--allow-remote', 'accept a non-loopback --host (e.g. 0.0.0.0 on a trusted private network); prefer an SSH tunnel')
    .addHelpText(
      'after',
      `
Examples:
  wmkit view runs
  wmkit view runs --port 8080
  ssh -L 5180:127.0.0.1:5180 cluster   # then, on the cluster: wmkit view runs  (and open http://127.0.0.1:5180 here)
  wmkit view runs --host 0.0.0.0 --allow-remote   # every machine that reaches this one can read the runs

Writes: nothing (read-only server; serves the viewer, run.json, .npy arrays, figures and reports under runs-dir).`,
    )
    .action(async (dir: string | undefined, o: { port: number; host: string; allowRemote?: boolean }) => {
      process.exitCode = await view(dir ?? 'runs', o);
    });
}
