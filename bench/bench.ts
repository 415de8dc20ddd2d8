/**
 * `npm run bench [-- --seconds S] [--file PATH] [--walk-nodes N]`: complete validations per second
 * (load + run of a hello-world file by one reused Emulator, as the search does) versus native
 * executions per second of the same file on the host kernel, measured in the same run, and their
 * ratio; then the search walk's nodes per second on fixed units, search v2 (src/search/walk/) side
 * by side with v1 (bench/walk-v1.ts) in the same run, alternating so both see the same machine load.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { Emulator } from '../src/linux/emulate.js';
import { nativeSupported, runNative } from '../src/linux/native.js';
import { DEFAULT_PROFILE } from '../src/linux/profile.js';
import { SYSCALL_64 } from '../src/search/abi.js';
import { solveLayouts, type Layout } from '../src/search/layout.js';
import { loaderVerdict } from '../src/search/process.js';
import { Walk as WalkV2 } from '../src/search/walk/walk.js';
import { Walk as WalkV1 } from './walk-v1.js';

/**
 * Fixed units for the walk section: every layout of an 86-byte Hello, World! with the program
 * header at 12, 24 or 32, ET_EXEC and ET_DYN, walked by both versions with the same options; every
 * file is refused (accept returns false), so each walk runs until its node limit or exhausts.
 */
function walkUnits(): { layouts: Layout[]; goal: { stdout: Uint8Array; stderr: Uint8Array; exitCode: number } } {
  const p = DEFAULT_PROFILE;
  const limits = { mmapMinAddr: p.mmapMinAddr, taskSize: p.taskSize, commitLimitBytes: p.commitLimitBytes };
  const layouts = [12, 24, 32].flatMap((phoff) => ([2, 3] as const).flatMap((type) => solveLayouts(phoff, type, 86, { limits, verdict: loaderVerdict(p) })));
  return { layouts, goal: { stdout: new TextEncoder().encode('Hello, World!\n'), stderr: new Uint8Array(0), exitCode: 0 } };
}

/**
 * Nodes, wall seconds and this process's CPU seconds (user + system). On a shared machine the wall
 * time includes waiting for a core; the CPU time does not, so the ratio is taken from it.
 */
function walkRate(version: 1 | 2, nodeLimit: number): { nodes: number; seconds: number; cpuSeconds: number } {
  const { layouts, goal } = walkUnits();
  const options = { profile: DEFAULT_PROFILE, argc: 1, abis: [SYSCALL_64], maxPathSteps: 80, nodeLimit, stopped: () => false, accept: () => false };
  let nodes = 0;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (const layout of layouts) {
    nodes += version === 1 ? WalkV1.run(layout, goal, options).nodes : WalkV2.run(layout, goal, { ...options, mode: 'straight' }).nodes;
  }
  const used = process.cpuUsage(cpu);
  return { nodes, seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
}

function walkSection(nodeLimit: number): void {
  const total = { 1: { nodes: 0, seconds: 0, cpuSeconds: 0 }, 2: { nodes: 0, seconds: 0, cpuSeconds: 0 } };
  walkRate(1, 2000);
  walkRate(2, 2000);
  // v1, v2, v2, v1: each version runs once early and once late in the run
  for (const v of [1, 2, 2, 1] as const) {
    const r = walkRate(v, nodeLimit);
    total[v].nodes += r.nodes;
    total[v].seconds += r.seconds;
    total[v].cpuSeconds += r.cpuSeconds;
  }
  const rate = (v: 1 | 2): number => total[v].nodes / total[v].seconds;
  const cpuRate = (v: 1 | 2): number => total[v].nodes / total[v].cpuSeconds;
  const units = walkUnits().layouts.length;
  const line = (v: 1 | 2): string =>
    `${total[v].nodes} nodes in ${total[v].seconds.toFixed(2)} s = ${rate(v).toFixed(0)} per second; ${total[v].cpuSeconds.toFixed(2)} CPU s = ${cpuRate(v).toFixed(0)} per CPU second`;
  console.log(`walk v1:  ${line(1)} (${units} layouts of an 86-byte hello, ${nodeLimit} nodes each at most)`);
  console.log(`walk v2:  ${line(2)} (same units, straight family)`);
  console.log(`ratio:    v2 walks ${(cpuRate(2) / cpuRate(1)).toFixed(2)}x the nodes per CPU second of v1 (${(rate(2) / rate(1)).toFixed(2)}x per wall second; a v2 node also executes its instruction and checks the state memo)`);
}

async function main(): Promise<number> {
  const program = new Command('bench')
    .option('--seconds <s>', 'measuring time per side', (v) => Number.parseFloat(v), 3)
    .option('--file <path>', 'the hello-world file to validate', 'corpus/programs/hello64')
    .option('--walk-nodes <n>', 'node limit per layout in the walk section', (v) => Number.parseInt(v, 10), 20_000)
    .parse(process.argv);
  const opts = program.opts<{ seconds: number; file: string; walkNodes: number }>();
  const file = new Uint8Array(readFileSync(opts.file));
  const expected = 'Hello, World!\n';

  const emulator = new Emulator(DEFAULT_PROFILE);
  // Warm up the JIT, then count complete validations (output and exit code checked) for the time given.
  for (let i = 0; i < 2000; i++) emulator.run(file, { seed: i });
  let validations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < opts.seconds) {
    for (let i = 0; i < 1000; i++) {
      const r = emulator.run(file, { seed: validations });
      if (r.outcome !== 'exited' || r.exitCode !== 0 || Buffer.from(r.stdout).toString() !== expected) {
        throw new Error(`the emulator did not validate ${opts.file}: ${r.outcome} ${r.exitCode ?? r.signal ?? ''}`);
      }
      validations++;
    }
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const emulatedRate = validations / elapsed;
  console.log(`emulator: ${validations} validations in ${elapsed.toFixed(2)} s = ${emulatedRate.toFixed(0)} per second`);

  if (!nativeSupported()) {
    console.log('native: not measured (needs a Linux x86-64 host)');
  } else {
    await nativeSection(opts.file, opts.seconds, expected, emulatedRate);
  }
  walkSection(opts.walkNodes);
  return 0;
}

async function nativeSection(path: string, seconds: number, expected: string, emulatedRate: number): Promise<void> {
  const opts = { file: path, seconds };
  let executions = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < opts.seconds) {
    const r = await runNative(opts.file);
    if (r.outcome !== 'exited' || Buffer.from(r.stdout).toString() !== expected) throw new Error(`native run of ${opts.file} failed: ${r.outcome}`);
    executions++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const nativeRate = executions / elapsed;
  console.log(`native:   ${executions} executions in ${elapsed.toFixed(2)} s = ${nativeRate.toFixed(0)} per second`);
  console.log(`ratio:    the emulator validates ${(emulatedRate / nativeRate).toFixed(0)}x faster than native execution`);
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
