/**
 * The system-call conventions against the CPU that executes them: each convention's trap, as the
 * search encodes it, stops the Cpu with that convention's stop reason, and the registers the trap
 * changes (besides the number register, which only the kernel writes) are exactly its `clobbered`
 * list.
 */
import { describe, expect, it } from 'vitest';
import { Stop } from '../../src/emu/cpu.js';
import { INT80_CONVENTION_32, SYSCALL_CONVENTION_64 } from '../../src/linux/syscall-abi.js';
import { INT80_32, SYSCALL_64 } from '../../src/search/abi.js';
import { CODE, machine } from '../emu/harness.js';

const cases = [
  { abi: SYSCALL_64, convention: SYSCALL_CONVENTION_64, stop: Stop.syscall },
  { abi: INT80_32, convention: INT80_CONVENTION_32, stop: Stop.int80 },
] as const;

/** A value no instruction would produce by accident, different in every register and both halves. */
const sentinelLo = (r: number): number => (0x5a5a0000 + r * 0x111) >>> 0;
const sentinelHi = (r: number): number => (0xa5a50000 + r * 0x111) >>> 0;

describe.each(cases)('$abi.name', ({ abi, convention, stop }) => {
  it('the search sees the convention the Linux layer states', () => {
    expect(abi.name).toBe(convention.name);
    expect(abi.numberReg).toBe(convention.numberReg);
    expect(abi.args).toEqual(convention.args);
    expect(abi.width).toBe(convention.width);
    expect(abi.write).toBe(convention.calls.write);
    expect(abi.exit).toEqual([convention.calls.exit, convention.calls.exit_group]);
    expect(abi.clobbered).toEqual(convention.clobbered);
  });

  it('its trap bytes stop the Cpu with its stop reason, after the trap', () => {
    const m = machine([...abi.trap]);
    expect(m.cpu.run(1)).toBe(stop);
    expect(m.cpu.rip).toBe(CODE + abi.trap.length);
  });

  it('the trap changes exactly the clobbered registers (besides the number register)', () => {
    const m = machine([...abi.trap], {
      setup: (cpu) => {
        for (let r = 0; r < 16; r++) {
          cpu.regLo[r] = sentinelLo(r);
          cpu.regHi[r] = sentinelHi(r);
        }
      },
    });
    expect(m.cpu.run(1)).toBe(stop);
    const changed: number[] = [];
    for (let r = 0; r < 16; r++) {
      if (r === abi.numberReg) continue;
      if (m.cpu.regLo[r] !== sentinelLo(r) || m.cpu.regHi[r] !== sentinelHi(r)) changed.push(r);
    }
    expect(changed).toEqual([...abi.clobbered].sort((a, b) => a - b));
  });
});
