/**
 * Random NASM programs that exercise the preprocessor, for the differential test against nasm
 * (scripts/pp-expected.ts records nasm's output; test/asm/preprocessor-nasm.test.ts compares).
 *
 * Program i is a pure function of i (a seeded generator), so the committed fixture only holds
 * nasm's answers and a hash of each program's text. Programs mix nested conditionals (%if with
 * nasm's operators, %ifdef, %ifidn, %ifnum, %ifstr, %ifmacro, %elif, %else), single-line macros
 * with and without parameters, %xdefine/%undef/%assign (also over label differences), multi-line
 * macros with defaults, greedy and variadic parameters, %rotate, %0, %00 and %%local labels,
 * %rep with %exitrep, %include of generated files, string functions, contexts, struc/istruc,
 * align, forward and backward branches, and nasm-style size checks with %error.
 */

export interface GeneratedProgram {
  /** Source of main.asm. */
  main: string;
  /** Other files by path relative to the directory nasm runs in (includes live in inc/). */
  files: Record<string, string>;
  /** Passed as -i to nasm and golf. */
  includeDirs: string[];
}

/** mulberry32: a small deterministic generator (the programs must be the same on every machine). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface MacroInfo {
  name: string;
  min: number;
  max: number;
  greedy: boolean;
  caseless: boolean;
  /** Its parameters are used as data lists (`db %1`): a braced argument fits. */
  list?: boolean;
}

class Gen {
  private readonly r: () => number;
  readonly lines: string[] = [];
  readonly files: Record<string, string> = {};
  mode: 64 | 32 = 64;
  /** Labels defined so far, in order (names usable in expressions after their definition). */
  private labels: string[] = [];
  /** Labels referenced before their definition: defined at the end. */
  private readonly forward = new Set<string>();
  private labelCount = 0;
  /** Numeric single-line macros currently defined. */
  private numbers = new Set<string>();
  /** Names ever defined (for %ifdef tests that are sometimes true). */
  private readonly everDefined: string[] = [];
  private macros: MacroInfo[] = [];
  private macroCount = 0;
  private fnDefined = false;
  /** Inside a conditional branch or %rep body: what is defined there may not exist afterwards. */
  private guarded = 0;
  private depth = 0;
  private varCount = 0;
  private includeCount = 0;
  private strucs: Array<{ name: string; fields: Array<{ name: string; size: number }> }> = [];

  constructor(seed: number) {
    this.r = rng(seed * 7919 + 17);
  }

  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  emit(line: string): void {
    this.lines.push('  '.repeat(this.depth) + line);
  }

  newLabel(): string {
    return `L${this.labelCount++}`;
  }

  defineLabel(name: string): void {
    this.emit(`${name}:`);
    this.labels.push(name);
    if (this.guarded === 0) this.forward.delete(name);
  }

  /**
   * Runs a branch or %rep body: names it defines are forgotten afterwards, since nasm may skip it
   * (the generated programs must not use what might not exist, except on purpose).
   */
  guardedBlock(count: number, inRep = false): void {
    const saved = { labels: [...this.labels], numbers: new Set(this.numbers), macros: [...this.macros], fn: this.fnDefined };
    this.guarded++;
    this.block(count, inRep);
    this.guarded--;
    this.labels = saved.labels;
    this.numbers = saved.numbers;
    this.macros = saved.macros;
    this.fnDefined = saved.fn;
  }

  /** A label for a branch: an earlier one or one defined later. */
  branchTarget(): string {
    if (this.labels.length > 0 && this.chance(0.5)) return this.pick(this.labels);
    const l = this.newLabel();
    this.forward.add(l);
    return l;
  }

  /** A small constant expression over numbers and numeric macros. */
  numExpr(depth = 0): string {
    const leaf = (): string => {
      if (this.numbers.size > 0 && this.chance(0.4)) return this.pick([...this.numbers]);
      if (this.fnDefined && this.chance(0.15)) return `FN(${this.int(9)}, ${this.int(9)})`;
      return this.pick([String(this.int(20)), `0x${this.int(256).toString(16)}`, `${this.int(8)}h`, `0b${this.int(8).toString(2)}`, `'${String.fromCharCode(97 + this.int(26))}'`]);
    };
    if (depth > 2 || this.chance(0.4)) return leaf();
    const op = this.pick(['+', '-', '*', '&', '|', '^', '<<', '>>', '/', '%', '//', '==', '!=', '<', '>=', '&&', '||', '^^']);
    const b = op === '/' || op === '%' || op === '//' ? String(1 + this.int(7)) : op === '<<' || op === '>>' ? String(this.int(6)) : this.numExpr(depth + 1);
    const e = `${this.numExpr(depth + 1)} ${op} ${b}`;
    return this.chance(0.6) ? `(${e})` : e;
  }

  /** A difference of two labels defined earlier (a constant in the preprocessor). */
  backDiff(): string | null {
    if (this.labels.length < 2) return null;
    const a = this.pick(this.labels);
    const b = this.pick(this.labels);
    return `(${a} - ${b})`;
  }

  condition(): string {
    const kind = this.int(12);
    const diff = this.backDiff();
    switch (kind) {
      case 0:
      case 1:
        return `%if ${this.numExpr()} ${this.pick(['>', '<', '==', '!=', '>=', '<='])} ${this.int(10)}`;
      case 2:
        if (diff !== null) return `%if ${diff} ${this.pick(['>', '<', '==', '!=', '>='])} ${this.int(12) - 4}`;
        return `%if ${this.numExpr()}`;
      case 3:
        return `%ifdef ${this.everDefined.length > 0 && this.chance(0.7) ? this.pick(this.everDefined) : 'UNDEFINED_' + this.int(3)}`;
      case 4:
        return `%ifndef ${this.everDefined.length > 0 && this.chance(0.7) ? this.pick(this.everDefined) : 'NOPE_' + this.int(3)}`;
      case 5:
        return `%ifidn ${this.pick(['a', 'b', 'A', '1'])}, ${this.pick(['a', 'b', 'A', '1'])}`;
      case 6:
        return `%ifidni ${this.pick(['foo', 'FOO', 'bar'])}, ${this.pick(['foo', 'Foo', 'baz'])}`;
      case 7:
        return `%if${this.pick(['num', 'str', 'id', 'nnum', 'nstr', 'nid'])} ${this.pick(['12', '"s"', 'abc', '-3', '0x1f'])}`;
      case 8:
        if (this.macros.length > 0) {
          const m = this.pick(this.macros);
          return `%if${this.chance(0.3) ? 'n' : ''}macro ${m.name}${this.chance(0.5) ? ` ${this.int(4)}` : ''}`;
        }
        return `%ifmacro NOMACRO`;
      case 9:
        return `%if (${this.numExpr()}) && !(${this.numExpr()}) || ${this.int(2)}`;
      case 10:
        if (this.numbers.size > 0) return `%if ${this.pick([...this.numbers])} ${this.pick(['>', '<', '=='])} ${this.numExpr(2)}`;
        return `%if ${this.int(2)}`;
      default:
        return `%if ${this.chance(0.5) ? this.numExpr() : diff ?? '1'} ? ${this.int(3)} : ${this.int(3)}`;
    }
  }

  dataLine(): void {
    const unit = this.pick(['db', 'dw', 'dd']);
    const mask = unit === 'db' ? '0xff' : unit === 'dw' ? '0xffff' : '0x7fffffff';
    const items: string[] = [];
    for (let i = 0, n = 1 + this.int(3); i < n; i++) {
      const c = this.int(6);
      if (c === 0) items.push(`"${'xyz'.slice(0, 1 + this.int(3))}"`);
      else if (c === 1 && this.labels.length + this.forward.size > 0) {
        const a = this.chance(0.5) && this.labels.length > 0 ? this.pick(this.labels) : this.branchTarget();
        items.push(`((${a} - $$) & ${mask})`);
      } else items.push(`(${this.numExpr()}) & ${mask}`);
    }
    this.emit(`${unit} ${items.join(', ')}`);
  }

  instruction(): void {
    const r64 = this.mode === 64;
    const reg = this.pick(r64 ? ['eax', 'ebx', 'ecx', 'rsi', 'rdi', 'r8'] : ['eax', 'ebx', 'ecx', 'esi']);
    const c = this.int(10);
    switch (c) {
      case 0:
        this.emit(`jmp ${this.branchTarget()}`);
        return;
      case 1:
        this.emit(`j${this.pick(['z', 'nz', 'c', 'ge', 'le'])} ${this.branchTarget()}`);
        return;
      case 2:
        this.emit(`call ${this.branchTarget()}`);
        return;
      case 3:
        this.emit(`mov ${reg}, ${this.numExpr()}`);
        return;
      case 4:
        if (r64) this.emit(`lea rsi, [rel ${this.branchTarget()}]`);
        else this.emit(`mov esi, ${this.branchTarget()}`);
        return;
      case 5:
        this.emit(`times ${this.pick([1, 3, 40, 130])} nop`);
        return;
      case 6:
        this.emit(`add ${this.pick(['eax', 'ecx'])}, ${this.numExpr()}`);
        return;
      case 7:
        this.emit(`push ${this.numExpr()}`);
        return;
      case 8: {
        const d = this.backDiff();
        this.emit(`mov ecx, ${d ?? this.numExpr()}`);
        return;
      }
      default:
        this.emit(this.pick(['nop', 'ret', r64 ? 'syscall' : 'int 0x80', 'xor eax, eax', 'inc ecx', 'cld']));
    }
  }

  assign(): void {
    const v = `v${this.varCount++}`;
    const d = this.backDiff();
    const e = d !== null && this.chance(0.4) ? `${d} ${this.pick(['+', '*', '-'])} ${this.int(5)}` : this.numExpr();
    this.emit(`%${this.pick(['assign', 'assign', 'iassign'])} ${v} ${e}`);
    this.numbers.add(v);
    this.everDefined.push(v);
  }

  defineMacro(): void {
    const c = this.int(6);
    if (c === 0 && !this.fnDefined) {
      this.emit(`%define FN(a, b) ((a) * 3 + (b))`);
      this.fnDefined = true;
      this.everDefined.push('FN');
      return;
    }
    const name = `D${this.int(6)}`;
    if (c === 1 && this.numbers.has(name)) {
      this.emit(`%undef ${name}`);
      this.numbers.delete(name);
      return;
    }
    const kind = this.pick(['define', 'xdefine', 'define']);
    this.emit(`%${kind} ${name} ${this.numExpr()}`);
    this.numbers.add(name);
    this.everDefined.push(name);
  }

  conditional(): void {
    this.emit(this.condition());
    this.guardedBlock(1 + this.int(3));
    for (let k = this.int(3); k > 0; k--) {
      const c = this.condition();
      this.emit(c.replace(/^%if/, '%elif'));
      this.guardedBlock(1 + this.int(2));
    }
    if (this.chance(0.5)) {
      this.emit('%else');
      this.guardedBlock(1 + this.int(2));
    }
    this.emit('%endif');
  }

  rep(): void {
    const i = `r${this.varCount++}`;
    this.emit(`%assign ${i} 0`);
    this.emit(`%rep ${this.int(5)}`);
    this.depth++;
    this.emit(`db ${i}`);
    this.guardedBlock(1 + this.int(2), true);
    if (this.chance(0.4)) {
      this.emit(`%if ${i} == ${this.int(3)}`);
      this.emit('  %exitrep');
      this.emit('%endif');
    }
    this.emit(`%assign ${i} ${i} + 1`);
    this.depth--;
    this.emit('%endrep');
    this.numbers.add(i);
  }

  multiLineMacro(): void {
    const name = `m${this.macroCount++}`;
    const shape = this.int(6);
    let spec: string;
    let info: MacroInfo;
    const caseless = this.chance(0.2);
    if (shape === 0) {
      spec = '0';
      info = { name, min: 0, max: 0, greedy: false, caseless };
    } else if (shape === 1) {
      const n = 1 + this.int(3);
      spec = String(n);
      info = { name, min: n, max: n, greedy: false, caseless };
    } else if (shape === 2) {
      spec = `1-3 ${this.int(9)}, ${this.int(9)}`;
      info = { name, min: 1, max: 3, greedy: false, caseless };
    } else if (shape === 3) {
      spec = '2+';
      info = { name, min: 2, max: 2, greedy: true, caseless };
    } else if (shape === 4) {
      spec = '1-*';
      info = { name, min: 1, max: Infinity, greedy: false, caseless };
    } else {
      spec = '1-2 9';
      info = { name, min: 1, max: 2, greedy: false, caseless, list: true };
    }
    this.emit(`%${caseless ? 'imacro' : 'macro'} ${name} ${spec}`);
    this.depth++;
    const p = (k: number): string => (info.max >= k ? `%${k}` : '0');
    if (shape === 5) {
      this.emit('db %1');
      this.emit('db %2, %0');
    } else if (shape === 4) {
      this.emit('%rep %0');
      this.emit('  db (%1) & 0xff');
      this.emit(`  %rotate ${this.pick(['1', '1', '-1'])}`);
      this.emit('%endrep');
      this.emit('db %0');
    } else {
      this.emit(`db %0${info.max >= 1 ? ', (%1) & 0xff' : ''}`);
      if (info.greedy) this.emit('db %2');
      if (this.chance(0.6)) {
        this.emit('%%top:');
        this.emit(`mov ecx, ${info.max >= 1 && !info.greedy ? `(${p(1)}) & 0xff` : '3'}`);
        this.emit('%%again:');
        this.emit('dec ecx');
        this.emit(`jnz ${this.pick(['%%again', '%%top', '%%out'])}`);
        this.emit('%%out:');
      }
      if (info.max >= 2 && !info.greedy && this.chance(0.6)) {
        this.emit(`%if ${p(2)} > ${this.int(9)}`);
        this.emit(`  dw (${p(2)}) & 0xffff`);
        this.emit('%else');
        this.emit(`  db ${this.int(100)}`);
        this.emit('%endif');
      }
      if (info.max >= 1 && this.chance(0.3)) {
        this.emit('%ifidn %1, 7');
        this.emit('  db 0x77');
        this.emit('%endif');
      }
      if (info.max >= 1 && this.chance(0.2)) {
        this.emit('%ifnum %1');
        this.emit('  db 0x11');
        this.emit('%endif');
      }
    }
    this.depth--;
    this.emit('%endmacro');
    this.macros.push(info);
    this.everDefined.push(name);
  }

  invoke(): void {
    if (this.macros.length === 0) return this.multiLineMacro();
    const m = this.pick(this.macros);
    let n = m.min;
    if (m.max > m.min) n = m.min + this.int(Math.min(m.max, m.min + 4) - m.min + 1);
    if (m.greedy) n = m.min + this.int(3);
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = this.int(5);
      // A braced argument groups commas; only the list macros put an argument where a list fits.
      if (c === 0 && m.list) args.push(`{${this.int(9)}, ${this.int(9)}}`);
      else args.push(this.numExpr(1));
    }
    const label = this.chance(0.25) ? this.newLabel() : null;
    const call = `${m.caseless && this.chance(0.5) ? m.name.toUpperCase() : m.name}${args.length > 0 ? ' ' + args.join(', ') : ''}`;
    if (label !== null) {
      this.emit(`${label}: ${call}`);
      this.labels.push(label);
    } else this.emit(call);
  }

  include(): void {
    const n = this.includeCount++;
    const guard = `INC_${n}`;
    const v = `i${n}`;
    const body = [
      `%ifndef ${guard}`,
      `%define ${guard}`,
      `%assign ${v} ${this.int(50)}`,
      `%macro im${n} 1`,
      `  db (%1 + ${v}) & 0xff`,
      `%endmacro`,
      `db ${v}, __?LINE?__`,
      `%endif`,
    ].join('\n') + '\n';
    this.files[`inc/f${n}.inc`] = body;
    const twice = this.chance(0.3);
    for (let k = twice ? 2 : 1; k > 0; k--) this.emit(`%include "${this.chance(0.5) ? `inc/f${n}.inc` : `f${n}.inc`}"`);
    this.numbers.add(v);
    this.everDefined.push(guard);
    this.emit(`im${n} ${this.int(9)}`);
  }

  strings(): void {
    const text = 'golfasm'.slice(0, 2 + this.int(6));
    const c = this.int(4);
    const v = `s${this.varCount++}`;
    if (c === 0) {
      this.emit(`%strlen ${v} "${text}"`);
      this.emit(`db ${v}`);
      this.numbers.add(v);
    } else if (c === 1) {
      this.emit(`%substr ${v} '${text}', ${this.int(5) - 1}${this.chance(0.6) ? `, ${this.int(6) - 2}` : ''}`);
      this.emit(`db ${v}, 0`);
    } else if (c === 2) {
      this.emit(`%strcat ${v} "${text}", '-', "x"`);
      this.emit(`db ${v}`);
    } else {
      this.emit(`%defstr ${v} ${text}  +  ${this.int(9)}`);
      this.emit(`db ${v}`);
    }
  }

  context(): void {
    this.emit('%push ctx');
    this.emit(`%define %$val ${this.int(30)}`);
    this.emit('%$here:');
    this.emit('db %$val');
    if (this.chance(0.5)) this.emit(`jmp %$here`);
    this.emit('%ifctx ctx');
    this.emit('  db 0xcc');
    this.emit('%endif');
    this.emit('%pop');
  }

  struc(): void {
    const name = `sx${this.strucs.length}`;
    const fields: Array<{ name: string; size: number }> = [];
    this.emit(`struc ${name}`);
    for (let k = 1 + this.int(4); k > 0; k--) {
      const size = this.pick([1, 2, 4, 8]);
      const f = `.f${fields.length}`;
      this.emit(`  ${f}: res${{ 1: 'b', 2: 'w', 4: 'd', 8: 'q' }[size]} 1`);
      fields.push({ name: f, size });
    }
    this.emit('endstruc');
    this.strucs.push({ name, fields });
    this.emit(`istruc ${name}`);
    for (const f of fields) {
      if (this.chance(0.5)) continue;
      const unit = { 1: 'db', 2: 'dw', 4: 'dd', 8: 'dq' }[f.size]!;
      this.emit(`  at ${this.chance(0.5) ? f.name : name + f.name}, ${unit} ${this.int(200)}`);
    }
    this.emit('iend');
    this.emit(`db ${name}_size, ${name}${fields[fields.length - 1]!.name}`);
  }

  align(): void {
    this.emit(`align ${this.pick([2, 4, 8, 16])}${this.chance(0.4) ? ', db 0xee' : ''}`);
  }

  /**
   * Less common forms: token pasting, %[...], parameterized macros used inside each other, %00,
   * condition-code parameters, parameter ranges, recursive macros stopped by %if, %exitmacro,
   * nested macro definitions, %xdefine of itself, builtin macros, `<file>` includes and
   * preprocessor expressions over `$`.
   */
  advanced(): void {
    const c = this.int(12);
    const k = this.varCount++;
    switch (c) {
      case 0:
        this.emit(`%define CAT${k}(a, b) a %+ b`);
        this.emit(`%define N${k}_1 ${this.int(50)}`);
        this.emit(`db CAT${k}(N${k}_, 1), CAT${k}(${this.int(9)}, ${this.int(9)})`);
        return;
      case 1:
        this.emit(`%assign idx${k} ${this.int(3)}`);
        this.emit(`%define T${k}_0 0x10`);
        this.emit(`%define T${k}_1 0x20`);
        this.emit(`%define T${k}_2 0x30`);
        this.emit(`db %[T${k}_ %+ idx${k}], T${k}_%[idx${k}]`);
        return;
      case 2:
        this.emit(`%define SQ${k}(x) ((x) * (x))`);
        this.emit(`%define ADD${k}(x, y) (SQ${k}(x) + (y))`);
        // SQ(ADD(..)) is refused by nasm: SQ is not expanded again inside its own argument.
        this.emit(`dw ADD${k}(${this.int(9)}, SQ${k}(${this.int(5)}))${this.chance(0.2) ? `, SQ${k}(ADD${k}(1, ${this.int(4)}))` : ''}`);
        return;
      case 3: {
        const l = this.newLabel();
        this.emit(`%macro lab${k} 1`);
        this.emit(`  %00: db %1, %0`);
        this.emit(`  dw %00 - $$`);
        this.emit(`%endmacro`);
        this.emit(`${l}: lab${k} ${this.int(99)}`);
        if (this.guarded === 0) this.labels.push(l);
        return;
      }
      case 4:
        this.emit(`%macro cc${k} 1`);
        this.emit(`  cmp eax, ${this.int(9)}`);
        this.emit(`  j%-1 %%skip`);
        this.emit(`  set%+1 al`);
        this.emit(`  cmov%-1 ecx, edx`);
        this.emit(`  %%skip:`);
        this.emit(`%endmacro`);
        this.emit(`cc${k} ${this.pick(['z', 'nz', 'ae', 'b', 'g', 'le', 'nc', 'pe', 'o', 's'])}`);
        return;
      case 5:
        this.emit(`%macro rng${k} 2-*`);
        this.emit(`  db %{1:2}`);
        this.emit(`  db %{-1}`.replace('%{-1}', '%{2:1}'));
        this.emit(`%endmacro`);
        this.emit(`rng${k} ${this.int(9)}, ${this.int(9)}, ${this.int(9)}`);
        return;
      case 6:
        this.emit(`%macro down${k} 1`);
        this.emit(`  %assign dn${k} %1`);
        this.emit(`  %rep %1 + 1`);
        this.emit(`    db dn${k}`);
        this.emit(`    %assign dn${k} dn${k} - 1`);
        this.emit(`  %endrep`);
        // A macro calling itself is an ordinary word inside its expansion (an error in nasm).
        if (this.chance(0.15)) this.emit(`  down${k} 0`);
        this.emit(`%endmacro`);
        this.emit(`down${k} ${this.int(5)}`);
        return;
      case 7:
        this.emit(`%macro ex${k} 1`);
        this.emit(`  db 1`);
        this.emit(`  %if %1 > ${this.int(5)}`);
        this.emit(`    %exitmacro`);
        this.emit(`  %endif`);
        this.emit(`  db 2`);
        this.emit(`%endmacro`);
        this.emit(`ex${k} ${this.int(9)}`);
        this.emit(`ex${k} ${this.int(9)}`);
        return;
      case 8:
        this.emit(`%macro outer${k} 1`);
        this.emit(`  %macro inner${k} 1`);
        this.emit(`    db %1, %0`);
        this.emit(`  %endmacro`);
        this.emit(`  inner${k} %1 + 1`);
        this.emit(`%endmacro`);
        this.emit(`outer${k} ${this.int(9)}`);
        this.emit(`inner${k} ${this.int(9)}`);
        return;
      case 9:
        this.emit(`%xdefine X${k} ${this.int(9)}`);
        this.emit(`%xdefine X${k} X${k} + ${this.int(9)}`);
        this.emit(`%idefine Y${k} ${this.int(9)}`);
        this.emit(`db X${k}, y${k}, Y${k}, __?BITS?__, __LINE__`);
        return;
      case 10:
        if (this.guarded > 0) return this.dataLine();
        this.files[`inc/b${k}.inc`] = `db ${this.int(9)}, __?LINE?__
%define FROM_B${k} 1
`;
        // nasm 2.16.01 refuses the <file> form.
        this.emit(this.chance(0.1) ? `%include <b${k}.inc>` : `%include "b${k}.inc"`);
        this.emit(`%ifdef FROM_B${k}`);
        this.emit(`  db 0x42`);
        this.emit(`%endif`);
        return;
      default:
        this.emit(`%assign pos${k} $ - $$`);
        this.emit(`%if pos${k} ${this.pick(['<', '>', '>='])} ${this.int(60)}`);
        this.emit(`  db pos${k}`);
        this.emit(`%else`);
        this.emit(`  times ${this.int(4)} db 0x99`);
        this.emit(`%endif`);
    }
  }

  /** `count` statements; `inRep` avoids labels (a %rep body would define them repeatedly). */
  block(count: number, inRep = false): void {
    this.depth++;
    for (let i = 0; i < count; i++) this.statement(inRep);
    this.depth--;
  }

  statement(inRep = false): void {
    const deep = this.depth > 3;
    const c = this.int(deep ? 6 : 18);
    switch (c) {
      case 0:
        return this.dataLine();
      case 1:
        return this.instruction();
      case 2:
        if (!inRep) return this.defineLabel(this.newLabel());
        return this.dataLine();
      case 3:
        return this.assign();
      case 4:
        return this.defineMacro();
      case 5:
        return this.strings();
      case 6:
      case 7:
        return this.conditional();
      case 8:
        return inRep ? this.dataLine() : this.rep();
      case 9:
        return inRep ? this.instruction() : this.multiLineMacro();
      case 10:
      case 11:
        return this.invoke();
      case 12:
        return inRep ? this.dataLine() : this.include();
      case 13:
        return inRep ? this.dataLine() : this.context();
      case 14:
        return inRep ? this.dataLine() : this.struc();
      case 15:
      case 16:
        return inRep ? this.dataLine() : this.advanced();
      default:
        return this.align();
    }
  }

  finish(): void {
    for (const l of this.forward) {
      this.emit(`${l}:`);
      this.emit('nop');
    }
    // A size check as tiny-ELF sources end: the end label minus the start, compared in %if.
    this.emit('prog_end:');
    this.emit('%assign prog_size prog_end - prog_start');
    this.emit(`%if prog_size > ${this.pick([20, 100, 400, 4000])}`);
    this.emit(this.chance(0.15) ? '  %error program is prog_size bytes' : '  db 0xfe');
    this.emit('%endif');
  }
}

/** The i-th generated program. */
export function generateProgram(i: number): GeneratedProgram {
  const g = new Gen(i);
  g.mode = g.chance(0.8) ? 64 : 32;
  g.emit(`; generated preprocessor program ${i}`);
  g.emit(`BITS ${g.mode}`);
  g.emit(`org ${g.pick(g.mode === 64 ? ['0x400000', '0x10000', '0x500000000'] : ['0x8048000', '0x10000'])}`);
  g.emit('prog_start:');
  for (let k = 4 + g.int(10); k > 0; k--) g.statement();
  g.finish();
  return { main: g.lines.join('\n') + '\n', files: g.files, includeDirs: ['inc/'] };
}

/** How many programs the fixture holds. */
export const PROGRAM_COUNT = 600;
