#!/usr/bin/env node
// The qingyuan CLI. Sources are TypeScript; `npm install` (prepare) and `npm start` build dist/.
import { runCli } from '../dist/index.js';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
