import type { Linter } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { collectFiles, sweepInProcess } from '../../scripts/crash-sweep.mjs';

const nodeModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));

/** A fixed, varied sample: CommonJS, ESM, TypeScript declarations and sources from a few packages. */
function sampleFiles(): string[] {
  const take = (relativeDir: string, count: number, filter: (file: string) => boolean = () => true) =>
    collectFiles([path.join(nodeModules, relativeDir)]).filter(filter).slice(0, count);
  return [
    ...take('undici/lib', 70),
    ...take('undici/types', 30, (file) => file.endsWith('.ts')),
    ...take('semver', 40),
    ...take('@typescript-eslint/utils/dist', 40, (file) => file.endsWith('.js')),
    ...take('prom-client/lib', 20),
  ];
}

describe('crash sweep', () => {
  it('runs every rule over a fixed sample of real node_modules files without a rule exception', () => {
    const files = sampleFiles();
    expect(files.length).toBeGreaterThanOrEqual(180);
    const summary = sweepInProcess(files);
    expect(summary.crashes.map((crash) => `${crash.ruleId} on ${crash.file}: ${crash.message}`)).toEqual([]);
    // Nearly all of these parse; a sample that mostly fails to parse would test nothing.
    expect(summary.covered).toBeGreaterThanOrEqual(files.length - 5);
    // A generous limit, not a speed goal: about 200 parses take seconds on an idle machine, far more on a busy one.
  }, 180_000);

  describe('tells rule crashes from parse errors', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'crash-sweep-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    it('skips and counts a file no parser reads, and reports a throwing rule with its id, file and stack', () => {
      const good = path.join(directory, 'good.js');
      const broken = path.join(directory, 'broken.js');
      const trigger = path.join(directory, 'trigger.ts');
      writeFileSync(good, "import http from 'node:http';\nhttp.globalAgent.maxSockets = 1;\n");
      writeFileSync(broken, 'const = ;\n');
      writeFileSync(trigger, 'export const marker: number = 1;\n');
      const throwsOnMarker: Linter.Config = {
        plugins: {
          probe: {
            rules: {
              'throws-on-marker': {
                create: (context) => ({
                  Identifier(node: { name: string }) {
                    if (node.name === 'marker') throw new Error(`probe failure in ${path.basename(context.filename)}`);
                  },
                }),
              },
            },
          },
        },
        rules: { 'probe/throws-on-marker': 'error' },
      };
      const summary = sweepInProcess([good, broken, trigger], { extraConfigs: [throwsOnMarker] });
      expect(summary).toMatchObject({ covered: 1, parseErrors: 1, unreadable: 0 });
      expect(summary.crashes).toHaveLength(1);
      expect(summary.crashes[0]).toMatchObject({ file: trigger, ruleId: 'probe/throws-on-marker' });
      expect(summary.crashes[0]?.stack).toContain('probe failure in trigger.ts');
    });
  });
});
