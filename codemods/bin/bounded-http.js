#!/usr/bin/env node
// The bin npm links. It is committed, not built: npm links bins at install time, before `npm run build` has
// written dist/, so in a fresh clone a bin pointing into dist/ would never be linked and `npx bounded-http`
// would not run this repository's CLI. The published package ships dist/, so there it simply runs.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('bounded-http: the CLI is not built yet (no dist/cli.js)\n  fix: run npm run build in the repository first\n');
  process.exit(2);
}
await import(cli.href);
