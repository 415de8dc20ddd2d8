/**
 * The environments a file is checked in: what different users' machines present to the same
 * program. "Required" environments decide pass/fail; "probes" vary a condition the target fixes
 * (argc) or leaves open (how stdin is open) to discover what the file relies on.
 */
import type { Assumption } from '../linux/run-result.js';
import type { StdinKind } from '../linux/syscalls.js';
import { argvFor, type Target } from '../targets/target.js';

export interface Environment {
  /** One-line description used in reports. */
  readonly name: string;
  /** The path the file is executed by (argv[0] when the target's argv is the default). */
  readonly execPath: string;
  readonly argv: readonly string[];
  readonly env: readonly string[];
  /** Fixes the emulator's randomized stack top (ASLR); different seeds give different positions. */
  readonly seed: number;
  /** How fd 0 is open: read-only (/dev/null, or a pipe with the target's stdin) except in the stdin probes. */
  readonly stdin: StdinKind;
  readonly role: 'required' | 'probe';
  /** For a probe: the condition it varies, so a strict profile can make it a required run. */
  readonly varies?: 'argc' | 'stdin';
  /** For a probe: what the file relies on if it passes the required runs but fails this one. */
  readonly reveals?: Assumption;
  /** Whether the environment list came from the large, realistic set (for diagnosing failures). */
  readonly largeEnv: boolean;
}

const SHORT_PATH = './a.out';
const LONG_PATH = '/home/golfer/projects/tiny-elf-experiments/build/output/candidate-program';

/** Fixed seeds so that a check is reproducible, spread so that stack tops differ widely. */
const SEEDS = [0x1f2e3d4c, 0x00c0ffee, 0x5eed0003, 0x7a11b0b5] as const;

/**
 * A realistic desktop-session environment (about 3.5 KiB in 40 strings): large enough to move the
 * stack contents by pages compared with an empty environment, and typical of what a shell passes.
 */
export const LARGE_ENVIRONMENT: readonly string[] = (() => {
  const env = [
    'SHELL=/bin/bash',
    'HOME=/home/golfer',
    'USER=golfer',
    'LOGNAME=golfer',
    'LANG=en_US.UTF-8',
    'LC_ALL=en_US.UTF-8',
    'TERM=xterm-256color',
    'COLORTERM=truecolor',
    'PWD=/home/golfer/projects/tiny-elf-experiments',
    'OLDPWD=/home/golfer',
    'PATH=/home/golfer/.local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games:/snap/bin',
    'XDG_RUNTIME_DIR=/run/user/1000',
    'XDG_SESSION_TYPE=wayland',
    'XDG_CURRENT_DESKTOP=GNOME',
    'XDG_DATA_DIRS=/usr/share/gnome:/usr/local/share/:/usr/share/:/var/lib/snapd/desktop',
    'DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus',
    'DISPLAY=:0',
    'WAYLAND_DISPLAY=wayland-0',
    'EDITOR=vim',
    'PAGER=less',
    'LESSOPEN=| /usr/bin/lesspipe %s',
    'SSH_AUTH_SOCK=/run/user/1000/keyring/ssh',
    'HISTSIZE=10000',
    'SHLVL=2',
    '_=/usr/bin/env',
  ];
  // LS_COLORS is famously long; generate a deterministic one of the usual shape and size.
  const exts = ['tar', 'tgz', 'zip', 'gz', 'bz2', 'xz', 'zst', 'jpg', 'png', 'gif', 'mp4', 'mkv', 'mp3', 'flac', 'ogg', 'wav'];
  const colors: string[] = ['rs=0', 'di=01;34', 'ln=01;36', 'mh=00', 'pi=40;33', 'so=01;35', 'do=01;35', 'bd=40;33;01', 'ex=01;32'];
  for (let i = 0; i < 120; i++) colors.push(`*.${exts[i % exts.length]}${i >= exts.length ? i : ''}=01;${31 + (i % 6)}`);
  env.push('LS_COLORS=' + colors.join(':') + ':');
  for (let i = 0; i < 14; i++) env.push(`GOLF_CHECK_PADDING_${i}=${'x'.repeat(17 + i * 3)}`);
  return env;
})();

/** Every environment to run `target` in: required runs first, then probes. */
export function environmentsFor(target: Target): Environment[] {
  const envs: { env: readonly string[]; large: boolean; label: string }[] =
    target.env === 'any'
      ? [
          { env: [], large: false, label: 'empty environment' },
          { env: LARGE_ENVIRONMENT, large: true, label: `large environment (${LARGE_ENVIRONMENT.length} variables)` },
        ]
      : [{ env: target.env, large: false, label: `the target's environment (${target.env.length} variables)` }];
  const paths = [SHORT_PATH, LONG_PATH];
  const out: Environment[] = [];
  let seedIndex = 0;
  for (const e of envs) {
    for (const execPath of paths) {
      // With a fixed environment, two more stack positions replace the second environment's runs.
      const repeats = target.env === 'any' ? 1 : 2;
      for (let r = 0; r < repeats; r++) {
        const seed = SEEDS[seedIndex++ % SEEDS.length];
        out.push({
          name: `${e.label}, run as ${execPath.length > 20 ? 'a long path' : execPath}, stack seed 0x${seed.toString(16)}`,
          execPath,
          argv: argvFor(target, execPath),
          env: e.env,
          seed,
          stdin: 'read-only',
          role: 'required',
          largeEnv: e.large,
        });
      }
    }
  }
  const argc = target.argv.length;
  out.push({
    name: `argc = ${argc + 1} (one extra argument), empty environment`,
    execPath: SHORT_PATH,
    argv: [...argvFor(target, SHORT_PATH), 'extra-argument'],
    env: target.env === 'any' ? [] : target.env,
    seed: SEEDS[0],
    stdin: 'read-only',
    role: 'probe',
    varies: 'argc',
    reveals: { id: `argc-${argc}`, text: `works only when argc = ${argc}${argc === 1 ? ' (run without arguments)' : ''}` },
    largeEnv: false,
  });
  for (const probe of STDIN_PROBES) {
    out.push({
      name: `${probe.label}, empty environment`,
      execPath: SHORT_PATH,
      argv: argvFor(target, SHORT_PATH),
      env: target.env === 'any' ? [] : target.env,
      seed: SEEDS[1],
      stdin: probe.stdin,
      role: 'probe',
      varies: 'stdin',
      reveals: probe.reveals,
      largeEnv: false,
    });
  }
  return out;
}

/** How each kind of stdin is named in reports. */
export const STDIN_LABELS: Record<StdinKind, string> = {
  'read-only': 'stdin read-only (/dev/null)',
  closed: 'stdin closed',
  'read-write': "stdin read-write, as a terminal's (writes succeed, reads wait for input)",
};

/** The stdin probes: what a file relies on when it passes with stdin read-only but fails with these. */
const STDIN_PROBES: readonly { stdin: StdinKind; label: string; reveals: Assumption }[] = [
  {
    stdin: 'closed',
    label: STDIN_LABELS.closed,
    reveals: { id: 'stdin-readable', text: 'needs stdin open for reading (fails when stdin is closed)' },
  },
  {
    stdin: 'read-write',
    label: STDIN_LABELS['read-write'],
    reveals: { id: 'stdin-not-terminal', text: "fails when stdin is read-write, as a terminal's is (writes to it succeed, reads wait for input)" },
  },
];
