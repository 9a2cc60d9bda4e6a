/** The command line as typed (recorded in run.json so a run says how it was made). */
export function commandLine(): string[] {
  return ['wmkit', ...process.argv.slice(2)];
}
