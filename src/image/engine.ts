/**
 * Talking to a real container engine through its command-line client: is it installed, is its
 * daemon up, which version, and load / run / remove. Everything else about images is in the
 * modules beside this one; this is the only place that runs `docker` or `podman`.
 *
 * The clients are found on PATH and honour their usual environment (DOCKER_HOST for docker;
 * CONTAINERS_CONF and CONTAINERS_STORAGE_CONF for podman), which is how the tests point them at a
 * private daemon and private storage.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { EngineName } from './acceptance.js';

export interface CommandResult {
  /** Exit status, or null when the command could not start or was killed. */
  status: number | null;
  stdout: Buffer;
  stderr: string;
  /** The spawn error code (ENOENT: not installed), or 'timeout'. */
  error: string | null;
}

/** Runs a command without a shell, with optional stdin, killed after `timeoutMs`. */
export function runCommand(command: string, args: string[], options: { input?: Uint8Array; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let error: string | null = null;
    const timer = setTimeout(() => {
      error = 'timeout';
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    child.stdin.on('error', () => {}); // a client that exits before reading stdin is not our failure
    child.stdin.end(options.input ?? new Uint8Array(0));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status: error ? null : status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), error });
    });
  });
}

/** The last non-empty line of an engine's error output, for one-line messages. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.length ? lines[lines.length - 1] : '(no message)';
}

/** The command that starts the docker daemon on this kind of machine. */
export function dockerStartCommand(): string {
  if (existsSync('/run/systemd/system')) return 'systemctl start docker';
  // No systemd (containers, CI sandboxes): dockerd by hand, without the networking it cannot set up there.
  return 'dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=overlay2 &';
}

export interface EngineStatus {
  engine: EngineName;
  /** e.g. "20.10.24+dfsg1" (docker: the daemon's version) or "4.3.1"; null when not usable. */
  version: string | null;
  /** One line saying why the engine cannot be used, naming the command that would fix it; null when usable. */
  problem: string | null;
}

const INSTALL: Record<EngineName, string> = { docker: 'apt-get install docker.io', podman: 'apt-get install podman runc' };

/** Whether the engine can be used here, and its version. */
export async function engineStatus(engine: EngineName): Promise<EngineStatus> {
  const format = engine === 'docker' ? '{{.Server.Version}}' : '{{.Client.Version}}';
  const r = await runCommand(engine, ['version', '--format', format], { timeoutMs: 30_000 });
  if (r.error === 'ENOENT') return { engine, version: null, problem: `${engine} is not installed (install it with: ${INSTALL[engine]})` };
  const version = r.stdout.toString('utf8').trim();
  if (r.status === 0 && version !== '') return { engine, version, problem: null };
  if (engine === 'docker' && /Cannot connect|Is the docker daemon running|daemon/i.test(r.stderr)) {
    const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    return { engine, version: null, problem: `the docker daemon is not running at ${host} (start it with: ${dockerStartCommand()})` };
  }
  return { engine, version: null, problem: `${engine} version failed: ${lastLine(r.stderr || r.error || '')}` };
}

/**
 * The options golf adds to `podman run`. Podman's default raises RLIMIT_NOFILE past the hard
 * limit, which fails where the runtime lacks CAP_SYS_RESOURCE (sandboxes, CI containers: "error
 * setting rlimit type 7: operation not permitted"); the program in the image needs neither limit.
 */
const PODMAN_RUN_OPTIONS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

export interface RunOutcome {
  status: number | null;
  stdout: Buffer;
  stderr: string;
  error: string | null;
}

/** Is an image with this ID (or name) present in the engine? Returns its full ID or null. */
export async function imageIdOf(engine: EngineName, reference: string): Promise<string | null> {
  const r = await runCommand(engine, ['image', 'inspect', '--format', '{{.Id}}', reference], { timeoutMs: 60_000 });
  if (r.status !== 0) return null;
  const id = r.stdout.toString('utf8').trim();
  return id === '' ? null : id.startsWith('sha256:') ? id : `sha256:${id}`;
}

export async function loadImage(engine: EngineName, archive: string): Promise<{ ok: boolean; message: string }> {
  const r = await runCommand(engine, ['load', '-i', archive], { timeoutMs: 300_000 });
  const text = `${r.stdout.toString('utf8')}\n${r.stderr}`;
  if (r.status === 0) return { ok: true, message: lastLine(r.stdout.toString('utf8')) };
  if (r.error === 'timeout') return { ok: false, message: 'timed out' };
  // podman lists one attempt per transport; the docker-archive attempt says what was wrong.
  const dockerArchive = text.split('\n').find((l) => /\* docker-archive: /.test(l));
  return { ok: false, message: dockerArchive ? dockerArchive.trim().replace(/^\* /, '') : lastLine(text) };
}

/** Runs the image once, without network, removing the container afterwards. */
export async function runImage(engine: EngineName, image: string, args: string[], stdin: Uint8Array, timeoutMs: number): Promise<RunOutcome> {
  // A name lets a timed-out container be removed; it is not part of any archive.
  const name = `golf-verify-${process.pid}-${Date.now()}`;
  const options = ['run', '--rm', '--network=none', '--name', name, ...(stdin.length ? ['-i'] : []), ...(engine === 'podman' ? PODMAN_RUN_OPTIONS : [])];
  const r = await runCommand(engine, [...options, image, ...args], { input: stdin, timeoutMs });
  if (r.error === 'timeout') await runCommand(engine, ['rm', '-f', name], { timeoutMs: 60_000 });
  return r;
}

export async function removeImage(engine: EngineName, id: string): Promise<boolean> {
  const r = await runCommand(engine, ['rmi', '-f', id], { timeoutMs: 120_000 });
  return r.status === 0;
}

export async function tagImage(engine: EngineName, id: string, tag: string): Promise<boolean> {
  const r = await runCommand(engine, ['tag', id, tag], { timeoutMs: 60_000 });
  return r.status === 0;
}
