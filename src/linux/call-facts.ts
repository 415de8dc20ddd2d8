/**
 * The system calls a run made, and the ones worth stating about a result: a target judges only
 * stdout, stderr and the exit status, but a reader of a record should know when a file does more
 * than write its output and exit (a read of stdin, a call to a number the kernel does not have,
 * a write that fails). One place formats calls for golf check, golf explain and the records.
 */
import type { Assumption } from './run-result.js';
import { Errno } from './syscalls.js';

export interface SyscallRecord {
  convention: 'syscall' | 'int 0x80';
  /** The number as the kernel read it (low 32 bits of the number register). */
  nr: number;
  name: 'read' | 'write' | 'getpid' | 'exit' | 'exit_group' | 'unknown';
  /** The arguments that matter for the call (fd, buffer, count; the exit status). */
  args: number[];
  /** What the call returned (negative errno on failure); null when it did not return (exit) or is not modelled. */
  result: number | null;
}

const ERRNO_NAMES = new Map<number, string>(Object.entries(Errno).map(([name, n]) => [n, name]));

/** A return value as people read it: 14, -EBADF, -ENOSYS. */
export function formatResult(result: number): string {
  if (result >= 0) return String(result);
  const name = ERRNO_NAMES.get(-result);
  return name ? `-${name}` : String(result);
}

const pointer = (v: number, addresses: boolean): string => (v === 0 ? 'NULL' : addresses ? `0x${v.toString(16)}` : 'buf');
const number = (nr: number): string => (nr > 999 ? `0x${nr.toString(16)}` : String(nr));

/**
 * One call as C-like text: "read(0, NULL, 0) = 0", "write(1, 0x7ffd1234, 14) = 14", "system call
 * 0xffffffe7 = -ENOSYS". Without `addresses`, a non-null buffer is "buf" (stack addresses differ
 * between runs, and a stated fact should not).
 */
export function formatCall(call: SyscallRecord, addresses = true): string {
  const via = call.convention === 'int 0x80' ? ' via int 0x80' : '';
  let text: string;
  switch (call.name) {
    case 'read':
    case 'write':
      text = `${call.name}(${call.args[0]}, ${pointer(call.args[1]!, addresses)}, ${call.args[2]})`;
      break;
    case 'exit':
    case 'exit_group':
      return `${call.name}(${call.args[0]})${via}`;
    case 'getpid':
      text = 'getpid()';
      break;
    case 'unknown':
      text = `system call ${number(call.nr)}`;
      break;
  }
  return `${text}${via}${call.result === null ? '' : ` = ${formatResult(call.result)}`}`;
}

/** Whether a call is one a target is about: a complete write to stdout or stderr, or the exit. */
function isTargetCall(call: SyscallRecord): boolean {
  if (call.name === 'exit' || call.name === 'exit_group') return true;
  return call.name === 'write' && (call.args[0] === 1 || call.args[0] === 2) && call.result === call.args[2];
}

/**
 * What a file does besides writing its output and exiting, as assumptions (one per kind of call,
 * described by its first occurrence). getpid has its own note in the emulator.
 */
export function extraCallFacts(calls: readonly SyscallRecord[]): Assumption[] {
  const facts = new Map<string, Assumption>();
  const add = (id: string, text: string): void => {
    if (!facts.has(id)) facts.set(id, { id, text });
  };
  for (const call of calls) {
    if (isTargetCall(call) || call.name === 'getpid') continue;
    const shown = formatCall(call, false);
    switch (call.name) {
      case 'read':
        add(`read-fd${call.args[0]}`, `also calls ${shown}${call.args[0] === 0 ? ' on stdin' : ''}`);
        break;
      case 'write':
        if (call.args[0] === 1 || call.args[0] === 2) add(`write-fd${call.args[0]}-incomplete`, `a write to ${call.args[0] === 1 ? 'stdout' : 'stderr'} does not complete: ${shown}`);
        else add(`write-fd${call.args[0]}`, `also calls ${shown}${call.args[0] === 0 ? ' on stdin' : ''}`);
        break;
      case 'unknown':
        add(
          `syscall-${call.nr}`,
          `also calls ${shown}: Linux 6.18 has no system call ${number(call.nr)}, a kernel that gives the number a meaning would run it`,
        );
        break;
    }
  }
  return [...facts.values()];
}
