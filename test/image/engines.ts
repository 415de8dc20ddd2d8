// Real container engines for the end-to-end tests: a private docker daemon started by the test
// (and stopped by its pid) and podman with private storage, so nothing of the machine's own
// engines is touched. Each says why it is not available instead of failing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestEngines {
  /** Environment for golf (and the clients) pointing at the private engines. */
  env: Record<string, string>;
  docker: string | null;
  podman: string | null;
  /** Why an engine is missing, one line each. */
  missing: string[];
  stop: () => Promise<void>;
}

const onPath = (command: string): boolean => !spawnSync(command, ['--version'], { stdio: 'ignore' }).error;

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

async function startDockerd(dir: string): Promise<{ host: string; child: ChildProcess } | string> {
  if (!onPath('dockerd') || !onPath('docker')) return 'docker: dockerd or the docker client is not installed (apt-get install docker.io)';
  const sock = join(dir, 'docker.sock');
  const host = `unix://${sock}`;
  const log = openSync(join(dir, 'dockerd.log'), 'w');
  const child = spawn(
    'dockerd',
    ['--iptables=false', '--ip6tables=false', '--bridge=none', '--storage-driver=overlay2', `--host=${host}`, `--data-root=${join(dir, 'd')}`, `--exec-root=${join(dir, 'x')}`, `--pidfile=${join(dir, 'dockerd.pid')}`],
    { stdio: ['ignore', log, log] },
  );
  const up = await waitFor(() => child.exitCode === null && spawnSync('docker', ['version'], { env: { ...process.env, DOCKER_HOST: host }, stdio: 'ignore' }).status === 0, 60_000);
  if (!up) {
    child.kill('SIGKILL');
    const tail = readFileSync(join(dir, 'dockerd.log'), 'utf8').trim().split('\n').slice(-1)[0] ?? '';
    return `docker: dockerd did not start (${tail})`;
  }
  return { host, child };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export async function startTestEngines(): Promise<TestEngines> {
  const dir = mkdtempSync(join(tmpdir(), 'golf-eng-'));
  const env: Record<string, string> = {};
  const missing: string[] = [];
  let docker: string | null = null;
  let podman: string | null = null;
  let child: ChildProcess | null = null;

  const d = await startDockerd(dir);
  if (typeof d === 'string') missing.push(d);
  else {
    child = d.child;
    env.DOCKER_HOST = d.host;
    docker = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, DOCKER_HOST: d.host }, encoding: 'utf8' }).stdout.trim();
  }

  if (!onPath('podman')) missing.push('podman: not installed (apt-get install podman runc)');
  else {
    // Private storage (vfs: no mounts left behind) so the machine's images are never touched.
    const conf = join(dir, 'storage.conf');
    writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'p-root')}"\nrunroot = "${join(dir, 'p-run')}"\n`);
    env.CONTAINERS_STORAGE_CONF = conf;
    const v = spawnSync('podman', ['version', '--format', '{{.Client.Version}}'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (v.status === 0) podman = v.stdout.trim();
    else missing.push(`podman: podman version failed (${v.stderr.trim().split('\n').pop()})`);
  }

  return {
    env,
    docker,
    podman,
    missing,
    stop: async () => {
      if (child) await stopChild(child);
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
