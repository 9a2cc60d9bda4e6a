/**
 * @wmkit/cli — the `wmkit` command. The programmatic entry exposes `main` (run the CLI with
 * an argv) and the pieces commands share, for scripts and tests.
 */

export { OU_DEMO_DEFAULTS, type OuDemoConfig, simulateOu } from './commands/demo';
export { collectInfo, formatInfo, type MachineInfo } from './commands/info';
export { sweepRun } from './commands/sweep/run';
export { UsageError } from './errors';
export { buildProgram, main } from './main';
export { packageVersions, WMKIT_PACKAGES } from './versions';
