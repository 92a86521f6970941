import cliProgress from 'cli-progress';

/** A progress bar on stderr (kept off stdout, which carries the table). Silent when not a TTY. */
export function progressBar(label: string, total: number) {
  const bar = new cliProgress.SingleBar(
    {
      format: `  ${label.padEnd(28)} [{bar}] {percentage}% {value}/{total} {detail}`,
      stream: process.stderr,
      noTTYOutput: false,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const tty = process.stderr.isTTY;
  if (tty) bar.start(total, 0, { detail: '' });
  else process.stderr.write(`  ${label}…\n`);
  return {
    update(value: number, detail = '') {
      if (tty) bar.update(value, { detail });
    },
    stop() {
      if (tty) bar.stop();
    },
  };
}
