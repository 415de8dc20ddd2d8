/**
 * Lookup of the whole x86 opcode space (validity, ModRM presence, immediate length) from the
 * generated data in opcode-space.ts, unpacked once into typed arrays so the decoder's hot path only
 * indexes numbers.
 *
 * A slot is one opcode in one map under one prefix context. Its descriptor (see
 * scripts/gen-opcode-space.ts) is one of:
 * - `n[l].<imm>`: no ModRM; `l` if LOCK is accepted; <imm> immediate bytes.
 * - `m<reg-form masks>.<mem mask>.<locked reg-form masks>.<locked mem mask>.<imm>[r][.<flags>]`: ModRM;
 *   for mod=3 one byte per ModRM.reg whose bit rm says valid; for memory one bit per ModRM.reg; the
 *   same with a LOCK prefix; <imm> is one digit, or eight digits (one per ModRM.reg); `r` if the mod
 *   field is ignored (always a register operand, no SIB/displacement); VEX/XOP flags below.
 * - `e<32 x 4 hex digits>.<imm>.<flags>`: EVEX; for each combination (L'L | b<<2 | z<<3 | (aaa!=0)<<4)
 *   a 16-bit mask (bits 0-7: mod=3 with that ModRM.reg, bits 8-15: memory with that ModRM.reg).
 * Flags say which register-extension fields may be set: `v` vvvv 1-7, `w` vvvv 8-15, `R` R, `B` B,
 * `V` EVEX V', `Q` EVEX R', `X` EVEX X (k-register operands only exist as k0-k7).
 */
import { DESCRIPTORS, SPACE } from './opcode-space.js';

/** Unpacked descriptors, indexed by descriptor number. */
export const slotModrm = new Uint8Array(DESCRIPTORS.length);
/** mod=3 validity: 8 bytes per descriptor (one per ModRM.reg, bit = rm). */
export const slotRegValid = new Uint8Array(DESCRIPTORS.length * 8);
export const slotMemValid = new Uint8Array(DESCRIPTORS.length);
export const slotLockRegValid = new Uint8Array(DESCRIPTORS.length * 8);
export const slotLockMemValid = new Uint8Array(DESCRIPTORS.length);
/** Immediate bytes: 8 entries per descriptor (one per ModRM.reg; all equal when it does not depend on it). */
export const slotImm = new Uint8Array(DESCRIPTORS.length * 8);
/** ModRM.mod is ignored: always a register operand (mov to/from CR/DR). */
export const slotModIgnored = new Uint8Array(DESCRIPTORS.length);
/** Which VEX/XOP/EVEX register-extension fields may be set: SLOT_FLAG_* bits. */
export const slotFlags = new Uint8Array(DESCRIPTORS.length);
export const SLOT_FLAG_V = 1;
export const SLOT_FLAG_V_HIGH = 2;
export const SLOT_FLAG_R = 4;
export const SLOT_FLAG_B = 8;
export const SLOT_FLAG_V_PRIME = 16;
export const SLOT_FLAG_R_PRIME = 32;
export const SLOT_FLAG_X = 64;

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
/** No-ModRM slots: LOCK accepted. */
export const slotLockOk = new Uint8Array(DESCRIPTORS.length);
/** EVEX validity: 32 16-bit masks per descriptor. */
export const slotEvex = new Uint16Array(DESCRIPTORS.length * 32);

function unpack(): void {
  DESCRIPTORS.forEach((d, i) => {
    const kind = d[0];
    const parts = d.slice(1).split('.');
    if (kind === 'n') {
      slotLockOk[i] = parts[0] === 'l' ? 1 : 0;
      slotImm.fill(Number(parts[1]), i * 8, i * 8 + 8);
    } else if (kind === 'm') {
      slotModrm[i] = 1;
      for (let r = 0; r < 8; r++) {
        slotRegValid[i * 8 + r] = parseInt(parts[0].slice(r * 2, r * 2 + 2), 16);
        slotLockRegValid[i * 8 + r] = parseInt(parts[2].slice(r * 2, r * 2 + 2), 16);
      }
      slotMemValid[i] = parseInt(parts[1], 16);
      slotLockMemValid[i] = parseInt(parts[3], 16);
      slotModIgnored[i] = parts[4].endsWith('r') ? 1 : 0;
      const imm = parts[4].replace('r', '');
      for (let r = 0; r < 8; r++) slotImm[i * 8 + r] = Number(imm.length === 8 ? imm[r] : imm);
      slotFlags[i] = parseFlags(parts[5] ?? '');
    } else {
      slotModrm[i] = 1;
      for (let c = 0; c < 32; c++) slotEvex[i * 32 + c] = parseInt(parts[0].slice(c * 4, c * 4 + 4), 16);
      slotImm.fill(Number(parts[1]), i * 8, i * 8 + 8);
      slotFlags[i] = parseFlags(parts[2]);
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
 * Legacy-map slot table per mode: index ((map * 256 + opcode) * 32 + variant), value descriptor or -1.
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
 * VEX/XOP slots: index ((map << 10 | opcode << 2 | pp) << 2 | W | L << 1), value descriptor or -1.
 * Maps 0-31.
 */
function vexTable(entries: Readonly<Record<string, number>>): Int16Array {
  const t = new Int16Array(32 * 1024 * 4).fill(-1);
  for (const [key, d] of Object.entries(entries)) {
    const [slot, variant] = key.split('.').map(Number);
    t[(slot << 2) | variant] = d;
  }
  return t;
}
export const VEX64 = vexTable(SPACE.m64.vex);
export const VEX32 = vexTable(SPACE.m32.vex);
export const XOP64 = vexTable(SPACE.m64.xop);
export const XOP32 = vexTable(SPACE.m32.xop);

/** EVEX slots: index ((map << 10 | opcode << 2 | pp) << 1 | W), maps 0-7. */
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
