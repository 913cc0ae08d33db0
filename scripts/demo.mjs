#!/usr/bin/env node
// `npm run demo`: the whole story on the bundled example, one section per part of the toolkit.
// Each section runs the real tool; a part that is not built yet says so instead of faking output.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function section(title) {
  process.stdout.write(`\n${'='.repeat(72)}\n${title}\n${'='.repeat(72)}\n`);
}

function run(command, args) {
  process.stdout.write(`$ ${[command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

function ensureBuilt() {
  const needed = ['eslint-plugin/dist/index.js', 'codemods/dist/cli.js', 'reference-listener/dist/index.js'];
  if (needed.every((file) => existsSync(join(root, file)))) return;
  section('Building the workspace (first run only)');
  if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1);
}

ensureBuilt();

const steps = [
  {
    title: '1. Audit and fix the example service (examples/service) with the bounded-http CLI',
    script: 'scripts/demo/codemods.mjs',
  },
  {
    title: '2. The reference listener rides out a stalling broker',
    script: 'scripts/demo/listener.mjs',
  },
];

let failed = false;
for (const step of steps) {
  section(step.title);
  if (!existsSync(join(root, step.script))) {
    process.stdout.write(`(not built yet: ${step.script} does not exist; this part of the toolkit has not landed)\n`);
    continue;
  }
  const status = run(process.execPath, [step.script]);
  if (status !== 0) {
    process.stdout.write(`demo step failed with exit code ${status}\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
