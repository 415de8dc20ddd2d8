/**
 * RFLAGS bit positions (Intel SDM vol. 1, 3.4.3): the one definition. The table's flag effects
 * (flag-effects.ts) and the interpreter (emu/flags.ts) read them from here.
 */

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const TF = 0x100;
export const IF = 0x200;
export const DF = 0x400;
export const OF = 0x800;
export const NT = 0x4000;
export const RF = 0x10000;
export const AC = 0x40000;
export const ID = 0x200000;

/** The six arithmetic status flags (what every ALU operation rewrites). */
export const STATUS = CF | PF | AF | ZF | SF | OF;
