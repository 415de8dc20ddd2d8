/**
 * Lookup of the whole x86 opcode space (validity, ModRM presence, immediate length, and how far an
 * invalid encoding is fetched before it is rejected) from the generated data in opcode-space.ts,
 * unpacked once into typed arrays so the decoder's hot path only indexes numbers.
 *
 * A slot is one opcode in one map under one prefix context; its descriptor format is documented in
 * scripts/gen-opcode-space.ts, which measures it.
 */
import { DESCRIPTORS, SPACE } from './opcode-space.js';

/** Bits of a slot entry (one per ModRM value class). */
/** Bytes after the ModRM byte and memory operand (after the opcode for a no-ModRM slot). */
export const ENTRY_TRAILING = 15;
/** The encoding is invalid (#UD). */
export const ENTRY_INVALID = 16;
/** Invalid, and its memory operand (SIB/displacement) is not fetched before it is rejected. */
export const ENTRY_NO_MEMORY = 32;

/** Entries per descriptor: 64 register forms (reg*8+rm), then 8 memory forms (64+reg). */
export const ENTRIES = 72;

const count = DESCRIPTORS.length;
/** 1 if the slot has a ModRM byte. */
export const slotModrm = new Uint8Array(count);
/** ENTRY_* values, ENTRIES per descriptor; a no-ModRM slot uses its first entry only. */
export const slotEntry = new Uint8Array(count * ENTRIES);
/** With a LOCK prefix, mod=3: 8 bytes per descriptor (one per ModRM.reg, bit = rm) saying still valid. */
export const slotLockRegValid = new Uint8Array(count * 8);
/** With a LOCK prefix, memory forms: bit = ModRM.reg still valid. */
export const slotLockMemValid = new Uint8Array(count);
/** No-ModRM slots: LOCK accepted. */
export const slotLockOk = new Uint8Array(count);
/** ModRM.mod is ignored: always a register operand (mov to/from CR/DR). */
export const slotModIgnored = new Uint8Array(count);
/** Bit = ModRM.reg whose memory form is valid only with a SIB byte (VSIB, AMX). */
export const slotSibOnly = new Uint8Array(count);
/** Which VEX/XOP/EVEX register-extension fields register forms (and no-ModRM slots) may set: SLOT_FLAG_* bits. */
export const slotFlagsReg = new Uint8Array(count);
/** The same for memory forms. */
export const slotFlagsMem = new Uint8Array(count);
export const SLOT_FLAG_V = 1;
export const SLOT_FLAG_V_HIGH = 2;
export const SLOT_FLAG_R = 4;
export const SLOT_FLAG_B = 8;
export const SLOT_FLAG_V_PRIME = 16;
export const SLOT_FLAG_R_PRIME = 32;
export const SLOT_FLAG_X = 64;
/** EVEX validity: 32 16-bit masks per descriptor (bits 0-7: mod=3 per ModRM.reg, 8-15: memory per ModRM.reg). */
export const slotEvex = new Uint16Array(count * 32);
/** EVEX: which invalid encodings are fetched whole (else fetching stops after the ModRM byte); same layout. */
export const slotEvexWhole = new Uint16Array(count * 32);
/** EVEX: immediate bytes. */
export const slotEvexImm = new Uint8Array(count);
/** VEX/EVEX register-difference rule: RULE_* bits of register-rules.ts (0: none). */
export const slotRule = new Uint8Array(count);

function parseFlags(letters: string): number {
  let f = 0;
  if (letters.includes('v')) f |= SLOT_FLAG_V;
  if (letters.includes('w')) f |= SLOT_FLAG_V_HIGH;
  if (letters.includes('R')) f |= SLOT_FLAG_R;
  if (letters.includes('B')) f |= SLOT_FLAG_B;
  if (letters.includes('V')) f |= SLOT_FLAG_V_PRIME;
  if (letters.includes('Q')) f |= SLOT_FLAG_R_PRIME;
  if (letters.includes('X')) f |= SLOT_FLAG_X;
  return f;
}

/** One entry character: digit = valid; 'a'+d = invalid, fetched whole; 'A'+d = invalid, memory operand not fetched. */
function parseEntry(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97) return ENTRY_INVALID | (code - 97);
  return ENTRY_INVALID | ENTRY_NO_MEMORY | (code - 65);
}

function unpack(): void {
  DESCRIPTORS.forEach((d, i) => {
    const f = d.split('.');
    if (f[0][0] === 'n') {
      slotLockOk[i] = f[0] === 'nl' ? 1 : 0;
      slotEntry[i * ENTRIES] = parseEntry(f[1]);
      slotFlagsReg[i] = parseFlags(f[2] ?? '');
    } else if (f[0] === 'm') {
      slotModrm[i] = 1;
      for (let k = 0; k < ENTRIES; k++) slotEntry[i * ENTRIES + k] = parseEntry(f[1][k]);
      for (let r = 0; r < 8; r++) slotLockRegValid[i * 8 + r] = f[2] ? parseInt(f[2].slice(r * 2, r * 2 + 2), 16) : 0;
      slotLockMemValid[i] = f[3] ? parseInt(f[3], 16) : 0;
      slotModIgnored[i] = f[4] === 'r' ? 1 : 0;
      slotFlagsReg[i] = parseFlags(f[5]);
      slotFlagsMem[i] = parseFlags(f[6]);
      slotSibOnly[i] = parseInt(f[7], 16);
      slotRule[i] = f[8] ? parseInt(f[8], 16) : 0;
    } else {
      slotModrm[i] = 1;
      for (let c = 0; c < 32; c++) {
        slotEvex[i * 32 + c] = parseInt(f[1].slice(c * 4, c * 4 + 4), 16);
        slotEvexWhole[i * 32 + c] = parseInt(f[2].slice(c * 4, c * 4 + 4), 16);
      }
      slotEvexImm[i] = Number(f[3]);
      slotFlagsReg[i] = parseFlags(f[4]);
      slotFlagsMem[i] = parseFlags(f[5]);
      slotSibOnly[i] = parseInt(f[6], 16) >> 8;
      slotRule[i] = f[7] ? parseInt(f[7], 16) : 0;
    }
  });
}
unpack();

/** Legacy maps. */
export const MAP_LEGACY = 0;
export const MAP_0F = 1;
export const MAP_0F38 = 2;
export const MAP_0F3A = 3;

/**
 * Legacy-map slot table per mode: index ((map * 256 + opcode) * 32 + variant), value descriptor or -1
 * (only for prefix and escape bytes, which never reach the table).
 * variant = pp | o16 << 2 | a16 << 3 | rexW << 4, pp: 0 none, 1 66, 2 F3, 3 F2 (last of F2/F3 wins, then 66).
 */
function legacyTable(mode: 'm64' | 'm32'): Int16Array {
  const t = new Int16Array(4 * 256 * 32).fill(-1);
  const maps = SPACE[mode].legacy;
  const order = [maps.legacy, maps['0f'], maps['0f38'], maps['0f3a']];
  order.forEach((arr, m) => { for (let k = 0; k < arr.length; k++) t[m * 8192 + k] = arr[k]; });
  return t;
}

export const LEGACY64 = legacyTable('m64');
export const LEGACY32 = legacyTable('m32');

/** Suffix bytes of valid 3DNow! instructions (0F 0F /r ib), per mode. */
function threeDNow(mode: 'm64' | 'm32'): Uint8Array {
  const t = new Uint8Array(256);
  for (const s of SPACE[mode].threeDNow) t[s] = 1;
  return t;
}
export const THREE_DNOW64 = threeDNow('m64');
export const THREE_DNOW32 = threeDNow('m32');

/**
 * VEX/XOP slots: index ((map << 10 | opcode << 2 | pp) << 2 | W | L << 1), value descriptor; every
 * slot of maps 0-31 has one (the compact form in the generated file: a default, one descriptor per
 * (map, opcode), and the slots that differ).
 */
function vexTable(data: { readonly none: number; readonly ops: Readonly<Record<string, number>>; readonly slots: Readonly<Record<string, number>> }): Int16Array {
  const t = new Int16Array(32 * 1024 * 4).fill(data.none);
  for (const [mapOp, d] of Object.entries(data.ops)) t.fill(d, Number(mapOp) << 4, (Number(mapOp) + 1) << 4);
  for (const [key, d] of Object.entries(data.slots)) {
    const [slot, variant] = key.split('.').map(Number);
    t[(slot << 2) | variant] = d;
  }
  return t;
}
export const VEX64 = vexTable(SPACE.m64.vex);
export const VEX32 = vexTable(SPACE.m32.vex);
export const XOP64 = vexTable(SPACE.m64.xop);
export const XOP32 = vexTable(SPACE.m32.xop);

/** EVEX slots: index ((map << 10 | opcode << 2 | pp) << 1 | W), maps 0-7; -1 = no valid encoding. */
function evexTable(entries: Readonly<Record<string, number>>): Int16Array {
  const t = new Int16Array(8 * 1024 * 2).fill(-1);
  for (const [key, d] of Object.entries(entries)) {
    const [slot, w] = key.split('.').map(Number);
    t[(slot << 1) | w] = d;
  }
  return t;
}
export const EVEX64 = evexTable(SPACE.m64.evex);
export const EVEX32 = evexTable(SPACE.m32.evex);
