/** Small helpers shared by the commands: colour policy, terminal detection, JSON output. */

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** Progress lines go to stderr, and live (overwriting) progress only when stderr is a terminal. */
export function stderrIsTerminal(): boolean {
  return process.stderr.isTTY === true;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
