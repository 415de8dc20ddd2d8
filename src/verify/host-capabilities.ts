/**
 * Features of the host kernel that a file may openly rely on (its assumptions) and that a given
 * machine may lack. Before judging a file natively, golf asks whether the host provides what the
 * file relies on: if not, a native failure says nothing about the file, and the native run is
 * reported as not applicable instead. (Example: a paravirtualized guest whose kernel has IA32
 * emulation compiled in and enabled, yet `int 0x80` from 64-bit code raises #GP -> SIGSEGV.)
 * Each feature is probed once per process (per runner) by running the host's probe program for it
 * (linux/native.ts: HOST_PROBES, the same programs the host profile's own probes run).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostProbeBytes, PROBE_WORKS_STATUS, type HostProbe, type NativeRunner } from '../linux/native.js';
import type { Assumption } from '../linux/run-result.js';

interface Probe {
  /** What the host lacks when the probe fails, for messages. */
  feature: string;
  /** How a record states a file that relies on it when the host lacks it (default: "this host lacks ..."). */
  refusal?: string;
  /** The probe program (exits with PROBE_WORKS_STATUS exactly when the feature works). */
  program: HostProbe;
}

const PROBES: Record<string, Probe> = {
  'ia32-emulation': {
    feature: 'working int 0x80 (IA32 emulation)',
    program: 'ia32-emulation',
  },
  elf32: {
    feature: 'ELF32 execution (IA32 emulation)',
    refusal: 'emulator only; host refuses ELF32 (execve gives ENOEXEC: no IA32 emulation)',
    program: 'elf32',
  },
};

// Per runner (the host, or a test double), per feature: probed once.
const verdicts = new WeakMap<NativeRunner, Map<string, Promise<boolean>>>();

async function hostHas(id: string, probe: Probe, run: NativeRunner): Promise<boolean> {
  let known = verdicts.get(run);
  if (!known) verdicts.set(run, (known = new Map()));
  let verdict = known.get(id);
  if (!verdict) {
    verdict = (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'golf-probe-'));
      try {
        const path = join(dir, id);
        writeFileSync(path, hostProbeBytes(probe.program));
        chmodSync(path, 0o755);
        const result = await run(path, { argv: [path], env: [] });
        return result.outcome === 'exited' && result.exitCode === PROBE_WORKS_STATUS;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    known.set(id, verdict);
  }
  return verdict;
}

/**
 * Why a file relying on `assumptions` is not run on this host, as records state it, or null when
 * the host provides everything it relies on. An ELF32 file on a host without IA32 emulation says
 * "emulator only; host refuses ELF32".
 */
export async function hostRefusal(assumptions: readonly Assumption[], run: NativeRunner): Promise<string | null> {
  const missing = await missingProbes(assumptions, run);
  if (missing.length === 0) return null;
  const refusal = missing.find((p) => p.refusal !== undefined)?.refusal;
  return refusal ?? `this host lacks ${missing.map((p) => p.feature).join(' and ')}, which the file relies on`;
}

async function missingProbes(assumptions: readonly Assumption[], run: NativeRunner): Promise<Probe[]> {
  const missing: Probe[] = [];
  for (const a of assumptions) {
    const probe = Object.hasOwn(PROBES, a.id) ? PROBES[a.id] : undefined;
    if (probe && !(await hostHas(a.id, probe, run))) missing.push(probe);
  }
  return missing;
}
