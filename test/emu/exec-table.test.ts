// The interpreter's semantics table (src/emu/exec/table.ts): the compiler checks that every Sem has
// an Exec; this checks what the type cannot, that no Sem is claimed by two families (the later
// spread would silently win) and that the dense dispatch array is the record.
import { describe, expect, it } from 'vitest';
import { EXEC, EXEC_BY_SEM, EXEC_FAMILIES } from '../../src/emu/exec/table.js';
import { Sem, SEM_COUNT } from '../../src/x86/sem.js';

describe('exec table', () => {
  it('gives every Sem to exactly one family', () => {
    const owners = new Map<number, string[]>();
    for (const [family, execs] of Object.entries(EXEC_FAMILIES)) {
      for (const key of Object.keys(execs)) owners.set(Number(key), [...(owners.get(Number(key)) ?? []), family]);
    }
    const names = Object.keys(Sem) as (keyof typeof Sem)[];
    const notOnce = names.filter((name) => (owners.get(Sem[name]) ?? []).length !== 1);
    expect(notOnce.map((name) => `${name}: ${(owners.get(Sem[name]) ?? []).join(' ') || 'no family'}`)).toEqual([]);
    expect([...owners.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: SEM_COUNT }, (_, i) => i));
  });

  it('dispatches each Sem id to its record entry', () => {
    expect(EXEC_BY_SEM.length).toBe(SEM_COUNT);
    for (let sem = 0; sem < SEM_COUNT; sem++) {
      expect(typeof EXEC_BY_SEM[sem]).toBe('function');
      expect(EXEC_BY_SEM[sem]).toBe(EXEC[sem as Sem]);
    }
  });
});
