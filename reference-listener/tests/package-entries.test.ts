// The package's two entries: the template's surface, and the test doubles on `./testing`. A fake broker
// reachable from the main entry would be copied into production along with the template.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import * as main from '../src/index.js';
import * as testing from '../src/testing.js';

describe('package entries', () => {
  it('keeps the fake broker out of the main entry and exports it from ./testing', () => {
    for (const name of ['startFakeBroker', 'startSilentServer', 'BrokerLedger', 'FaultPlan', 'startHandOffSink', 'runKillCampaign']) {
      expect({ name, inMain: name in main }).toEqual({ name, inMain: false });
      expect({ name, inTesting: typeof (testing as Record<string, unknown>)[name] }).toEqual({ name, inTesting: 'function' });
    }
  });

  it('maps ./testing to the built testing entry in package.json exports', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
    expect(manifest.exports['./testing']).toEqual({ types: './dist/testing.d.ts', default: './dist/testing.js' });
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  });
});
