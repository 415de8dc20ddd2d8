/** Small helpers shared by the commands: colour policy, terminal width, JSON output. */

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * Columns available on stdout: the terminal's width, else $COLUMNS when set (as ls(1) does, so
 * `COLUMNS=80 golf table > file` is honoured), else undefined (no limit: pipes and files).
 */
export function stdoutColumns(stream: NodeJS.WriteStream = process.stdout): number | undefined {
  if (stream.isTTY === true && stream.columns > 0) return stream.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : undefined;
}
