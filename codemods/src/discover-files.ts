import ignore, { type Ignore } from 'ignore';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';

/**
 * The extensions the TypeScript parser reads, and Vue/Svelte components (their script blocks, see
 * framework-files.ts); declaration files hold no calls and are skipped.
 */
const sourceExtensions = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx', '.vue', '.svelte']);
/** Never descended into, whatever .gitignore says: installed and generated code is not the repo's to fix. */
const alwaysSkippedFolders = new Set(['node_modules', 'dist', '.git']);

export function isSourceFile(path: string): boolean {
  const name = basename(path);
  if (/\.d\.[cm]?ts$/.test(name)) return false;
  return sourceExtensions.has(extname(name));
}

/** One .gitignore, matched against paths relative to the folder that holds it (git's own semantics). */
interface IgnoreLayer {
  folder: string;
  matcher: Ignore;
}

function readIgnoreLayer(folder: string): IgnoreLayer | undefined {
  let text: string;
  try {
    text = readFileSync(join(folder, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { folder, matcher: ignore().add(text) };
}

/** Like git, the deepest .gitignore with an opinion wins, so a nested `!pattern` can re-include a file. */
function isIgnored(layers: readonly IgnoreLayer[], path: string, isDirectory: boolean): boolean {
  for (let index = layers.length - 1; index >= 0; index -= 1) {
    const layer = layers[index];
    if (!layer) continue;
    const rel = relative(layer.folder, path).split(sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    const verdict = layer.matcher.test(isDirectory ? `${rel}/` : rel);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/**
 * Every JS/TS source file under `path`, sorted, honouring each .gitignore from `repoRoot` down
 * (nested ones included) and skipping node_modules and dist. A path that names a file directly is
 * returned as long as it is a source file: the user asked for it by name.
 */
export function discoverFiles(path: string, repoRoot: string): string[] {
  const start = resolve(path);
  const stats = statSync(start);
  if (!stats.isDirectory()) return isSourceFile(start) ? [start] : [];

  // The .gitignore files of the folders above `start`, up to the repo root, apply to it too.
  const layers: IgnoreLayer[] = [];
  const ancestors: string[] = [];
  const insideRepo = start !== repoRoot && !relative(repoRoot, start).startsWith('..');
  for (let dir = dirname(start); insideRepo; dir = dirname(dir)) {
    ancestors.unshift(dir);
    if (dir === repoRoot || dirname(dir) === dir) break;
  }
  for (const dir of ancestors) {
    const layer = readIgnoreLayer(dir);
    if (layer) layers.push(layer);
  }
  if (isIgnored(layers, start, true)) return [];

  const files: string[] = [];
  const walk = (dir: string, inherited: readonly IgnoreLayer[]): void => {
    const own = readIgnoreLayer(dir);
    const active = own ? [...inherited, own] : inherited;
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (alwaysSkippedFolders.has(entry.name) || isIgnored(active, full, true)) continue;
        walk(full, active);
      } else if (entry.isFile() && isSourceFile(full) && !isIgnored(active, full, false)) {
        files.push(full);
      }
    }
  };
  walk(start, layers);
  return files;
}
