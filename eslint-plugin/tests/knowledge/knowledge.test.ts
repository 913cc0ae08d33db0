import { describe, expect, it } from 'vitest';

import {
  CLIENT_FAMILIES,
  FAMILY_IDS,
  TIMER_OPTION_KEYS,
  disablesTimer,
  familiesOfModule,
  getFamily,
  isModuleOfFamily,
  locateOptionsArgument,
  optionsArgumentIndex,
} from '../../src/knowledge/index.js';

describe('client knowledge base', () => {
  it('lists each family once, with a rule area and at least one source', () => {
    expect(new Set(FAMILY_IDS).size).toBe(CLIENT_FAMILIES.length);
    for (const family of CLIENT_FAMILIES) expect(family.sources.length).toBeGreaterThan(0);
  });

  it('recognises built-in modules with and without the node: prefix', () => {
    for (const specifier of ['http', 'node:http', 'https', 'node:https']) {
      expect(isModuleOfFamily(specifier, 'node-http')).toBe(true);
    }
    expect(isModuleOfFamily('node:http2', 'node-http')).toBe(false);
    expect(familiesOfModule('undici').map((family) => family.id)).toEqual(['fetch', 'undici']);
    expect(familiesOfModule('left-pad')).toEqual([]);
  });

  it('places axios options by method: config second for get, third for post', () => {
    expect(optionsArgumentIndex('axios', 'get', ['url'])).toEqual({ index: 1, present: false, placeholders: [] });
    expect(optionsArgumentIndex('axios', 'post', ['url'])).toEqual({ index: 2, present: false, placeholders: ['undefined'] });
    expect(optionsArgumentIndex('axios', 'post', ['url', 'object', 'object'])).toEqual({ index: 2, present: true, placeholders: [] });
    expect(optionsArgumentIndex('axios', 'request', ['object'])).toEqual({ index: 0, present: true, placeholders: [] });
  });

  it('reads axios(config) and axios(url, config) and refuses to guess axios(x)', () => {
    expect(optionsArgumentIndex('axios', null, ['object'])).toEqual({ index: 0, present: true, placeholders: [] });
    expect(optionsArgumentIndex('axios', null, ['url', 'object'])).toEqual({ index: 1, present: true, placeholders: [] });
    expect(optionsArgumentIndex('axios', null, ['unknown'])).toBeUndefined();
  });

  it('puts node options before the response callback', () => {
    expect(optionsArgumentIndex('node-http', 'get', ['url', 'function'])).toEqual({ index: 1, present: false, placeholders: [] });
    expect(optionsArgumentIndex('node-http', 'request', ['object', 'function'])).toEqual({ index: 0, present: true, placeholders: [] });
  });

  it('knows instance methods and that superagent takes no options argument', () => {
    expect(optionsArgumentIndex('undici', 'request', ['object'], true)).toEqual({ index: 0, present: true, placeholders: [] });
    expect(optionsArgumentIndex('superagent', 'get', ['url'])).toBeUndefined();
    expect(locateOptionsArgument({ kind: 'index', index: 1 }, [])).toEqual({ index: 1, present: false, placeholders: ['undefined'] });
  });

  it("fills a missing needle body with null, which @types/needle's BodyData takes and undefined is not", () => {
    expect(optionsArgumentIndex('needle', null, ['url', 'url'])).toEqual({ index: 3, present: false, placeholders: ['null'] });
    expect(optionsArgumentIndex('needle', null, ['url', 'url', 'object'])).toEqual({ index: 3, present: false, placeholders: [] });
    expect(locateOptionsArgument({ kind: 'index', index: 3, placeholders: { 2: 'null' } }, ['url'])).toEqual({ index: 3, present: false, placeholders: ['undefined', 'null'] });
  });

  it('classifies timers: got timeout.request is a deadline, axios timeout idle, fetch timeout ignored', () => {
    const kindAt = (id: Parameters<typeof getFamily>[0], path: string[]) =>
      getFamily(id).timers.find((timer) => timer.path.join('.') === path.join('.'))?.kind;
    expect(kindAt('got', ['timeout', 'request'])).toBe('deadline');
    expect(kindAt('got', ['timeout', 'response'])).toBe('phase');
    expect(kindAt('axios', ['timeout'])).toBe('idle');
    expect(kindAt('fetch', ['timeout'])).toBe('ignored');
    expect(kindAt('undici', ['bodyTimeout'])).toBe('idle');
  });

  it('knows which values disable a timer', () => {
    const axiosTimeout = getFamily('axios').timers[0];
    if (!axiosTimeout) throw new Error('axios has a timeout timer');
    for (const off of [0, Number.POSITIVE_INFINITY, false, null, undefined]) expect(disablesTimer(axiosTimeout, off)).toBe(true);
    expect(disablesTimer(axiosTimeout, 5000)).toBe(false);
    expect(TIMER_OPTION_KEYS).toEqual(expect.arrayContaining(['timeout', 'headersTimeout', 'bodyTimeout', 'connectTimeout', 'connect', 'socketTimeout']));
  });
});

describe('the ./knowledge export other packages import', () => {
  it('resolves through the package exports to the same data', async () => {
    // The codemods import the built subpath; `npm test` builds before vitest runs.
    const published = await import('eslint-plugin-bounded-http/knowledge');
    expect(published.FAMILY_IDS).toEqual(FAMILY_IDS);
    expect(published.optionsArgumentIndex('axios', 'patch', ['url', 'object'])).toEqual({ index: 2, present: false, placeholders: [] });
  });
});
