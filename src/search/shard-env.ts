/**
 * `--shard auto`: which shard this process is, from the variables the scheduler sets.
 * - Slurm job arrays: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN and, for
 *   `--array=1-7:2`, SLURM_ARRAY_TASK_STEP (and _MAX). Task IDs need not start at 1 (`--array=0-3`
 *   or `--array=5-8` are the same four shards); an array with gaps (`--array=1,4,9`) cannot be
 *   mapped onto I/N and is refused.
 * - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX (0-based). Kubernetes does not put the number of
 *   completions into the pod's environment, so the count is given as `--shard auto/N`.
 */
export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export interface ShardFromEnvironment {
  shard: Shard;
  /** Which variables decided it, for the partial result and the progress line. */
  source: string;
}

export class ShardEnvironmentError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string): number | null {
  const v = env[name];
  if (v === undefined || v.trim() === '') return null;
  if (!/^[0-9]+$/.test(v.trim())) throw new ShardEnvironmentError(`${name} is "${v}", not a non-negative integer`);
  return Number(v.trim());
}

/** The shard of this process; `count` is the N of `--shard auto/N`, when given. */
export function shardFromEnvironment(env: NodeJS.ProcessEnv, count?: number): ShardFromEnvironment {
  const id = integer(env, 'SLURM_ARRAY_TASK_ID');
  if (id !== null) {
    const tasks = integer(env, 'SLURM_ARRAY_TASK_COUNT');
    const min = integer(env, 'SLURM_ARRAY_TASK_MIN') ?? 1;
    const max = integer(env, 'SLURM_ARRAY_TASK_MAX');
    const step = integer(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    if (tasks === null) throw new ShardEnvironmentError('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not');
    if (step === 0) throw new ShardEnvironmentError('SLURM_ARRAY_TASK_STEP is 0');
    if (max !== null && (max - min) / step + 1 !== tasks) {
      throw new ShardEnvironmentError(`the job array has gaps (${tasks} tasks between ${min} and ${max}): give it as one range, e.g. --array=1-${tasks}`);
    }
    const offset = id - min;
    if (offset < 0 || offset % step !== 0 || offset / step >= tasks) {
      throw new ShardEnvironmentError(`SLURM_ARRAY_TASK_ID ${id} is not in the array ${min}-${min + (tasks - 1) * step}${step > 1 ? `:${step}` : ''}`);
    }
    if (count !== undefined && count !== tasks) throw new ShardEnvironmentError(`--shard auto/${count} but the Slurm job array has ${tasks} tasks`);
    return { shard: { index: offset / step, count: tasks }, source: `SLURM_ARRAY_TASK_ID=${id} of ${tasks} (from ${min})` };
  }
  const k8s = integer(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== null) {
    if (count === undefined) throw new ShardEnvironmentError('JOB_COMPLETION_INDEX is set: give the number of completions as --shard auto/N (Kubernetes does not export it)');
    if (k8s >= count) throw new ShardEnvironmentError(`JOB_COMPLETION_INDEX ${k8s} is not below the ${count} shards of --shard auto/${count}`);
    return { shard: { index: k8s, count }, source: `JOB_COMPLETION_INDEX=${k8s} of ${count}` };
  }
  throw new ShardEnvironmentError('--shard auto needs a Slurm job array (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX); elsewhere give --shard I/N');
}
