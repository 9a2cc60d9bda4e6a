import { Command, CommanderError } from 'commander';
import { cliVersion } from './versions';

/** Registers one top-level command (a group with its subcommands, or a leaf) on the program. */
type Registrar = (program: Command) => Promise<void>;

/**
 * The top-level commands in the order `wmkit --help` lists them, each with what registers it. A
 * command's modules are imported when it is registered, and `main` registers only the command its
 * argv names (all of them for the top-level help, `help`, or a name it does not know): the wmkit
 * packages, TensorFlow.js, the figure libraries and zod load only for a command that uses them,
 * and `wmkit --version` loads none.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, register: Registrar]> = [
  ['info', async (p) => (await import('./commands/info')).registerInfo(p)],
  ['demo', async (p) => (await import('./commands/demo')).registerDemo(p)],
  [
    'train',
    async (p) => {
      const train = p.command('train').description('train a model (writes a run directory with checkpoints and curves)');
      const [ei, snn, stm] = await Promise.all([
        import('./commands/ei-rnn/train'),
        import('./commands/delay-snn/train'),
        import('./commands/stm/train'),
      ]);
      ei.registerTrainEiRnn(train);
      snn.registerTrainDelaySnn(train);
      stm.registerTrainStm(train);
    },
  ],
  ['convert', async (p) => (await import('./commands/ei-rnn/convert')).registerConvert(p)],
  ['simulate', async (p) => (await import('./commands/simulate')).registerSimulate(p)],
  [
    'analyze',
    async (p) => {
      const analyze = p.command('analyze').description('analyse a run (or recorded data) and write the results beside it');
      const [timescales, fano, crossTemporal, weights, wimmer] = await Promise.all([
        import('./commands/ei-rnn/timescales'),
        import('./commands/ei-rnn/fano'),
        import('./commands/ei-rnn/cross-temporal'),
        import('./commands/ei-rnn/weights'),
        import('./commands/data/wimmer-recorded'),
      ]);
      timescales.registerAnalyzeTimescales(analyze);
      fano.registerAnalyzeFano(analyze);
      crossTemporal.registerAnalyzeCrossTemporal(analyze);
      weights.registerAnalyzeWeights(analyze);
      wimmer.registerAnalyzeWimmer(analyze);
    },
  ],
  [
    'experiment',
    async (p) => {
      const [experiment, subgroups, retrain] = await Promise.all([
        import('./commands/ei-rnn/experiment'),
        import('./commands/ei-rnn/subgroups'),
        import('./commands/ei-rnn/retrain'),
      ]);
      const group = experiment.registerExperiment(p);
      subgroups.registerExperimentSubgroups(group);
      retrain.registerExperimentRetrain(group);
    },
  ],
  [
    'evaluate',
    async (p) => {
      const evaluate = p.command('evaluate').description('evaluate a trained model (recall, robustness) and write the results beside it');
      (await import('./commands/delay-snn/evaluate')).registerEvaluateDelaySnn(evaluate);
    },
  ],
  [
    'scan',
    async (p) => {
      const scan = p
        .command('scan')
        .description('scan a model parameter and tabulate the results, with the published values where they exist');
      (await import('./commands/delay-snn/scan')).registerScanDelaySnn(scan);
    },
  ],
  [
    'reproduce',
    async (p) => {
      const reproduce = p
        .command('reproduce')
        .description("reproduce a paper's results end to end: simulations, analyses, report with figures");
      const [kim, wimmer, compte, kriener, foldiak, kurtkaya] = await Promise.all([
        import('./commands/reproduce/kim2021'),
        import('./commands/reproduce/wimmer2014'),
        import('./commands/reproduce/compte2000'),
        import('./commands/reproduce/kriener2020'),
        import('./commands/reproduce/foldiak1990'),
        import('./commands/reproduce/kurtkaya2025'),
      ]);
      kim.registerReproduceKim(reproduce);
      wimmer.registerReproduceWimmer(reproduce);
      compte.registerReproduceCompte2000(reproduce);
      kriener.registerReproduceKriener(reproduce);
      foldiak.registerReproduceFoldiak(reproduce);
      kurtkaya.registerReproduceKurtkaya(reproduce);
    },
  ],
  ['import', async (p) => (await import('./commands/data/import-kim')).registerImport(p)],
  ['export', async (p) => (await import('./commands/data/export')).registerExport(p)],
  ['inspect', async (p) => (await import('./commands/data/inspect')).registerInspect(p)],
  ['view', async (p) => (await import('./commands/view')).registerView(p)],
  ['sweep', async (p) => (await import('./commands/sweep/run')).registerSweep(p)],
];

/**
 * The top-level command an argv (without node and the script) runs, or null when commander needs
 * every command: no command, `help`, an unknown name, or --help/--version before the command.
 */
function commandOf(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return null;
    if (a === '--threads')
      i++; // the program's one option with a value (--threads=4 is one token)
    else if (!a.startsWith('-')) return COMMANDS.some(([name]) => name === a) ? a : null;
    else if (!a.startsWith('--threads=')) return null; // -h, -v, or an option commander will refuse
  }
  return null;
}

/**
 * The wmkit program with every command (`args` omitted), or with only the command that `args` (an
 * argv without node and the script) runs — what `main` parses it with.
 */
export async function buildProgram(args?: readonly string[]): Promise<Command> {
  const [{ addThreadsOption }, { addFormatOption, addJsonOption, applyOutputOptions }] = await Promise.all([
    import('./options'),
    import('./output-options'),
  ]);
  const program = new Command();
  program
    .name('wmkit')
    .description(
      'Build, train, simulate and analyse working-memory circuit models: E/I rate RNNs converted to ' +
        'spiking networks, heterogeneous-delay spiking networks, bump/discrete/decaying attractors, ' +
        'winner-take-all and sparse-coding circuits.\n\n' +
        'Every command that produces results writes a run directory (run.json, .npy arrays, ' +
        'metrics.jsonl, SVG figures) that numpy and the wmkit viewer can open.',
    )
    .version(cliVersion(), '-v, --version', 'print the wmkit version')
    .exitOverride() // before commands are added, so subcommands inherit it
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str.replace(/^error:/, 'wmkit: error:')) });
  addThreadsOption(program);
  const only = args ? commandOf(args) : null;
  for (const [name, register] of COMMANDS) if (!only || name === only) await register(program);
  // --format on every command that writes figures (all leaves of these groups, and demo)
  const figureGroups = new Set(['train', 'convert', 'simulate', 'analyze', 'experiment', 'evaluate', 'scan', 'reproduce']);
  for (const cmd of program.commands) {
    if (cmd.name() === 'demo') addFormatOption(cmd);
    else if (figureGroups.has(cmd.name())) for (const leaf of cmd.commands.length ? cmd.commands : [cmd]) addFormatOption(leaf);
  }
  // --json on every leaf command that prints results (info has its own; view serves, it prints no result)
  const leaves = (c: Command): Command[] => (c.commands.length ? c.commands.flatMap(leaves) : [c]);
  for (const leaf of program.commands.flatMap(leaves))
    if (leaf.name() !== 'view' && !leaf.options.some((o) => o.long === '--json')) addJsonOption(leaf);
  program.hook('preAction', (_program, action) => applyOutputOptions(action));
  program.addHelpText(
    'after',
    '\nEnvironment:\n  WMKIT_BACKEND   force a tensor backend: cpu | wasm | tensorflow\n  WMKIT_DEBUG=1   print stack traces with errors\n  WMKIT_THREADS   kernel threads (as --threads)',
  );
  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === '-v' || args[0] === '--version')) {
    // what commander prints, without loading a command (or anything they import)
    process.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  const [{ setInvocation }, { finishJson, resetOutputOptions }, { exitCodeFor, formatError }] = await Promise.all([
    import('./run-helpers'),
    import('./output-options'),
    import('./errors'),
  ]);
  setInvocation(args);
  process.exitCode = undefined; // a sweep worker runs one command after another in this thread
  resetOutputOptions();
  const program = await buildProgram(args);
  try {
    await program.parseAsync(argv);
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    finishJson(args, code);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit with 0; usage errors were already printed by commander
      const code = err.exitCode === 0 ? 0 : 2;
      finishJson(args, code, code ? err.message.replace(/^error: /, '') : undefined);
      return code;
    }
    const message = formatError(err);
    console.error(message);
    const code = exitCodeFor(err);
    finishJson(args, code, message.replace(/^wmkit: error: /, ''));
    return code;
  }
}
