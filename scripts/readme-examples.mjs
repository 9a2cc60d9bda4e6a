// Every package README's example works as written, for a user who runs its install line:
// for each packages/*/README.md, take the first ```ts block and the `npm install` line, check
// that the example imports only packages the install line names, then build a small project in
// .readme-examples/<package>/ (inside the workspace, gitignored) whose node_modules holds exactly
// those packages (links to the built workspace packages), type-check and compile it with tsc,
// and run it with node. Exits non-zero on the first README that fails, naming it and the reason.
// Usage: node scripts/readme-examples.mjs [package…]   (after `pnpm build`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.readme-examples');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const timeoutMs = 180_000;

/** Workspace package name → its folder. */
const workspace = new Map();
for (const group of ['packages', 'apps']) {
  for (const d of readdirSync(join(root, group))) {
    const pj = join(root, group, d, 'package.json');
    if (existsSync(pj)) workspace.set(JSON.parse(readFileSync(pj, 'utf8')).name, join(root, group, d));
  }
}

/** The package a bare specifier names: '@wmkit/data-io/node' → '@wmkit/data-io'. */
const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
/** '@tensorflow/tfjs-core@4.22.0' → '@tensorflow/tfjs-core'. */
const stripVersion = (arg) => arg.replace(/(.)@[^@/]*$/, '$1');

/** Where a non-workspace package (e.g. tfjs-core) is installed: looked up from the packages that need it. */
function externalDir(name) {
  for (const dir of workspace.values()) {
    try {
      return dirname(createRequire(join(dir, 'package.json')).resolve(`${name}/package.json`));
    } catch {}
  }
  throw new Error(`${name} is not installed in the workspace (run pnpm install)`);
}

function check(readmePath) {
  const text = readFileSync(readmePath, 'utf8');
  const where = relative(root, readmePath);
  const code = text.match(/```(?:ts|typescript)\n([\s\S]*?)```/)?.[1];
  if (!code) return `${where}: no \`\`\`ts example`;
  const install = text.match(/^npm install (.+)$/m)?.[1];
  if (!install) return `${where}: no 'npm install …' line`;
  const installed = install
    .split(/\s+/)
    .filter((a) => a && !a.startsWith('-'))
    .map(stripVersion);
  const imported = [...code.matchAll(/(?:from|import)\s*\(?\s*'([^'.][^']*)'/g)].map((m) => packageOf(m[1]));
  const missing = [...new Set(imported)].filter((p) => !p.startsWith('node:') && !installed.includes(p));
  if (missing.length) return `${where}: the example imports ${missing.join(', ')}, which its install line (npm install ${install}) omits`;

  const name = relative(root, dirname(readmePath)).replaceAll('/', '-');
  const dir = join(out, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  for (const p of installed) {
    const target = workspace.get(p) ?? externalDir(p);
    mkdirSync(dirname(join(dir, 'node_modules', p)), { recursive: true });
    symlinkSync(realpathSync(target), join(dir, 'node_modules', p), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `readme-${name}`, private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(dir, 'example.ts'), `${code}export {};\n`);
  const compilerOptions = {
    strict: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    skipLibCheck: true,
    outDir: 'out',
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, files: ['example.ts'] }, null, 2)}\n`);
  const t = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: dir, encoding: 'utf8' });
  if (t.status !== 0) return `${where}: the example does not type-check:\n${t.stdout}${t.stderr}`;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['out/example.js'], { cwd: dir, encoding: 'utf8', timeout: timeoutMs });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error || r.status !== 0)
    return `${where}: the example failed after ${seconds} s (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`;
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  console.log(`✓ ${where}: type-checks and runs (${seconds} s)${lines.length ? `\n    ${lines.slice(-4).join('\n    ')}` : ''}`);
  return undefined;
}

const only = process.argv.slice(2);
const readmes = readdirSync(join(root, 'packages'))
  .filter((d) => !only.length || only.includes(d))
  .map((d) => join(root, 'packages', d, 'README.md'))
  .filter((p) => existsSync(p));
let failed = 0;
for (const readme of readmes) {
  const problem = check(readme);
  if (problem) {
    console.error(`✗ ${problem}`);
    failed++;
  }
}
if (failed) {
  console.error(`${failed} of ${readmes.length} README examples failed`);
  process.exit(1);
}
console.log(`all ${readmes.length} README examples type-check and run`);
