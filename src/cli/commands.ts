import type { Command } from 'commander';

/**
 * Every golf command registers itself through one function of this shape.
 * The list lives in src/cli.ts; each command's module owns its options, help and examples.
 */
export type RegisterCommand = (program: Command) => void;

/** Standard "Examples:" block appended to a command's --help. */
export function withExamples(cmd: Command, examples: string[]): Command {
  return cmd.addHelpText('after', '\nExamples:\n' + examples.map((e) => `  $ ${e}`).join('\n') + '\n');
}
