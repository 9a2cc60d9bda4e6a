/**
 * Build step after tsup (`pnpm build`): bundles the sweep worker and everything it imports into
 * one file, dist/workers/sweep-worker.bundle.js. A worker thread loads its modules anew; loaded
 * file by file (about 1,500 files: resolution, package.json reads and compilation of each) that
 * costs ~1.4 CPU s per worker, as one file ~0.45 CPU s (esbuild does the bundling; nothing here
 * but the two fixes below).
 *
 * Bundled code keeps the locations of the files it came from: `import.meta.url`, `__dirname` and
 * `__filename` are replaced by each file's own path, so module-relative lookups (worker scripts,
 * .wasm files, fonts) find what they found before. The bundle is therefore tied to this checkout:
 * `sweep-worker.bundle.json` records where it was built, and the CLI uses the bundle only there
 * (workers/location.ts), else the unbundled worker. Optional peers that a user installs
 * (`@tensorflow/tfjs-node*`) stay outside the bundle, resolved from the package that imports them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/workers');

/** Replaces module-relative locations by the original file's. */
const originalLocations = {
  name: 'original-locations',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      if (!/import\.meta\.url|__dirname|__filename/.test(text)) return undefined;
      if (text.startsWith('#!')) text = text.slice(text.indexOf('\n') + 1);
      text = text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      const free = (name) => text.includes(name) && !new RegExp(`\\b(?:var|let|const|function)\\s+${name}\\b`).test(text);
      const head = [];
      if (free('__dirname')) head.push(`var __dirname = ${JSON.stringify(dirname(args.path))};`);
      if (free('__filename')) head.push(`var __filename = ${JSON.stringify(args.path)};`);
      return { contents: head.join('') + text, loader: 'js', resolveDir: dirname(args.path) };
    });
    // optional peers: not installed here, resolved where they are imported from when a user installs them
    b.onResolve({ filter: /^@tensorflow\/tfjs-node/ }, (args) => {
      try {
        return { path: pathToFileURL(createRequire(join(args.resolveDir, 'x.js')).resolve(args.path)).href, external: true };
      } catch {
        return { path: args.path, external: true };
      }
    });
  },
};

await build({
  entryPoints: [join(dist, 'sweep-worker.js')],
  outfile: join(dist, 'sweep-worker.bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // CommonJS modules in the bundle call require() for Node's built-ins
  banner: { js: "import { createRequire as __wmkitRequire } from 'node:module'; const require = __wmkitRequire(import.meta.url);" },
  plugins: [originalLocations],
});
await writeFile(join(dist, 'sweep-worker.bundle.json'), `${JSON.stringify({ builtIn: dist })}\n`);
