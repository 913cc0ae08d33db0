import { describe, expect, it } from 'vitest';

import { findSites, mayContainCandidates, SourceParseError } from '../src/find-sites.js';

describe('findSites', () => {
  it('names the file and position when the file does not parse', () => {
    expect(() => findSites('const x = fetch(;\n', 'src/broken.ts', { config: 'recommended' })).toThrow(SourceParseError);
    expect(() => findSites('const x = fetch(;\n', 'src/broken.ts', { config: 'recommended' })).toThrow(/src\/broken\.ts:1:\d+/u);
  });

  it('parses TSX without a config in the target', () => {
    expect(findSites('export const view = <div>{String(1)}</div>;\n', 'view.tsx', { config: 'strict' })).toEqual([]);
  });
});

describe('mayContainCandidates', () => {
  it('lets through a file that names a client', () => {
    expect(mayContainCandidates('await fetch(url)')).toBe(true);
    expect(mayContainCandidates("import axios from 'axios'")).toBe(true);
  });

  it('filters out a file with no client word at all', () => {
    expect(mayContainCandidates('export const sum = (a: number, b: number) => a + b;\n')).toBe(false);
    expect(mayContainCandidates('const forgotten = skyline;\n')).toBe(false);
  });

  it('derives its words from the knowledge base, node: prefixes and scopes included', () => {
    expect(mayContainCandidates("import { request } from 'node:https';")).toBe(true);
    expect(mayContainCandidates("import { HttpClient } from '@actions/http-client';")).toBe(true);
    expect(mayContainCandidates("const response = await got.post(url, { json });")).toBe(true);
  });
});
