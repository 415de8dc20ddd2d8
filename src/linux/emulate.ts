/**
 * The emulation driver: execve (loader + initial stack) and the process's life (CPU runs, system
 * calls, signals, exit) under a kernel profile. One Emulator keeps its address space, CPU and decode
 * cache between runs, so the search can validate millions of candidates without re-allocating.
 */
import { Stop, type Cpu } from '../emu/cpu.js';
import { processCpu } from './process-cpu.js';
import { deliveredSignal } from './traps.js';
import { extraCallFacts, type SyscallRecord } from './call-facts.js';
import { checkExec, mapSegments, STACK_GUARD_GAP, type ExecutableFile, type Loaded } from './loader.js';
import { AddressSpace, PAGE_SIZE } from './memory.js';
import { mmapBaseFor } from './personality.js';
import { DEFAULT_PROFILE, type KernelProfile } from './profile.js';
import { Random, randomSeed } from './random.js';
import type { Assumption, RunResult } from './run-result.js';
import { chooseStackTop, mapStack, mapStackGrowth, planStack, writeInitialStack, type StackInput } from './stack.js';
import { INT80_CONVENTION_32, SYSCALL_CONVENTION_64, type SyscallConvention } from './syscall-abi.js';
import { Errno, ProcessIo, type StdinKind } from './syscalls.js';

export interface RunOptions {
  /** Default ["./a.out"]. */
  argv?: string[];
  /** Default []. */
  env?: string[];
  /** Default empty. */
  stdin?: Uint8Array;
  /** Default 10_000_000. */
  maxSteps?: number;
  /** Fixes the stack top, mmap base, AT_RANDOM bytes and pid; random when absent. */
  seed?: number;
  /** The path given to execve (AT_EXECFN); default argv[0]. */
  execPath?: string;
  /** How fd 0 is open (see StdinKind); default read-only. */
  stdinKind?: StdinKind;
  /** Observes the run step by step (golf explain); a traced run executes one instruction at a time. */
  trace?: RunTrace;
}

/** Hooks into one run: what golf explain follows. They observe, and must not change the machine. */
export interface RunTrace {
  /** The process is set up, before its first instruction. */
  started?(process: { exe: ExecutableFile; loaded: Loaded; rsp: number; stackTop: number }, cpu: Cpu, mem: AddressSpace): void;
  /** Before each instruction. */
  step?(cpu: Cpu, mem: AddressSpace): void;
  /** After each system call the kernel model made (exit calls included, before the process ends). */
  syscall?(call: SyscallRecord, cpu: Cpu, mem: AddressSpace): void;
}

export type EmulatedRun = RunResult & {
  assumptions: Assumption[];
  /** Why the exec failed, the process was killed by the loader or waits, or what was unsupported; else null. */
  reason: string | null;
  /** The system calls made, in order (at most MAX_RECORDED_CALLS). */
  calls: SyscallRecord[];
  /** The loader accepted and mapped the file (false: the exec failed, or the loader killed it or cannot model it). */
  loaded: boolean;
};

/** A program that loops through system calls keeps only its first calls on record. */
export const MAX_RECORDED_CALLS = 64;

export type Started = { kind: 'started'; loaded: Loaded; rsp: number; stackTop: number } | { kind: 'killed'; rule: string };

/**
 * What execve does after its point of no return: maps the stack and the segments, writes the
 * initial stack (argc, argv, envp, auxv, strings) and puts the CPU in Linux's entry state at the
 * entry point. The emulator's runs and the search's walks both start processes here. The CPU must
 * be in the process's mode: 64-bit, or 32-bit for a file the compat loader took.
 */
export function startProcess(exe: ExecutableFile, mem: AddressSpace, cpu: Cpu, profile: KernelProfile, random: Random, input: StackInput): Started {
  const personality = exe.personality;
  if (cpu.mode !== personality.mode) throw new Error(`startProcess: a ${personality.name} process needs a ${personality.mode}-bit CPU, not ${cpu.mode}-bit`);
  mem.clear();
  cpu.reset();
  const plan = planStack(input, chooseStackTop(profile, random, personality));
  mapStack(mem, plan, exe.stackExecutable);
  const mmapBase = mmapBaseFor(personality, profile, random);
  const loaded = mapSegments(exe, mem, profile, { mmapBase, stackLow: plan.low, stackTop: plan.top });
  if (loaded.kind === 'killed') return loaded;
  mapStackGrowth(mem, plan, exe.stackExecutable, profile, STACK_GUARD_GAP);
  const rsp = writeInitialStack(
    mem,
    plan,
    // The vDSO is not modelled: AT_SYSINFO_EHDR points where the kernel would put it, below mmap_base.
    { entry: loaded.entry, phdrAddr: loaded.phdrAddr, phnum: exe.header.phnum, sysinfoEhdr: mmapBase - 2 * PAGE_SIZE },
    profile,
    random,
    personality,
  );
  cpu.regLo[RSP] = rsp % TWO32;
  cpu.regHi[RSP] = Math.floor(rsp / TWO32);
  cpu.rip = loaded.entry;
  return { kind: 'started', loaded, rsp, stackTop: plan.top };
}


export const DEFAULT_MAX_STEPS = 10_000_000;
/** pid_max on small machines; the kernel hands out pids above RESERVED_PIDS (300). */
const PID_RANGE = { low: 300, high: 32768 } as const;

const TWO32 = 0x1_0000_0000;
const RAX = 0, RSP = 4;

export class Emulator {
  private readonly mem = new AddressSpace();
  /** The CPU of the current run: cpu64, or cpu32 for a 32-bit process. */
  private cpu: Cpu;
  private readonly cpu64: Cpu;
  private cpu32: Cpu | null = null;
  private readonly io = new ProcessIo();
  private readonly random = new Random();
  private calls: SyscallRecord[] = [];

  constructor(readonly profile: KernelProfile = DEFAULT_PROFILE) {
    this.cpu64 = processCpu(this.mem, 64);
    this.cpu = this.cpu64;
  }

  run(file: Uint8Array, options: RunOptions = {}): EmulatedRun {
    const argv = options.argv ?? ['./a.out'];
    const env = options.env ?? [];
    const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    const profile = this.profile;
    this.random.reseed(options.seed ?? randomSeed());

    const exec = checkExec(file, profile);
    if (exec.kind === 'exec-failed') return this.result('exec-failed', { execError: exec.errno, reason: `${exec.rule}: ${exec.why}` });
    if (exec.kind === 'unsupported') return this.result('unsupported', { unsupported: exec.reason, reason: exec.reason });

    // Point of no return: from here on, failures kill the process with SIGSEGV.
    const mem = this.mem;
    const cpu = exec.exe.personality.mode === 64 ? this.cpu64 : (this.cpu32 ??= processCpu(mem, 32));
    this.cpu = cpu;
    const started = startProcess(exec.exe, mem, cpu, profile, this.random, { argv, env, execPath: options.execPath ?? argv[0] ?? '' });
    if (started.kind === 'killed') return this.result('killed', { signal: 'SIGSEGV', reason: started.rule });
    const { loaded, rsp } = started;
    this.io.reset(options.stdin ?? new Uint8Array(0), PID_RANGE.low + this.random.below(PID_RANGE.high - PID_RANGE.low), options.stdinKind ?? 'read-only');
    const trace = options.trace;
    trace?.started?.({ exe: exec.exe, loaded, rsp, stackTop: started.stackTop }, cpu, mem);
    this.calls = [];

    const assumptions = new Map<string, Assumption>(loaded.assumptions.map((a) => [a.id, a]));
    const note = (id: string, text: string): void => {
      if (!assumptions.has(id)) assumptions.set(id, { id, text });
    };
    const finish = (outcome: RunResult['outcome'], fields: Partial<EmulatedRun>): EmulatedRun => {
      if (cpu.usedCpuid) note('cpuid', 'executes cpuid, whose results depend on the machine');
      if (cpu.usedRdtsc) note('rdtsc', 'executes rdtsc, whose result depends on the machine and time');
      if (cpu.usedSysenter) note('sysenter', 'executes sysenter: #UD (SIGILL) on AMD CPUs, as golf models; Intel CPUs enter the kernel instead');
      for (const fact of extraCallFacts(this.calls)) note(fact.id, fact.text);
      return this.result(outcome, {
        steps: cpu.steps, stdout: this.io.stdoutBytes, stderr: this.io.stderrBytes, stdinWrites: this.io.stdinWriteBytes,
        assumptions: [...assumptions.values()], calls: this.calls, loaded: true, ...fields,
      });
    };

    for (;;) {
      const remaining = maxSteps - cpu.steps;
      if (remaining <= 0) return finish('step-limit', {});
      if (trace?.step) trace.step(cpu, mem);
      const stop = cpu.run(trace ? 1 : remaining);
      switch (stop) {
        case Stop.stepLimit:
          if (trace && cpu.steps < maxSteps) continue;
          return finish('step-limit', {});
        case Stop.exception:
          return finish('killed', { signal: deliveredSignal(cpu) });
        case Stop.unsupported:
          return finish('unsupported', { unsupported: cpu.unsupported, reason: cpu.unsupported });
        case Stop.syscall:
        case Stop.int80: {
          let abi = SYSCALL_CONVENTION_64;
          if (stop === Stop.int80) {
            // From a 32-bit process int 0x80 is its own system call; from 64-bit code it needs IA32 emulation.
            if (cpu.mode === 64) {
              if (!profile.ia32Emulation) return finish('killed', { signal: 'SIGSEGV', reason: 'int 0x80 without IA32 emulation' });
              note('ia32-emulation', 'int 0x80 needs IA32 emulation (CONFIG_IA32_EMULATION, enabled)');
            }
            abi = INT80_CONVENTION_32;
          }
          const r = this.systemCall(abi);
          trace?.syscall?.(this.calls[this.calls.length - 1]!, cpu, mem);
          if (r.kind === 'exit') return finish('exited', { exitCode: r.code });
          if (r.kind === 'unsupported') return finish('unsupported', { unsupported: r.what, reason: r.what });
          const halt = this.io.halt;
          if (halt) {
            if (halt.kind === 'waits') return finish('step-limit', { reason: halt.what });
            return finish('unsupported', { unsupported: halt.what, reason: halt.what });
          }
          if (r.getpid) note('getpid', 'uses getpid, whose result differs between runs');
          break;
        }
        default:
          throw new Error(`unknown CPU stop reason ${String(stop)}`);
      }
    }
  }

  private result(outcome: RunResult['outcome'], fields: Partial<EmulatedRun>): EmulatedRun {
    return {
      outcome,
      exitCode: null,
      signal: null,
      execError: null,
      stdout: new Uint8Array(0),
      stderr: new Uint8Array(0),
      stdinWrites: new Uint8Array(0),
      steps: 0,
      unsupported: null,
      engine: 'emulator',
      assumptions: [],
      reason: null,
      calls: [],
      loaded: false,
      ...fields,
    };
  }

  private reg64(r: number): number {
    return this.cpu.regHi[r]! * TWO32 + this.cpu.regLo[r]!;
  }

  /** Sets rax to a syscall's return value (a negative errno is sign-extended to 64 bits; eax alone in a 32-bit process). */
  private setResult(value: number): void {
    const cpu = this.cpu;
    if (value < 0) {
      cpu.regLo[RAX] = value >>> 0;
      cpu.regHi[RAX] = cpu.mode === 64 ? 0xffffffff : 0;
    } else {
      cpu.regLo[RAX] = value % TWO32;
      cpu.regHi[RAX] = Math.floor(value / TWO32);
    }
  }

  /** Argument i of the current call: the whole register, or only its low 32 bits under a 4-byte convention. */
  private arg(abi: SyscallConvention, i: number): number {
    const r = abi.args[i]!;
    return abi.width === 8 ? this.reg64(r) : this.cpu.regLo[r]!;
  }

  /**
   * Executes the system call the trap of `abi` asked for: the number is the low 32 bits of its
   * number register; file descriptors and exit codes are ints, so only the low 32 bits of their
   * argument register count under either convention.
   */
  private systemCall(abi: SyscallConvention): SyscallOutcome {
    const cpu = this.cpu;
    const nr = cpu.regLo[abi.numberReg]!;
    const calls = abi.calls;
    // fds and exit codes are ints: the low 32 bits of their register under either convention.
    const arg0 = cpu.regLo[abi.args[0]!]!;
    const record = (name: SyscallRecord['name'], result: number | null, args: number[]): void => {
      if (this.calls.length < MAX_RECORDED_CALLS) this.calls.push({ convention: abi.name, nr, name, args, result });
    };
    switch (nr) {
      case calls.write: {
        const [buf, count] = [this.arg(abi, 1), this.arg(abi, 2)];
        const result = this.io.write(this.mem, arg0, buf, count);
        this.setResult(result);
        record('write', result, [arg0, buf, count]);
        return CONTINUE;
      }
      case calls.read: {
        const [buf, count] = [this.arg(abi, 1), this.arg(abi, 2)];
        const result = this.io.read(this.mem, arg0, buf, count);
        this.setResult(result);
        record('read', result, [arg0, buf, count]);
        return CONTINUE;
      }
      case calls.getpid:
        this.setResult(this.io.pid);
        record('getpid', this.io.pid, []);
        return GETPID;
      case calls.exit:
      case calls.exit_group:
        record(nr === calls.exit ? 'exit' : 'exit_group', null, [arg0]);
        return { kind: 'exit', code: arg0 & 0xff };
      default:
        if (!abi.exists(nr)) {
          this.setResult(-Errno.ENOSYS);
          record('unknown', -Errno.ENOSYS, []);
          return CONTINUE;
        }
        record('unknown', null, []);
        return { kind: 'unsupported', what: `system call ${nr} (${abi.name})` };
    }
  }
}

type SyscallOutcome = { kind: 'continue'; getpid: boolean } | { kind: 'exit'; code: number } | { kind: 'unsupported'; what: string };
const CONTINUE: SyscallOutcome = { kind: 'continue', getpid: false };
const GETPID: SyscallOutcome = { kind: 'continue', getpid: true };

/** One-shot helper: a fresh Emulator for one run. */
export function runEmulated(file: Uint8Array, options: RunOptions = {}, profile: KernelProfile = DEFAULT_PROFILE): EmulatedRun {
  return new Emulator(profile).run(file, options);
}
