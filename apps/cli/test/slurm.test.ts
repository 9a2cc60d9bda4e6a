/**
 * SLURM integration test: a real single-node cluster (Debian's slurm-wlm + munge) on localhost, a sweep
 * submitted as an `sbatch --array` job written by `wmkit sweep slurm`, and the results collected.
 *
 * Opt-in because it starts system daemons as root: `WMKIT_SLURM_TEST=1 pnpm --filter @wmkit/cli test slurm`
 * (install the daemons first with `bash scripts/slurm-cluster.sh install`). `.ci/run` installs them and
 * turns the test on when it runs as root with apt-get.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpy } from '@wmkit/data-io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const enabled = process.env.WMKIT_SLURM_TEST === '1';
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const clusterScript = join(repo, 'scripts', 'slurm-cluster.sh');
const root = mkdtempSync(join(tmpdir(), 'wmkit-slurm-'));
const clusterDir = join(root, 'cluster');
// ports away from the defaults so a cluster already running on this machine is left alone
const env = { ...process.env, SLURM_CONF: join(clusterDir, 'slurm.conf'), WMKIT_SLURMCTLD_PORT: '16817', WMKIT_SLURMD_PORT: '16818' };

function sh(cmd: string, args: string[], timeout = 120_000) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

describe.skipIf(!enabled)('wmkit sweep on a real SLURM cluster (slurmctld + slurmd on localhost)', () => {
  beforeAll(() => {
    const up = sh('bash', [clusterScript, 'up', clusterDir]);
    if (up.code !== 0) throw new Error(`could not start the test cluster:\n${up.out}`);
  });
  afterAll(() => {
    sh('bash', [clusterScript, 'down', clusterDir]);
  });

  it('sbatch --array of `wmkit sweep slurm` runs every run on the cluster; collect builds the table', () => {
    expect(sh('sinfo', ['-h', '-o', '%P %t']).out).toMatch(/test\* idle/);
    const spec = join(root, 'bars.yaml');
    writeFileSync(
      spec,
      'name: bars\nkind: reproduce.foldiak1990\ncommand: [reproduce, foldiak1990, --seeds, 1, --presentations, "{presentations}", --seed, "{seed}"]\ngrid:\n  presentations: [300, 600]\nseeds: 2\nout: runs\n',
    );
    // the options a university cluster asks for: partition, account, QOS and extra sbatch lines
    const options = ['--mem', '1G', '--time', '00:05:00', '--partition', 'test', '--account', 'wmkit', '--qos', 'normal'];
    const extra = ['--sbatch', '--nodes=1', '--sbatch=--comment=wmkit-sweep'];
    const dry = wmkit(['sweep', 'slurm', spec, ...options, ...extra, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/#SBATCH --account=wmkit\n#SBATCH --qos=normal\n#SBATCH --nodes=1\n#SBATCH --comment=wmkit-sweep\n/);
    const script = join(root, 'runs', 'bars.sbatch');
    expect(existsSync(script)).toBe(false);
    const w = wmkit(['sweep', 'slurm', spec, ...options, ...extra]);
    expect(w.code).toBe(0);
    expect(readFileSync(script, 'utf8')).toBe(dry.stdout);
    expect(readFileSync(script, 'utf8')).toMatch(/#SBATCH --array=0-3/);

    const sub = sh('sbatch', ['--wait', '--parsable', script], 240_000);
    expect(sub.code, sub.out).toBe(0);
    const job = sub.out.trim().split(/\s+/)[0].split(';')[0];
    expect(job).toMatch(/^\d+$/);

    // one SLURM log per array task, each from `wmkit sweep run --index i`
    const logs = readdirSync(join(root, 'runs', 'logs')).filter((f) => f.startsWith(`slurm-${job}_`));
    expect(logs.sort()).toEqual([0, 1, 2, 3].map((i) => `slurm-${job}_${i}.out`));
    for (const id of ['presentations-300_seed-0', 'presentations-300_seed-1', 'presentations-600_seed-0', 'presentations-600_seed-1']) {
      const run = JSON.parse(readFileSync(join(root, 'runs', id, 'run.json'), 'utf8'));
      expect(run.status).toBe('complete');
    }

    const c = wmkit(['sweep', 'collect', spec]);
    expect(c.code).toBe(0);
    const csv = readFileSync(join(root, 'runs', 'collect', 'sweep.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(5);
    expect(csv.slice(1).every((l) => l.includes(',complete,'))).toBe(true);
    const solved = decodeNpy(readFileSync(join(root, 'runs', 'collect', 'solved.npy')), 'solved.npy');
    expect(solved.shape).toEqual([2, 2]);

    // resubmitting finds every run complete: no task redoes work
    const again = sh('sbatch', ['--wait', '--parsable', script], 240_000);
    expect(again.code, again.out).toBe(0);
    const job2 = again.out.trim().split(';')[0];
    const log = readFileSync(join(root, 'runs', 'logs', `slurm-${job2}_2.out`), 'utf8');
    expect(log).toMatch(/1 already complete, 0 to run/);
    expect(existsSync(join(root, 'runs', 'collect', 'sweep.csv'))).toBe(true);
  });
});
