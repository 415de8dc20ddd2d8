/**
 * The decimal-adjust instructions of 32-bit mode (daa, das, aaa, aas, aam, aad) and salc, as the
 * Intel SDM's pseudocode defines them (aaa/aas adjust the whole of AX: "AX := AX + 106H", which is
 * what current CPUs and qemu do). Each takes AX and RFLAGS and leaves the new ones in `bcdOut`.
 *
 * Flags the manual leaves undefined get one fixed, documented choice (differential tests mask them):
 * daa/das clear OF; aaa/aas leave OF SF ZF PF unchanged; aam/aad clear CF OF AF.
 */
import { AF, CF, OF, PARITY, PF, SF, ZF } from './flags.js';

export const bcdOut = { ax: 0, flags: 0 };

/** SF ZF PF of an 8-bit result. */
function szp8(al: number): number {
  return (al === 0 ? ZF : 0) | (al & 0x80 ? SF : 0) | PARITY[al]!;
}

function finish(ax: number, flags: number): void {
  bcdOut.ax = ax & 0xffff;
  bcdOut.flags = flags >>> 0;
}

/** daa: decimal adjust AL after addition. */
export function daa(ax: number, flags: number): void {
  const oldAl = ax & 0xff;
  const oldCf = (flags & CF) !== 0;
  let al = oldAl;
  let cf = false;
  let af = false;
  if ((al & 0x0f) > 9 || (flags & AF) !== 0) {
    cf = oldCf || al + 6 > 0xff;
    al = (al + 6) & 0xff;
    af = true;
  }
  if (oldAl > 0x99 || oldCf) {
    al = (al + 0x60) & 0xff;
    cf = true;
  } else cf = false;
  finish((ax & 0xff00) | al, (flags & ~(CF | AF | OF | SF | ZF | PF)) | (cf ? CF : 0) | (af ? AF : 0) | szp8(al));
}

/** das: decimal adjust AL after subtraction (the second step has no "else CF := 0"). */
export function das(ax: number, flags: number): void {
  const oldAl = ax & 0xff;
  const oldCf = (flags & CF) !== 0;
  let al = oldAl;
  let cf = false;
  let af = false;
  if ((al & 0x0f) > 9 || (flags & AF) !== 0) {
    cf = oldCf || al < 6;
    al = (al - 6) & 0xff;
    af = true;
  }
  if (oldAl > 0x99 || oldCf) {
    al = (al - 0x60) & 0xff;
    cf = true;
  }
  finish((ax & 0xff00) | al, (flags & ~(CF | AF | OF | SF | ZF | PF)) | (cf ? CF : 0) | (af ? AF : 0) | szp8(al));
}

/** aaa: ASCII adjust after addition. */
export function aaa(ax: number, flags: number): void {
  if ((ax & 0x0f) > 9 || (flags & AF) !== 0) {
    const adjusted = (ax + 0x106) & 0xffff;
    finish((adjusted & 0xff00) | (adjusted & 0x0f), flags | AF | CF);
  } else finish((ax & 0xff00) | (ax & 0x0f), flags & ~(AF | CF));
}

/** aas: ASCII adjust after subtraction. */
export function aas(ax: number, flags: number): void {
  if ((ax & 0x0f) > 9 || (flags & AF) !== 0) {
    const adjusted = (ax - 6) & 0xffff;
    const ah = ((adjusted >> 8) - 1) & 0xff;
    finish((ah << 8) | (adjusted & 0x0f), flags | AF | CF);
  } else finish((ax & 0xff00) | (ax & 0x0f), flags & ~(AF | CF));
}

/** aam base: AH = AL / base, AL = AL mod base; false on #DE (base 0). */
export function aam(ax: number, flags: number, base: number): boolean {
  if (base === 0) return false;
  const al = ax & 0xff;
  const r = al % base;
  finish((Math.floor(al / base) << 8) | r, (flags & ~(CF | OF | AF | SF | ZF | PF)) | szp8(r));
  return true;
}

/** aad base: AL = (AL + AH * base) & 0xff, AH = 0. */
export function aad(ax: number, flags: number, base: number): void {
  const al = ((ax & 0xff) + (ax >> 8) * base) & 0xff;
  finish(al, (flags & ~(CF | OF | AF | SF | ZF | PF)) | szp8(al));
}

/** salc: AL = 0xff if CF else 0; flags unchanged. */
export function salc(ax: number, flags: number): void {
  finish((ax & 0xff00) | (flags & CF ? 0xff : 0), flags);
}
