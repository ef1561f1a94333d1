import cliProgress from 'cli-progress';

/** A progress display: a bar with ETA on a terminal, plain log lines otherwise. */
export interface Progress {
  /** Sets the completed count and an optional status text. */
  update(done: number, status?: string): void;
  /** Shows a live status on a terminal's bar (plain logs skip it, so they stay one line per unit). */
  note(status: string): void;
  /** Ends the display (the bar stays on screen at its final value). */
  stop(): void;
}

/** Creates a progress display for `total` units of work labelled `label`, writing to stderr. */
export function createProgress(label: string, total: number, quiet = false): Progress {
  if (quiet) return { update() {}, note() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {status}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { status: '' });
    return {
      update: (done, status = '') => bar.update(done, { status }),
      note: (status) => bar.update({ status }),
      stop: () => bar.stop(),
    };
  }
  // not a terminal: one line per update that carries a status, so logs stay readable
  const start = Date.now();
  return {
    update(done, status) {
      if (status === undefined) return;
      const elapsed = (Date.now() - start) / 1000;
      const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
      process.stderr.write(`${label} ${done}/${total} ${status} (${elapsed.toFixed(1)}s, ETA ${eta.toFixed(0)}s)\n`);
    },
    note() {},
    stop() {},
  };
}
