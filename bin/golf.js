#!/usr/bin/env node
// Entry point for the `golf` command: runs the compiled CLI (built by `npm install` via `prepare`).
import { main } from '../dist/src/cli.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`golf: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
