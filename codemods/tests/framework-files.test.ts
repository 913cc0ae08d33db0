import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { isSourceFile } from '../src/discover-files.js';
import { findSites } from '../src/find-sites.js';
import { type FixOptions, fixFile } from '../src/fix-file.js';
import { applyScriptViewEdits, scriptBlocks, scriptViewOf } from '../src/framework-files.js';
import { createFileProcessor } from '../src/process-file.js';

const options: FixOptions = { timeoutMs: 30_000, strict: false, allowAbortSignalAny: true };

const VUE = `<template>
  <!-- <script>fetch('/commented')</script> -->
  <button @click="reload">Reload</button>
</template>

<script lang="ts">
import got from 'got';
export const api = got.extend({ prefixUrl: '/api' });
</script>

<script setup lang="ts">
const items = await fetch('/api/items');
const user = await api.get('user');
</script>

<style scoped>
button { color: red; }
</style>
`;

const VUE_FIXED = `<template>
  <!-- <script>fetch('/commented')</script> -->
  <button @click="reload">Reload</button>
</template>

<script lang="ts">
import got from 'got';
export const api = got.extend({ prefixUrl: '/api', timeout: { request: 30_000 } });
</script>

<script setup lang="ts">
const items = await fetch('/api/items', { signal: AbortSignal.timeout(30_000) });
const user = await api.get('user');
</script>

<style scoped>
button { color: red; }
</style>
`;

const SVELTE = `<script context="module">
  import http from 'node:http';
  export const ping = (url) => http.get(url, (res) => res.resume());
</script>

<script>
  let items = [];
  const load = async () => { items = await (await fetch('/api/items')).json(); };
</script>

<button on:click={load}>Load {items.length}</button>
`;

const SVELTE_FIXED = `<script context="module">
  import http from 'node:http';
  export const ping = (url) => http.get(url, { signal: AbortSignal.timeout(30_000) }, (res) => res.resume());
</script>

<script>
  let items = [];
  const load = async () => { items = await (await fetch('/api/items', { signal: AbortSignal.timeout(30_000) })).json(); };
</script>

<button on:click={load}>Load {items.length}</button>
`;

describe('Vue and Svelte components in audit and fix', () => {
  it('discovers .vue and .svelte files', () => {
    expect(isSourceFile('src/components/Items.vue')).toBe(true);
    expect(isSourceFile('src/routes/+page.svelte')).toBe(true);
  });

  it('finds the script blocks, skipping HTML comments and non-JavaScript script types', () => {
    const blocks = scriptBlocks(VUE);
    expect(blocks.map((block) => VUE.slice(block.start, block.end).trim().split('\n')[0])).toEqual(["import got from 'got';", "const items = await fetch('/api/items');"]);
    expect(blocks.every((block) => block.typescript)).toBe(true);
    const mixed = '<script type="text/x-template"><div/></script><script>fetch(a)</script>';
    expect(scriptBlocks(mixed).map((block) => mixed.slice(block.start, block.end))).toEqual(['fetch(a)']);
  });

  it('audits the script blocks at the component\'s own lines and columns, one module scope for both Vue blocks', () => {
    const sites = findSites(VUE, 'src/Items.vue', { config: 'recommended' });
    expect(sites.map((site) => `${site.ruleId}@${String(site.line)}:${String(site.column)}`)).toEqual(['no-unbounded-client@8:20', 'no-unbounded-fetch@12:21']);
    expect(VUE.slice(sites[1]?.range[0], sites[1]?.range[1])).toBe("fetch('/api/items')");
    const svelteSites = findSites(SVELTE, 'src/Items.svelte', { config: 'recommended' });
    expect(svelteSites.map((site) => `${site.ruleId}@${String(site.line)}`)).toEqual(['no-unbounded-node-request@3', 'no-unbounded-fetch@8']);
  });

  it('fixes inside the script blocks and keeps the rest of the component byte-for-byte', () => {
    const vue = fixFile(VUE, 'src/Items.vue', options);
    expect(vue.text).toBe(VUE_FIXED);
    const svelte = fixFile(SVELTE, 'src/Items.svelte', options);
    expect(svelte.text).toBe(SVELTE_FIXED);
  });

  it('is idempotent, and the fixed components audit clean', () => {
    expect(fixFile(VUE_FIXED, 'src/Items.vue', options)).toEqual({ text: VUE_FIXED, changed: false, outcomes: [], remaining: 0 });
    expect(fixFile(SVELTE_FIXED, 'src/Items.svelte', options)).toEqual({ text: SVELTE_FIXED, changed: false, outcomes: [], remaining: 0 });
    expect(findSites(VUE_FIXED, 'src/Items.vue', { config: 'recommended' })).toEqual([]);
  });

  it('keeps CRLF line endings and text around the blocks', () => {
    const crlf = VUE.replace(/\n/gu, '\r\n');
    expect(fixFile(crlf, 'src/Items.vue', options).text).toBe(VUE_FIXED.replace(/\n/gu, '\r\n'));
  });

  it('refuses an edit that would land outside a script block', () => {
    const view = scriptViewOf(VUE, 'src/Items.vue');
    if (!view) throw new Error('a .vue file has a script view');
    expect(applyScriptViewEdits(VUE, view, `import x from 'y';\n${view.text}`)).toBeUndefined();
    expect(applyScriptViewEdits(VUE, view, view.text)).toBe(VUE);
  });

  it('the file processor audits a component and fixes it, re-checking the fixed text', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'bounded-http-vue-'));
    try {
      const file = path.join(repo, 'Items.vue');
      writeFileSync(file, VUE);
      const audit = (await createFileProcessor({ command: 'audit', config: 'recommended' }))({ path: file, repo });
      expect(audit.record.status).toBe('findings');
      expect(audit.record.sites.map((site) => site.location.line)).toEqual([8, 12]);
      const fix = (await createFileProcessor({ command: 'fix', fixOptions: { timeoutMs: 30_000, strict: false }, nodeVersion: '>=20.3', dryRun: false }))({ path: file, repo });
      expect(fix.record.status).toBe('fixed');
      expect(fix.record.remaining).toBe(0);
      expect(fix.newText).toBe(VUE_FIXED);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('a component without script blocks has nothing to audit', () => {
    expect(findSites('<template><p>{{ fetch }}</p></template>\n', 'src/Plain.vue', { config: 'recommended' })).toEqual([]);
  });
});
// TODO(false negative): expressions in Vue templates and Svelte markup (`on:click={() => fetch(url)}`) are blanked in
// the script view; ESLint with svelte-eslint-parser reports them, the zero-config audit does not.
