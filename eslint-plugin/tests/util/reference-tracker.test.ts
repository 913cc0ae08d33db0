import { CALL, READ } from '@eslint-community/eslint-utils';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';

import { getReferenceTracker } from '../../src/util/reference-tracker.js';

/** Runs the tracker inside a real lint pass and returns the source text of every tracked node. */
function tracked(code: string, globals: Record<string, 'readonly'> = {}): string[] {
  const found: string[] = [];
  const linter = new Linter();
  linter.verify(code, {
    languageOptions: { parser: tsParser, globals, sourceType: 'module' },
    plugins: {
      probe: {
        rules: {
          probe: {
            create(context) {
              return {
                'Program:exit'() {
                  const tracker = getReferenceTracker(context.sourceCode as never);
                  const sourceCode = context.sourceCode as unknown as { getText(node: unknown): string };
                  const traceMap = { fetch: { [CALL]: true }, http: { [READ]: true } };
                  for (const { node } of tracker.iterateGlobalReferences(traceMap)) {
                    found.push(sourceCode.getText(node));
                  }
                  for (const { node } of tracker.iterateEsmReferences({ 'node:http': { request: { [CALL]: true } } })) {
                    found.push(sourceCode.getText(node));
                  }
                },
              };
            },
          },
        },
      },
    },
    rules: { 'probe/probe': 'error' },
  });
  return found;
}

describe('getReferenceTracker', () => {
  const code = 'fetch("a"); const g = fetch; g("b"); globalThis.fetch("c");';

  it('finds undeclared globals, their aliases and globalThis members', () => {
    expect(tracked(code).sort()).toEqual(['fetch("a")', 'g("b")', 'globalThis.fetch("c")']);
  });

  it('finds the same references when the globals are declared', () => {
    expect(tracked(code, { fetch: 'readonly', globalThis: 'readonly' }).sort()).toEqual(['fetch("a")', 'g("b")', 'globalThis.fetch("c")']);
  });

  it('respects a local declaration that shadows the global', () => {
    expect(tracked('function fetch(u: string) { return u; } fetch("a");')).toEqual([]);
    expect(tracked('function f(fetch: (u: string) => void) { fetch("a"); }')).toEqual([]);
  });

  it('still resolves ESM imports, including CommonJS-style named imports', () => {
    expect(tracked('import { request } from "node:http"; request("x");')).toEqual(['request("x")']);
  });
});
