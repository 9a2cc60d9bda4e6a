/**
 * A progress bar for long work, on stderr: `label [████▌     ] 45% 2,700/6,000 loss 4.91 acc 0.97 ETA 1m12s`.
 * On a terminal it redraws one line (at most 10 times a second); otherwise (CI, logs) it prints the
 * first line, then at most one line every 10 s, then the final one, so logs stay short however
 * often a command reports. `WMKIT_PROGRESS=0` silences it.
 */

function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  private readonly tty: boolean;
  private readonly enabled: boolean;
  private readonly start = performance.now();
  private lastDraw = 0;
  private lastLength = 0;
  private done = false;
  private lastDrawn = Number.NaN;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = '',
  ) {
    this.tty = Boolean(process.stderr.isTTY);
    this.enabled = process.env.WMKIT_PROGRESS !== '0';
  }

  /**
   * Reports `current` of `total`, with extra fields shown after the bar. `force` redraws a
   * terminal's line at once; in a log (no terminal) a line is written at most every 10 s
   * whatever the caller asks (the first and the final lines excepted), so a command that
   * reports every step cannot flood it: per-step values belong in metrics.jsonl.
   */
  update(current: number, fields: Record<string, string | number> = {}, force = false): void {
    this.draw(current, fields, this.tty ? force : false);
  }

  private draw(current: number, fields: Record<string, string | number>, force: boolean): void {
    if (!this.enabled || this.done) return;
    const now = performance.now();
    const minGap = this.tty ? 100 : 10_000;
    if (!force && this.drawn && now - this.lastDraw < minGap) return;
    this.drawn = true;
    this.lastDraw = now;
    this.lastDrawn = current;
    const frac = this.total > 0 ? Math.min(1, current / this.total) : 0;
    const elapsed = (now - this.start) / 1000;
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : Number.NaN;
    const width = 24;
    const cells = frac * width;
    const full = Math.floor(cells);
    const partial = ' ▏▎▍▌▋▊▉'[Math.floor((cells - full) * 8)] ?? '';
    const bar = `${'█'.repeat(full)}${full < width ? partial : ''}`.padEnd(width, ' ');
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3)) : v}`)
      .join('  ');
    const count = this.unit ? `${Math.round(current).toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} ${this.unit}` : '';
    const line = `${this.label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${count}  ${extra}  ${frac >= 1 ? `${formatDuration(elapsed)}` : `ETA ${formatDuration(eta)}`}`;
    if (this.tty) {
      process.stderr.write(`\r${line.padEnd(this.lastLength)}`);
      this.lastLength = line.length;
    } else {
      process.stderr.write(`${line}\n`);
    }
  }

  /** Final draw and newline. */
  finish(current = this.total, fields: Record<string, string | number> = {}): void {
    if (!this.enabled || this.done) return;
    // in logs (no terminal) a line already showing the final count is not repeated
    if (this.tty || this.lastDrawn !== current) this.draw(current, fields, true);
    if (this.tty) process.stderr.write('\n');
    this.done = true;
  }
}
