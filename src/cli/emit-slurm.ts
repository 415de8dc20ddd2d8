/**
 * `golf search --emit slurm`: a submit script for a Slurm cluster. Run on a login node, it submits
 * the shards as one job array and `golf merge` as a second job that depends on the whole array
 * (--dependency=afterok: it runs only when every shard succeeded, and is cancelled if one fails,
 * --kill-on-invalid-dep=yes). Both batch scripts are given to sbatch on stdin, quoted, so nothing
 * in them is expanded at submission except where the comment says; partial results, logs and
 * the merged result go to one directory every node must see (Slurm clusters share one).
 */

/** Quotes one word for bash (single quotes; a single quote inside becomes '\''). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface SlurmJob {
  /** The command that starts golf on the nodes: node's path and bin/golf.js. */
  golf: string[];
  /** `golf search` arguments besides --shard, --partial and --workers (target, space, bound ...). */
  searchArgs: string[];
  /** `golf merge` arguments besides the partials (target, -o, --no-record). */
  mergeArgs: string[];
  shards: number;
  /** CPUs (worker threads) per shard. */
  cpusPerShard: number;
  /** Default directory for partials and logs (GOLF_SHARD_DIR overrides it when submitting). */
  dir: string;
  /** Job name: golf-<target>. */
  name: string;
  /** The command line that made the script, for its header. */
  madeBy: string;
}

export function slurmSubmitScript(job: SlurmJob): string {
  const golf = job.golf.map(shellQuote).join(' ');
  const search = [...job.searchArgs.map(shellQuote), '--shard', 'auto', '--workers', '"${SLURM_CPUS_PER_TASK:-1}"', '--partial', '"part-${SLURM_ARRAY_TASK_ID}.json"'].join(' ');
  const merge = [...job.mergeArgs.map(shellQuote), 'part-*.json', '--json'].join(' ');
  const name = shellQuote(job.name);
  return `#!/usr/bin/env bash
# ${job.shards} golf search shards as one Slurm job array, and golf merge as a job that starts when
# every shard has succeeded (--dependency=afterok). Written by:
#   ${job.madeBy}
# Submit it from a login node with: bash THIS-FILE. The shards, their logs and the merged result
# go to $GOLF_SHARD_DIR (default below), which every node must see. sbatch's own variables
# (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...) apply to both jobs. The nodes need node
# and golf at the paths below; edit the two "exec" lines if golf lives elsewhere there.
set -euo pipefail
dir=\${GOLF_SHARD_DIR:-${shellQuote(job.dir)}}
mkdir -p "$dir"
array=$(sbatch --parsable --job-name=${name} --array=1-${job.shards} --cpus-per-task=${job.cpusPerShard} --chdir="$dir" --output="$dir/shard-%a.log" <<'GOLF_SHARD'
#!/usr/bin/env bash
# Shard SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT: --shard auto reads both.
exec ${golf} search ${search}
GOLF_SHARD
)
array=\${array%%;*}
merge=$(sbatch --parsable --job-name=${shellQuote(`${job.name}-merge`)} --dependency=afterok:"$array" --kill-on-invalid-dep=yes --chdir="$dir" --output="$dir/merge.json" --error="$dir/merge.log" <<'GOLF_MERGE'
#!/usr/bin/env bash
exec ${golf} merge ${merge}
GOLF_MERGE
)
merge=\${merge%%;*}
echo "submitted job array $array (${job.shards} shards) and merge job $merge (after all of them); results in $dir"
echo "array=$array merge=$merge dir=$dir"
`;
}
