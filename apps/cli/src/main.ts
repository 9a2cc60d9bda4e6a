import { Command, CommanderError } from 'commander';
import { registerExport } from './commands/data/export';
import { registerImport } from './commands/data/import-kim';
import { registerInspect } from './commands/data/inspect';
import { registerAnalyzeWimmer } from './commands/data/wimmer-recorded';
import { registerEvaluateDelaySnn } from './commands/delay-snn/evaluate';
import { registerScanDelaySnn } from './commands/delay-snn/scan';
import { registerTrainDelaySnn } from './commands/delay-snn/train';
import { registerDemo } from './commands/demo';
import { registerConvert } from './commands/ei-rnn/convert';
import { registerAnalyzeCrossTemporal } from './commands/ei-rnn/cross-temporal';
import { registerExperiment } from './commands/ei-rnn/experiment';
import { registerAnalyzeFano } from './commands/ei-rnn/fano';
import { registerExperimentRetrain } from './commands/ei-rnn/retrain';
import { registerExperimentSubgroups } from './commands/ei-rnn/subgroups';
import { registerAnalyzeTimescales } from './commands/ei-rnn/timescales';
import { registerTrainEiRnn } from './commands/ei-rnn/train';
import { registerAnalyzeWeights } from './commands/ei-rnn/weights';
import { registerInfo } from './commands/info';
import { registerReproduceCompte2000 } from './commands/reproduce/compte2000';
import { registerReproduceFoldiak } from './commands/reproduce/foldiak1990';
import { registerReproduceKim } from './commands/reproduce/kim2021';
import { registerReproduceKriener } from './commands/reproduce/kriener2020';
import { registerReproduceKurtkaya } from './commands/reproduce/kurtkaya2025';
import { registerReproduceWimmer } from './commands/reproduce/wimmer2014';
import { registerSimulate } from './commands/simulate';
import { registerTrainStm } from './commands/stm/train';
import { registerSweep } from './commands/sweep/run';
import { registerView } from './commands/view';
import { exitCodeFor, formatError } from './errors';
import { addThreadsOption } from './options';
import { addFormatOption, addJsonOption, applyOutputOptions, finishJson, resetOutputOptions } from './output-options';
import { setInvocation } from './run-helpers';
import { cliVersion } from './versions';

export function buildProgram(): Command {
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
  registerInfo(program);
  registerDemo(program);
  const train = program.command('train').description('train a model (writes a run directory with checkpoints and curves)');
  registerTrainEiRnn(train);
  registerTrainDelaySnn(train);
  registerTrainStm(train);
  registerConvert(program);
  registerSimulate(program);
  const analyze = program.command('analyze').description('analyse a run (or recorded data) and write the results beside it');
  registerAnalyzeTimescales(analyze);
  registerAnalyzeFano(analyze);
  registerAnalyzeCrossTemporal(analyze);
  registerAnalyzeWeights(analyze);
  registerAnalyzeWimmer(analyze);
  const experiment = registerExperiment(program);
  registerExperimentSubgroups(experiment);
  registerExperimentRetrain(experiment);
  const evaluate = program.command('evaluate').description('evaluate a trained model (recall, robustness) and write the results beside it');
  registerEvaluateDelaySnn(evaluate);
  const scan = program
    .command('scan')
    .description('scan a model parameter and tabulate the results, with the published values where they exist');
  registerScanDelaySnn(scan);
  const reproduce = program
    .command('reproduce')
    .description("reproduce a paper's results end to end: simulations, analyses, report with figures");
  registerReproduceKim(reproduce);
  registerReproduceWimmer(reproduce);
  registerReproduceCompte2000(reproduce);
  registerReproduceKriener(reproduce);
  registerReproduceFoldiak(reproduce);
  registerReproduceKurtkaya(reproduce);
  registerImport(program);
  registerExport(program);
  registerInspect(program);
  registerView(program);
  registerSweep(program);
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
  setInvocation(argv.slice(2));
  process.exitCode = undefined; // a sweep worker runs one command after another in this thread
  resetOutputOptions();
  const program = buildProgram();
  const args = argv.slice(2);
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
