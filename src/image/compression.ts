/**
 * The compressors an image archive (or its layer) can go through, each tried over a small fixed
 * grid of settings and kept at its smallest output, so the same input always gives the same bytes
 * (for the same compressor version, which is reported with every result).
 *
 * gzip comes from node:zlib. xz, zstd and bzip2 are the Debian command-line tools (xz-utils, zstd,
 * bzip2), run with the input on stdin: Node 20 has no xz or zstd, the npm bindings are native
 * add-ons that expose fewer encoder settings (xz's lc/pb matter here), and docker itself runs the
 * `xz` binary to read xz archives, so the reference encoder is also the decoder's own family.
 */
import { spawnSync } from 'node:child_process';
import { constants, gzipSync } from 'node:zlib';

export const COMPRESSIONS = ['none', 'gzip', 'xz', 'zstd', 'bzip2'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export class CompressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompressionError';
  }
}

export interface Compressed {
  bytes: Uint8Array;
  /** The settings that gave these bytes, e.g. "xz -9e lc=0 lp=0 pb=0 check=crc32". */
  settings: string;
}

interface Tool {
  command: string;
  debianPackage: string;
  versionArgs: string[];
  /** Argument lists of the grid, each with the text that names it. */
  grid: { args: string[]; settings: string }[];
}

// xz: podman's xz reader (Go, ulikunitz/xz) refuses check=none ("xz: invalid flags"), so the
// smallest check both engines read is CRC32. lc/pb decide most of the size for these inputs.
const XZ_GRID = [0, 1, 2].flatMap((lc) =>
  [0, 1].map((pb) => ({
    args: ['-c', '-q', '-T1', '--format=xz', '--check=crc32', `--lzma2=preset=9e,lc=${lc},lp=0,pb=${pb},nice=273,mf=bt4`],
    settings: `xz -9e lc=${lc} lp=0 pb=${pb} nice=273 check=crc32`,
  })),
);

// zstd: read from stdin, so the frame header has no content size; no checksum. The size hint
// makes zstd pick window settings for a small input (without it -22 takes seconds).
const ZSTD_GRID = [22, 19].map((level) => ({
  args: ['-c', '-q', '--no-check', '--ultra', `-${level}`],
  settings: `zstd -${level} no-check`,
}));

const TOOLS: Record<'xz' | 'zstd' | 'bzip2', Tool> = {
  xz: { command: 'xz', debianPackage: 'xz-utils', versionArgs: ['--version'], grid: XZ_GRID },
  zstd: { command: 'zstd', debianPackage: 'zstd', versionArgs: ['--version'], grid: ZSTD_GRID },
  bzip2: { command: 'bzip2', debianPackage: 'bzip2', versionArgs: ['--help'], grid: [{ args: ['-c', '-q', '-9'], settings: 'bzip2 -9' }] },
};

const GZIP_GRID = [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED].map((strategy) => ({
  options: { level: 9, memLevel: 9, strategy },
  settings: `gzip -9 (node:zlib ${process.versions.zlib}) strategy=${strategy === constants.Z_FILTERED ? 'filtered' : 'default'}`,
}));

function runTool(tool: Tool, args: string[], input: Uint8Array): Uint8Array {
  if (tool.command === 'zstd') args = [...args, `--size-hint=${input.length}`];
  const r = spawnSync(tool.command, args, { input, maxBuffer: 64 << 20 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CompressionError(`${tool.command} is not installed (apt-get install ${tool.debianPackage})`);
    throw new CompressionError(`cannot run ${tool.command} (${code ?? r.error.message})`);
  }
  if (r.status !== 0) throw new CompressionError(`${tool.command} ${args.join(' ')} failed: ${r.stderr.toString().trim().split('\n')[0] ?? `exit ${r.status}`}`);
  return new Uint8Array(r.stdout);
}

/** Is the compressor for this kind available here? (none and gzip always are.) */
export function compressorAvailable(kind: Compression): boolean {
  if (kind === 'none' || kind === 'gzip') return true;
  const r = spawnSync(TOOLS[kind].command, TOOLS[kind].versionArgs, { stdio: 'ignore' });
  return !r.error;
}

/** One line naming the compressor and its version, e.g. "xz (XZ Utils) 5.4.1". */
export function compressorVersion(kind: Compression): string {
  if (kind === 'none') return 'none';
  if (kind === 'gzip') return `node:zlib ${process.versions.zlib}`;
  const tool = TOOLS[kind];
  const r = spawnSync(tool.command, tool.versionArgs, { encoding: 'utf8' });
  if (r.error) return `${tool.command} (not installed)`;
  const text = `${r.stdout}\n${r.stderr}`;
  const line = text.split('\n').find((l) => /[0-9]+\.[0-9]+/.test(l)) ?? tool.command;
  return line.replace(/^\*+\s*|\s*\*+$/g, '').trim();
}

/**
 * The smallest output of the compressor over its grid (the first of equal sizes: a fixed order).
 * `quick` tries only the grid's first setting, to rank many inputs before the full grid.
 */
export function compress(kind: Compression, data: Uint8Array, effort: 'full' | 'quick' = 'full'): Compressed {
  if (kind === 'none') return { bytes: data, settings: 'none' };
  const grid = kind === 'gzip' ? GZIP_GRID : TOOLS[kind].grid;
  const tries: Compressed[] = (effort === 'quick' ? grid.slice(0, 1) : grid).map((g) =>
    'options' in g
      ? { bytes: new Uint8Array(gzipSync(data, g.options)), settings: g.settings }
      : { bytes: runTool(TOOLS[kind as keyof typeof TOOLS], g.args, data), settings: g.settings },
  );
  return tries.reduce((best, t) => (t.bytes.length < best.bytes.length ? t : best));
}
