/** Instructions on RFLAGS alone: lahf, sahf, clc, stc, cmc, cld, std (pushf/popf are in stack.ts). */
import { Reg } from '../../x86/decoded.js';
import { Sem } from '../../x86/sem.js';
import { GO, RAX } from '../cpu-state.js';
import { CF, DF, FIXED_ONE } from '../flags.js';
import type { ExecFamily } from './exec.js';

/** SF ZF AF PF CF (and the fixed bit 1): the flags lahf and sahf move. */
const AH_FLAGS = 0xd5;

export const FLAG_OPS = {
  [Sem.lahf]: (cpu, insn) => {
    cpu.writeReg(Reg.ah, 1, (cpu.rflags & AH_FLAGS) | FIXED_ONE, 0);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.sahf]: (cpu, insn) => {
    cpu.rflags = (cpu.rflags & ~AH_FLAGS) | ((cpu.regLo[RAX]! >>> 8) & AH_FLAGS);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.clc]: (cpu, insn) => { cpu.rflags &= ~CF; cpu.rip = insn.next; return GO; },
  [Sem.stc]: (cpu, insn) => { cpu.rflags |= CF; cpu.rip = insn.next; return GO; },
  [Sem.cmc]: (cpu, insn) => { cpu.rflags ^= CF; cpu.rip = insn.next; return GO; },
  [Sem.cld]: (cpu, insn) => { cpu.rflags &= ~DF; cpu.rip = insn.next; return GO; },
  [Sem.std]: (cpu, insn) => { cpu.rflags |= DF; cpu.rip = insn.next; return GO; },
} satisfies ExecFamily;
