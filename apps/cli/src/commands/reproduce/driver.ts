/**
 * The reproduce driver: each `wmkit reproduce <paper>` is a declaration (`ReproduceRecipe`) that
 * `defineReproduce` turns into a command. The driver adds what every reproduction shares —
 * `--out`, `--seed`, `--force`, `--quick`, `--workers`, `--engine`, `--config`, `--set`,
 * `--print-config`, `--from` (config resolved as defaults → --from → --config → --set → the
 * options typed on the command line; `resolveOptionConfig`), the help's Config/Examples/Writes
 * sections — and, after the recipe ran, writes the run directory: arrays (.npy), metrics.jsonl
 * records, text files, figures (SVG, and PNG with --format), report.md/report.html, run.json
 * metrics and status; a DivergenceError marks the run failed. (`--json` and `--format` are added
 * to every leaf in main.ts.) The science stays in the packages: the recipe calls the
 * `@wmkit/papers` function, `@wmkit/figures` draws its figures, and papers' `*Outputs` /
 * `*Report` functions give the arrays, metrics and report.
 *
 * Each recipe module (kriener2020.ts, …) shows the pattern: option declarations, a config schema
 * and defaults, and `run`: start the run, call the papers function with a progress bar, return
 * what goes into the run directory (sub-modes too, e.g. Kurtkaya's --toy and --authors).
 *
 * An option whose fifth element names a config field (dotted where nested) overrides that field
 * when typed; the others are the recipe's own.
 */
import type { RunDirectory } from '@wmkit/data-io/node';
import { type FigureList, renderReport, withMetricsSection } from '@wmkit/figures';
import type { PaperReport, RunOutputs } from '@wmkit/papers';
import type { Command } from 'commander';
import type { z } from 'zod';
import { isDivergence, markDiverged } from '../../divergence';
import { UsageError } from '../../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  type ConfigSpec,
  parseEngine,
  parseIntOption,
  printConfigIfAsked,
  resolveOptionConfig,
  schemaParser,
} from '../../options';
import { startRun, writeOutputs } from '../../run-helpers';

/** A recipe's own option: [flags, help, parser, default, config field it sets]. */
export type OptionDecl = [flags: string, description: string, parse?: (v: string) => unknown, defaultValue?: unknown, field?: string];

/** The options every reproduction has. */
export interface SharedOptions extends ConfigOptionValues {
  out: string;
  seed: number;
  force?: boolean;
  quick?: boolean;
  workers?: number;
  engine: 'kernels' | 'tfjs';
}

/** What a recipe's `run` gets. */
export interface ReproduceContext<O, C> {
  /** The parsed options. */
  o: O & SharedOptions;
  /** The resolved config (validated). */
  config: C;
  /** --seed if typed, else the --from run's, else the default. */
  seed: number;
  /**
   * Creates the run directory (in --out unless `dir`), recording its config, seed (default:
   * `seed`) and preset, and `engine` (which implementation runs it) in its metrics.
   */
  start(s: {
    kind?: string;
    config: unknown;
    preset?: string;
    dir?: string;
    seed?: number | null;
    notes?: string[];
    engine?: string;
  }): Promise<RunDirectory>;
}

/** What a recipe's `run` returns: the run it started and what goes into it. */
export interface ReproduceResult {
  run: RunDirectory;
  report: PaperReport;
  outputs?: RunOutputs;
  figures?: FigureList;
  /** run.json metrics at completion (after the outputs' metrics). */
  metrics?: Record<string, unknown>;
  /** The runtime reported (default: since the run started). */
  seconds?: number;
  /** What the terminal shows before the line naming the report. */
  summary: string;
  /** The exit code (default 0). */
  exitCode?: number;
}

/** A sub-mode's config (`ReproduceRecipe.config.mode`). */
export interface ConfigMode<C> {
  kind: string;
  schema: z.ZodType<C>;
  base: C;
  fromRecorded?: (recorded: unknown) => unknown;
}

/** A `wmkit reproduce <name>` command, declared. */
export interface ReproduceRecipe<O, C> {
  name: string;
  description: string;
  kind: string;
  out: string;
  /** Help of --out (default 'run directory'). */
  outHelp?: string;
  /** Help of --seed (default 'random seed'; null: no --seed, the run records none). */
  seedHelp?: string | null;
  /** Help of --force (default 'replace an existing run in --out'). */
  forceHelp?: string;
  options: OptionDecl[];
  /** Help of --quick (none: no --quick). */
  quick?: string;
  /** Help of --workers (none: no --workers). */
  workers?: string;
  /** Help of --engine (none: no --engine). */
  engine?: string;
  /** The default of --engine (none: 'kernels'). */
  engineDefault?: 'kernels' | 'tfjs' | null;
  config: {
    /** The schema of the config (or a parse function for a model's own config). */
    schema?: z.ZodType<C>;
    parse?: ConfigSpec<C>['parse'];
    base: (o: O & SharedOptions) => C;
    fromRecorded?: (recorded: unknown) => unknown;
    /** A sub-mode that takes no config (e.g. Kurtkaya's --toy): `run` gets the base and --seed. */
    skip?: (o: O & SharedOptions) => boolean;
    /**
     * A sub-mode with a config of its own (e.g. Kriener's --sweep delta): its schema, base, reader
     * of a recorded config and run kind (the one --from accepts) replace the recipe's.
     */
    mode?: (o: O & SharedOptions) => ConfigMode<C> | undefined;
    /** An example for --set. */
    example: string;
    /** The Config help section (what the fields are). */
    help: string;
  };
  /** Help text between the Config section and the Examples. */
  help?: string;
  examples: string[];
  writes: string;
  /** Runs first, before the config is resolved: checks of the typed options whose errors name the option. */
  check?: (o: O & SharedOptions) => void;
  run: (ctx: ReproduceContext<O, C>) => Promise<ReproduceResult>;
}

/** Registers the recipe as `reproduce <name>`. */
export function defineReproduce<O, C>(recipe: ReproduceRecipe<O, C>): (reproduce: Command) => Command {
  return (reproduce) => {
    const cmd = reproduce
      .command(recipe.name)
      .description(recipe.description)
      .option('--out <dir>', recipe.outHelp ?? 'run directory', recipe.out);
    const fields: Record<string, string> = {};
    for (const [flags, help, parse, def, field] of recipe.options) {
      if (parse) cmd.option(flags, help, parse as (v: string) => string, def as string | undefined);
      else cmd.option(flags, help, def as string | undefined);
      const opt = cmd.options[cmd.options.length - 1];
      if (field && opt) fields[field] = opt.attributeName();
    }
    if (recipe.quick) cmd.option('--quick', recipe.quick);
    if (recipe.seedHelp !== null) cmd.option('--seed <n>', recipe.seedHelp ?? 'random seed', parseIntOption('seed', 0), 1);
    if (recipe.workers) cmd.option('--workers <n>', recipe.workers, parseIntOption('workers', 1));
    cmd.option('--force', recipe.forceHelp ?? 'replace an existing run in --out');
    if (recipe.engine)
      cmd.option(
        '--engine <name>',
        recipe.engine,
        parseEngine,
        recipe.engineDefault === null ? undefined : (recipe.engineDefault ?? 'kernels'),
      );
    const list = (xs: string[]) => xs.map((x) => `  ${x}`).join('\n');
    addConfigOptions(cmd, recipe.config.example).addHelpText(
      'after',
      `\nConfig (--config, --set, --from): ${recipe.config.help}\n${recipe.help ? `\n${recipe.help}\n` : ''}\nExamples:\n${list(recipe.examples)}\n\nWrites: ${recipe.writes}`,
    );
    cmd.action(async (o: O & SharedOptions, c: Command) => {
      recipe.check?.(o);
      const skip = recipe.config.skip?.(o);
      const mode = recipe.config.mode?.(o);
      const { config, seed } = skip
        ? { config: recipe.config.base(o), seed: o.seed }
        : resolveOptionConfig(o as SharedOptions, c, {
            base: mode ? mode.base : recipe.config.base(o),
            parse: mode ? schemaParser(mode.schema) : (recipe.config.parse ?? schemaParser(recipe.config.schema as z.ZodType<C>)),
            kinds: [mode?.kind ?? recipe.kind],
            fromRecorded: mode ? mode.fromRecorded : recipe.config.fromRecorded,
            options: fields,
          });
      if (!skip && printConfigIfAsked(o, config)) return;
      let run: RunDirectory | null = null;
      let t0 = 0;
      const ctx: ReproduceContext<O, C> = {
        o,
        config,
        seed: seed ?? o.seed,
        start: async (s) => {
          run = await startRun(s.dir ?? o.out, {
            kind: s.kind ?? recipe.kind,
            config: s.config,
            seed: s.seed !== undefined ? s.seed : (seed ?? o.seed),
            preset: s.preset,
            notes: s.notes,
            force: o.force,
          });
          if (s.engine) run.setMetrics({ engine: s.engine });
          t0 = performance.now();
          return run;
        },
      };
      let r: ReproduceResult;
      try {
        r = await recipe.run(ctx);
      } catch (err) {
        if (run && isDivergence(err)) markDiverged(run, err);
        throw err;
      }
      const seconds = r.seconds ?? (performance.now() - t0) / 1000;
      writeOutputs(r.run, r.outputs, r.figures);
      const metrics = { ...r.outputs?.metrics, ...r.metrics, seconds };
      const { md, html } = renderReport(withMetricsSection(r.report, metrics));
      r.run.writeFile('report.md', md);
      r.run.writeFile('report.html', html);
      r.run.complete(metrics);
      console.log(`${r.summary}✓ report: ${r.run.path('report.html')} (and report.md), ${seconds.toFixed(0)} s`);
      process.exitCode = r.exitCode ?? 0;
    });
    return cmd;
  };
}

/** A comma-separated list of names (a reproduction's option) from `allowed` (`aliases` expand; 'none' is the empty list). */
export function parseChoiceList<T extends string>(name: string, allowed: readonly T[], aliases: Record<string, readonly T[]> = {}) {
  return (v: string): T[] => {
    if (v.trim() === 'none') return [];
    const out: T[] = [];
    for (const x of v.split(',').map((s) => s.trim())) {
      const a = aliases[x];
      if (a) out.push(...a);
      else if ((allowed as readonly string[]).includes(x)) out.push(x as T);
      else throw new UsageError(`--${name}: unknown '${x}'; choose from ${[...allowed, ...Object.keys(aliases), 'none'].join(', ')}`);
    }
    return [...new Set(out)];
  };
}

/** One name from `allowed` (`--name must be a or b, got 'v'`; with more names `must be one of a, b, c`). */
export function parseChoice<T extends string>(name: string, allowed: readonly T[]) {
  return (v: string): T => {
    const names = allowed.length === 2 ? allowed.join(' or ') : `one of ${allowed.join(', ')}`;
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be ${names}, got '${v}'`);
    return v as T;
  };
}
