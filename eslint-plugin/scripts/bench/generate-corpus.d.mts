// Types for the plain-JS corpus generator, shared by the lint and codemods benchmarks.
/** Writes `files` generated TypeScript files under `dir/src` plus `dir/tsconfig.json`; returns their relative paths. */
export function generateCorpus(dir: string, options?: { readonly files?: number; readonly seed?: number }): string[];
