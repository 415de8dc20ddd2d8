/**
 * `--verify`: load an archive into a real engine, run it once with `--rm --network=none`, compare
 * stdout and the exit status with the target, and remove the image again, leaving the engine as it
 * was (an image that was already there stays, and a tag the archive took over is given back).
 */
import { bytesEqual, preview } from '../targets/bytes.js';
import { FILE_PLACEHOLDER, type Target } from '../targets/target.js';
import type { EngineName } from './acceptance.js';
import { withEngineLock } from './engine-lock.js';
import { engineStatus, imageIdOf, lastLine, loadImage, removeImage, runImage, tagImage } from './engine.js';

export interface EngineVerdict {
  engine: EngineName;
  /** The engine's version (docker: the daemon's), or null when it could not be asked. */
  version: string | null;
  /** 'pass' (same stdout and exit status), 'fail' (ran, differs or did not load), 'unavailable' (not installed, daemon down). */
  outcome: 'pass' | 'fail' | 'unavailable';
  /** One line: what happened. */
  detail: string;
  /** What the container printed and its exit status, when it ran. */
  stdout: string | null;
  exitCode: number | null;
  /** Engine messages on stderr during the run (warnings), if any. */
  stderr: string | null;
  /** The image was removed again (false when it was already there before the load). */
  removed: boolean;
}

/** A verdict's fields other than its outcome and the line describing it. */
type RunFields = Omit<EngineVerdict, 'outcome' | 'detail'>;

/** Container runs stop after this long (a runaway program must not hang the verification). */
const RUN_TIMEOUT_MS = 60_000;

export async function verifyWithEngine(o: { engine: EngineName; archive: string; imageId: string; tag: string | null; entry: string; target: Target }): Promise<EngineVerdict> {
  const { engine } = o;
  const status = await engineStatus(engine);
  const base: RunFields = { engine, version: status.version, stdout: null, exitCode: null, stderr: null, removed: false };
  if (status.problem) return { ...base, outcome: 'unavailable', detail: status.problem };
  // podman files a name without a registry host under localhost/; docker keeps it as given.
  const tagRef = o.tag === null ? null : engine === 'podman' && !o.tag.split('/')[0].includes('.') && !o.tag.startsWith('localhost/') ? `localhost/${o.tag}` : o.tag;
  // load, run and remove as one step no other golf interleaves with (see engine-lock.ts)
  return withEngineLock(engine, async () => {
    const existedBefore = (await imageIdOf(engine, o.imageId)) !== null;
    const tagBefore = tagRef ? await imageIdOf(engine, tagRef) : null;
    const loaded = await loadImage(engine, o.archive);
    if (!loaded.ok) return { ...base, outcome: 'fail', detail: `${engine} load refused the archive: ${loaded.message}` };
    const verdict = await runAndJudge(o, base, status.version);
    const removed = existedBefore ? false : await removeImage(engine, o.imageId);
    if (tagRef && tagBefore && tagBefore !== o.imageId) await tagImage(engine, tagBefore, tagRef);
    return { ...verdict, removed };
  });
}

async function runAndJudge(o: { engine: EngineName; imageId: string; entry: string; target: Target }, base: RunFields, version: string | null): Promise<EngineVerdict> {
  const { engine } = o;
  const args = o.target.argv.slice(1).map((a) => (a === FILE_PLACEHOLDER ? o.entry : a));
  const run = await runImage(engine, o.imageId, args, o.target.stdin, RUN_TIMEOUT_MS);
  if (run.error === 'timeout') return { ...base, outcome: 'fail', detail: `${engine} run did not finish within ${RUN_TIMEOUT_MS / 1000} s` };
  if (run.status === null) return { ...base, outcome: 'fail', detail: `${engine} run could not start (${run.error})` };
  const stdout = new Uint8Array(run.stdout);
  const ran = { ...base, stdout: run.stdout.toString('utf8'), exitCode: run.status, stderr: run.stderr.trim() === '' ? null : run.stderr.trim() };
  // 125: the client or daemon failed before the program ran (docker and podman both use it).
  if (run.status === 125 && o.target.exitCode !== 125) return { ...ran, outcome: 'fail', detail: `${engine} run failed: ${lastLine(run.stderr)}` };
  const problems: string[] = [];
  if (!bytesEqual(stdout, o.target.stdout)) problems.push(`stdout ${preview(stdout)}, target ${preview(o.target.stdout)}`);
  if (run.status !== o.target.exitCode) problems.push(`exit status ${run.status}, target ${o.target.exitCode}`);
  if (problems.length) return { ...ran, outcome: 'fail', detail: `${engine} ran it: ${problems.join('; ')}` };
  return { ...ran, outcome: 'pass', detail: `${engine} ${version} ran it: stdout ${preview(stdout)}, exit status ${run.status}` };
}
