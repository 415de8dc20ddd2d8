/**
 * golf explain --html: one self-contained page (no scripts, no external files) with the byte map
 * as a hex grid: each byte coloured by its role (a header field the kernel checks, one it ignores,
 * a byte that reaches the output, code past the headers, free), executed bytes outlined, the entry
 * point marked, details on hover. Below it the same field table, path and output as the text report.
 */
import { outputGroups, describeGroup, runLine, summaryLine } from './explain-report.js';
import type { Explanation } from './explain.js';

/** The role colours, also used by the test that renders the page (exact RGB values). */
export const ROLE_COLOURS = {
  checked: '#4f8fdc',
  ignored: '#c8c8c8',
  output: '#3cb46e',
  code: '#f0a030',
  free: '#f4efe6',
} as const;
export type ByteRole = keyof typeof ROLE_COLOURS;
export const EXECUTED_OUTLINE = '#d0103a';

const ROLE_LABELS: Record<ByteRole, string> = {
  checked: 'header field the kernel checks',
  ignored: 'header field the kernel ignores',
  output: 'reaches the output (directly or copied through memory)',
  code: 'code outside the headers',
  free: 'free: read by nobody',
};

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The colour class of each byte: output data first (what the file is for), then its header field, then code. */
export function byteRole(e: Explanation, offset: number): ByteRole {
  const roles = e.roles[offset]!;
  if (roles.some((r) => /^(stdout|stderr|fd 0)\[/.test(r))) return 'output';
  const field = e.fields.find((f) => offset >= f.start && offset < f.start + f.size && f.checked)
    ?? e.fields.find((f) => offset >= f.start && offset < f.start + f.size);
  if (field) return field.checked ? 'checked' : 'ignored';
  if (roles.some((r) => r.startsWith('code'))) return 'code';
  return 'free';
}

export function explainHtml(e: Explanation, name: string, file: Uint8Array, profile: string): string {
  const executed = new Set<number>();
  for (const i of e.executed) for (let k = 0; k < i.length; k++) executed.add(i.offset + k);
  const cells: string[] = [];
  for (let row = 0; row * 16 < file.length; row++) {
    cells.push(`<div class="addr">${(row * 16).toString(16).padStart(4, '0')}</div>`);
    for (let col = 0; col < 16; col++) {
      const off = row * 16 + col;
      if (off >= file.length) break;
      const role = byteRole(e, off);
      const classes = [role, executed.has(off) ? 'exec' : '', off === e.entryOffset ? 'entry' : ''].filter(Boolean).join(' ');
      const tip = [`offset 0x${off.toString(16)} = ${file[off]!.toString(16).padStart(2, '0')}`, off === e.entryOffset ? 'entry point' : '', ...e.roles[off]!].filter(Boolean).join('\n');
      cells.push(`<div class="${classes}" title="${escape(tip)}">${file[off]!.toString(16).padStart(2, '0')}</div>`);
    }
  }
  const legend = (Object.keys(ROLE_COLOURS) as ByteRole[])
    .map((r) => `<span class="key"><span class="swatch ${r}"></span>${escape(ROLE_LABELS[r])}</span>`)
    .join('');
  const fields = e.fields
    .map((f) => `<tr><td>0x${f.start.toString(16)}</td><td>${escape(f.structure)}</td><td>${escape(f.name)}</td><td>${f.checked ? 'checked' : 'ignored'}</td><td>${escape(f.value)}</td><td>${escape(f.reusedAs.join('; '))}</td></tr>`)
    .join('\n');
  const path = e.path
    .map((s, i) => `${s.loopPass ? `<tr class="pass"><td colspan="3">loop at 0x${s.loopPass.head.toString(16)}, pass ${s.loopPass.pass}</td></tr>` : ''}<tr><td>${s.offset === null ? `[0x${s.address.toString(16)}]` : `0x${s.offset.toString(16)}`}</td><td>${escape(s.text)}</td><td>${escape([...(i === 0 ? ['entry point'] : []), ...s.effects].join('; '))}</td></tr>`)
    .join('\n');
  const outputs = outputGroups(e).map((g) => `<li>${escape(describeGroup(e, g))}</li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>golf explain: ${escape(name)}</title>
<style>
body { font-family: sans-serif; margin: 12px; color: #111; background: #fff; }
h1 { font-size: 15px; margin: 0 0 6px; } h2 { font-size: 14px; margin: 18px 0 6px; }
.grid { display: grid; grid-template-columns: 44px repeat(16, 34px); grid-auto-rows: 26px; gap: 4px; font: 13px monospace; }
.grid div { display: flex; align-items: center; justify-content: center; box-sizing: border-box; }
.grid .addr { color: #666; justify-content: flex-end; padding-right: 6px; }
${(Object.keys(ROLE_COLOURS) as ByteRole[]).map((r) => `.${r} { background: ${ROLE_COLOURS[r]}; }`).join('\n')}
.grid .exec { border: 3px solid ${EXECUTED_OUTLINE}; }
.grid .entry { font-weight: bold; text-decoration: underline; }
.grid .entry::before { content: "\\25B6"; font-size: 8px; margin-right: 1px; }
.key { margin-right: 14px; font-size: 12px; white-space: nowrap; } .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }
table { border-collapse: collapse; font: 12px monospace; } td { border-bottom: 1px solid #eee; padding: 2px 8px 2px 0; vertical-align: top; }
tr.pass td { font-weight: bold; padding-top: 6px; }
</style></head><body>
<h1>${escape(summaryLine(e, name, file))}</h1>
<div class="grid">
${cells.join('\n')}
</div>
<p>${legend}<span class="key"><span class="swatch" style="border: 3px solid ${EXECUTED_OUTLINE}; box-sizing: border-box;"></span>executed</span></p>
<p>${escape(e.load.loads ? runLine(e, profile) : `does not load: ${e.load.reason}`)}</p>
<h2>Header fields</h2>
<table>
${fields}
</table>
<h2>Executed path</h2>
<table>
${path}
</table>
<h2>Output</h2>
<ul>
${outputs}
</ul>
</body></html>
`;
}
