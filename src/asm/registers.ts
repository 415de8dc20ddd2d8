/**
 * NASM's names for the general-purpose registers, as (Reg number, size in bytes). The legacy
 * high-byte registers AH..BH have their own Reg numbers; SPL..DIL are registers 4-7 at size 1.
 */
import { Reg } from '../x86/decoded.js';

export interface RegisterName {
  reg: number;
  size: number;
}

const NAMES: ReadonlyMap<string, RegisterName> = (() => {
  const m = new Map<string, RegisterName>();
  const legacy = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
  legacy.forEach((n, i) => {
    m.set(n, { reg: i, size: 2 });
    m.set('e' + n, { reg: i, size: 4 });
    m.set('r' + n, { reg: i, size: 8 });
  });
  ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'].forEach((n, i) => m.set(n, { reg: i, size: 1 }));
  ['ah', 'ch', 'dh', 'bh'].forEach((n, i) => m.set(n, { reg: Reg.ah + i, size: 1 }));
  for (let i = 8; i < 16; i++) {
    m.set(`r${i}`, { reg: i, size: 8 });
    m.set(`r${i}d`, { reg: i, size: 4 });
    m.set(`r${i}w`, { reg: i, size: 2 });
    m.set(`r${i}b`, { reg: i, size: 1 });
    m.set(`r${i}l`, { reg: i, size: 1 });
  }
  return m;
})();

/** The register a NASM name denotes (case-insensitive), or undefined. */
export function lookupRegister(name: string): RegisterName | undefined {
  return NAMES.get(name.toLowerCase());
}

/** Segment registers, by name, as the segment-override prefix byte they select. */
const SEGMENT_PREFIXES: ReadonlyMap<string, number> = new Map([
  ['es', 0x26], ['cs', 0x2e], ['ss', 0x36], ['ds', 0x3e], ['fs', 0x64], ['gs', 0x65],
]);

export function segmentPrefix(name: string): number | undefined {
  return SEGMENT_PREFIXES.get(name.toLowerCase());
}
