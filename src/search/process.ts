/**
 * The process a walk starts from: the layout's file mapped by the Linux layer's own loader
 * (checkExec + mapSegments, so mapping rules are not restated here), a stack holding the target's
 * argc, and the CPU in Linux's entry state. The full initial stack (argv, envp, auxv) is not built:
 * the walk never relies on it, and every candidate is re-run in the complete emulator anyway (which
 * also rejects a file relying on argc under a profile that forbids it).
 */
import type { Cpu } from '../emu/cpu.js';
import { processCpu } from '../linux/process-cpu.js';
import { checkExec, chooseMmapBase, mapSegments, type Placement } from '../linux/loader.js';
import { AddressSpace, PAGE_SIZE, Prot } from '../linux/memory.js';
import type { KernelProfile } from '../linux/profile.js';
import { Random } from '../linux/random.js';
import { ET_DYN, PT_LOAD } from '../linux/elf.js';
import { Reg } from '../x86/decoded.js';

/** Stack top without randomization (kernel-facts.md section 4). */
const STACK_TOP = 0x7ffffffff000;
const STACK_PAGES = 32;

export interface WalkProcess {
  mem: AddressSpace;
  cpu: Cpu;
  /** Virtual address of file offset 0 in this run. */
  loadBase: number;
  entry: number;
  initialRsp: number;
}

/** Verdict of the loader alone for a file: "ok ..." with what the walk depends on, or the failure. */
export function loaderVerdict(profile: KernelProfile): (file: Uint8Array) => string {
  const mem = new AddressSpace();
  const placement = fixedPlacement(profile);
  return (file) => {
    const checked = checkExec(file, profile);
    if (checked.kind !== 'ok') return checked.kind;
    mem.clear();
    const loaded = mapSegments(checked.exe, mem, profile, placement);
    if (loaded.kind !== 'loaded') return `killed ${loaded.rule}`;
    const entryPage = mem.getPage(Math.floor(loaded.entry / PAGE_SIZE));
    const prot = entryPage ? entryPage.prot : -1;
    // What the file relies on (e.g. kernel>=6.7 for a read-only bss start) is not part of the
    // verdict: the profile already allows it, and the record states it after validation. An
    // ET_DYN file's load bias is the kernel's choice (randomized), so it is not part of the verdict
    // either: the walk only places position-independent addresses in such files.
    const bias = checked.exe.header.type === ET_DYN ? 'kernel' : String(loaded.bias);
    return `ok entry=${loaded.entry - loaded.bias} bias=${bias} prot=${prot}`;
  };
}

function fixedPlacement(profile: KernelProfile): Placement {
  return { mmapBase: chooseMmapBase(profile, new Random(0)), stackLow: STACK_TOP - STACK_PAGES * PAGE_SIZE, stackTop: STACK_TOP };
}

/** Loads `image` as the kernel would and prepares the CPU at the entry point; null if it does not load. */
export function startProcess(image: Uint8Array, profile: KernelProfile, argc = 1): WalkProcess | null {
  const checked = checkExec(image, profile);
  if (checked.kind !== 'ok') return null;
  const mem = new AddressSpace();
  const placement = fixedPlacement(profile);
  const loaded = mapSegments(checked.exe, mem, profile, placement);
  if (loaded.kind !== 'loaded') return null;
  mem.map(placement.stackLow, STACK_TOP - placement.stackLow, Prot.read | Prot.write);
  const rsp = STACK_TOP - 2 * PAGE_SIZE;
  mem.poke(rsp, Uint8Array.of(argc & 0xff, (argc >>> 8) & 0xff, (argc >>> 16) & 0xff, argc >>> 24, 0, 0, 0, 0)); // argc, a 64-bit word
  const cpu = processCpu(mem, 64);
  cpu.reset();
  cpu.rip = loaded.entry;
  cpu.regLo[Reg.rsp] = rsp % 0x1_0000_0000;
  cpu.regHi[Reg.rsp] = Math.floor(rsp / 0x1_0000_0000);
  return { mem, cpu, loadBase: loadBaseOf(checked.exe.phdrs, loaded.bias), entry: loaded.entry, initialRsp: rsp };
}


/** Virtual address of file offset 0 as mapped by the first PT_LOAD (golf files map the file from offset 0). */
function loadBaseOf(phdrs: readonly { type: number; vaddr: number; offset: number }[], bias: number): number {
  const load = phdrs.find((ph) => ph.type === PT_LOAD);
  return load ? bias + load.vaddr - load.offset : bias;
}
