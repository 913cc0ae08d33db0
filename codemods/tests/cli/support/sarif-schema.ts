import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// The official SARIF 2.1.0 JSON schema (draft-04), as Microsoft's sarif-js-sdk publishes it inside
// @microsoft/jest-sarif. Only the schema file is needed, so the package is fetched with `npm pack` into the
// repository's git-ignored .cache/ on first use instead of installing it and its runtime dependencies.
const spec = '@microsoft/jest-sarif@1.0.0-beta.0';
const schemaInPackage = 'lib/schemas/sarif-2.1.0-rtm.5.json';
const cacheDir = fileURLToPath(new URL('../../../../.cache/sarif-schema', import.meta.url));

export function sarifSchema(): Record<string, unknown> {
  const schemaPath = path.join(cacheDir, 'package', schemaInPackage);
  if (!existsSync(schemaPath)) {
    const staging = `${cacheDir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const [packed] = JSON.parse(execFileSync('npm', ['pack', spec, '--json', '--prefer-offline', '--pack-destination', staging], { encoding: 'utf8' })) as { filename: string }[];
    execFileSync('tar', ['-xzf', path.join(staging, packed?.filename ?? ''), '-C', staging]);
    rmSync(cacheDir, { recursive: true, force: true });
    renameSync(staging, cacheDir);
  }
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
}
