/**
 * `npm run bench [-- --seconds S] [--file PATH]`: complete validations per second (load + run of a
 * hello-world file by one reused Emulator, as the search does) versus native executions per second
 * of the same file on the host kernel, measured in the same run, and their ratio.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { Emulator } from '../src/linux/emulate.js';
import { nativeSupported, runNative } from '../src/linux/native.js';
import { DEFAULT_PROFILE } from '../src/linux/profile.js';

async function main(): Promise<number> {
  const program = new Command('bench')
    .option('--seconds <s>', 'measuring time per side', (v) => Number.parseFloat(v), 3)
    .option('--file <path>', 'the hello-world file to validate', 'corpus/programs/hello64')
    .parse(process.argv);
  const opts = program.opts<{ seconds: number; file: string }>();
  const file = new Uint8Array(readFileSync(opts.file));
  const expected = 'Hello, World!\n';

  const emulator = new Emulator(DEFAULT_PROFILE);
  // Warm up the JIT, then count complete validations (output and exit code checked) for the time given.
  for (let i = 0; i < 2000; i++) emulator.run(file, { seed: i });
  let validations = 0;
  let start = process.hrtime.bigint();
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
    return 0;
  }
  let executions = 0;
  start = process.hrtime.bigint();
  elapsed = 0;
  while (elapsed < opts.seconds) {
    const r = await runNative(opts.file);
    if (r.outcome !== 'exited' || Buffer.from(r.stdout).toString() !== expected) throw new Error(`native run of ${opts.file} failed: ${r.outcome}`);
    executions++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const nativeRate = executions / elapsed;
  console.log(`native:   ${executions} executions in ${elapsed.toFixed(2)} s = ${nativeRate.toFixed(0)} per second`);
  console.log(`ratio:    the emulator validates ${(emulatedRate / nativeRate).toFixed(0)}x faster than native execution`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
