// --shard auto: the scheduler's variables mapped onto shard I of N.
import { describe, expect, it } from 'vitest';
import { shardFromEnvironment } from '../../src/search/shard-env.js';

const slurm = (id: number, count: number, min?: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_COUNT: String(count), ...(min === undefined ? {} : { SLURM_ARRAY_TASK_MIN: String(min) }), ...extra,
});

describe('shards from the environment', () => {
  it('Slurm arrays, from whatever task ID they start at', () => {
    expect(shardFromEnvironment(slurm(1, 4, 1)).shard).toEqual({ index: 0, count: 4 });
    expect(shardFromEnvironment(slurm(4, 4, 1)).shard).toEqual({ index: 3, count: 4 });
    expect(shardFromEnvironment(slurm(0, 4, 0)).shard).toEqual({ index: 0, count: 4 });
    expect(shardFromEnvironment(slurm(7, 4, 5)).shard).toEqual({ index: 2, count: 4 });
    // --array=1-7:2 is tasks 1, 3, 5, 7
    expect(shardFromEnvironment(slurm(5, 4, 1, { SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_MAX: '7' })).shard).toEqual({ index: 2, count: 4 });
    // No MIN exported (old Slurm): IDs start at 1.
    expect(shardFromEnvironment(slurm(2, 3)).shard).toEqual({ index: 1, count: 3 });
    expect(shardFromEnvironment(slurm(2, 3, 1)).source).toMatch(/SLURM_ARRAY_TASK_ID=2/);
  });

  it('refuses what cannot be one shard of N', () => {
    expect(() => shardFromEnvironment(slurm(9, 3, 1, { SLURM_ARRAY_TASK_MAX: '9' }))).toThrow(/gaps/);
    expect(() => shardFromEnvironment(slurm(5, 4, 1))).toThrow(/not in the array/);
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '1' })).toThrow(/SLURM_ARRAY_TASK_COUNT/);
    expect(() => shardFromEnvironment(slurm(1, 4, 1), 3)).toThrow(/4 tasks/);
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '2' })).toThrow(/not a non-negative integer/);
    expect(() => shardFromEnvironment({})).toThrow(/--shard I\/N/);
  });

  it('Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX is 0-based, the count comes from auto/N', () => {
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '0' }, 4).shard).toEqual({ index: 0, count: 4 });
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '3' }, 4).shard).toEqual({ index: 3, count: 4 });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '4' }, 4)).toThrow(/not below/);
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '1' })).toThrow(/auto\/N/);
  });
});
