// The rules run unchanged on Vue single-file components and Svelte components (issue 15 item 10), parsed by
// the real vue-eslint-parser and svelte-eslint-parser, in the configurations the README documents.
import { Linter } from 'eslint';
import svelteParser from 'svelte-eslint-parser';
import tseslint from 'typescript-eslint';
import vueParser from 'vue-eslint-parser';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';

type Preset = 'recommended' | 'strict';

function lint(filename: string, code: string, preset: Preset = 'recommended'): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  return linter.verify(
    code,
    [
      { files: ['**/*.vue'], languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } } },
      { files: ['**/*.svelte'], languageOptions: { parser: svelteParser, parserOptions: { parser: tseslint.parser } } },
      { ...plugin.configs[preset], files: ['**/*.vue', '**/*.svelte'] },
    ],
    { filename },
  );
}

/** `rule@line` for every bounded-http report; a parse error fails the test with its message. */
function reports(filename: string, code: string, preset: Preset = 'recommended'): string[] {
  const messages = lint(filename, code, preset);
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${filename} did not parse: ${fatal.message}`);
  return messages.filter((message) => message.ruleId?.startsWith('bounded-http/')).map((message) => `${String(message.ruleId).replace('bounded-http/', '')}@${String(message.line)}`);
}

const VUE_OPTIONS_API = `<template>
  <button @click="load">Load</button>
</template>

<script>
import axios from 'axios';

export default {
  methods: {
    async load() {
      this.items = (await axios.get('/api/items')).data;
      this.user = await fetch('/api/user', { signal: AbortSignal.timeout(5000) });
    },
  },
};
</script>
`;

const VUE_SCRIPT_SETUP = `<script setup lang="ts">
import { ref } from 'vue';
import { $fetch } from 'ofetch';

const items = ref<string[]>([]);
const response = await fetch('/api/items');
const user = await $fetch<{ name: string }>('/api/user', { timeout: 5000 });
</script>

<script lang="ts">
export const loadStatus = () => fetch('/api/status', { signal: AbortSignal.timeout(1000) });
</script>

<template>
  <ul><li v-for="item in items" :key="item">{{ item }}</li></ul>
</template>
`;

const SVELTE_COMPONENT = `<script context="module" lang="ts">
  import http from 'node:http';
  export const ping = (url: string) => http.get(url, (res) => res.resume());
</script>

<script lang="ts">
  import { onMount } from 'svelte';
  import wretch from 'wretch';
  let items: string[] = [];
  onMount(async () => {
    items = await fetch('/api/items', { signal: AbortSignal.timeout(5000) }).then((r) => r.json());
    await wretch('/api/log').post({ mounted: true }).res();
  });
</script>

{#each items as item}
  <p>{item}</p>
{/each}
<button on:click={() => fetch('/api/click')}>click</button>
`;

describe('rules on framework files', () => {
  it('vue-eslint-parser: a classic <script> block', () => {
    expect(reports('Items.vue', VUE_OPTIONS_API)).toEqual(['no-unbounded-client@11']);
  });

  it('vue-eslint-parser: <script setup lang="ts"> beside a plain <script lang="ts">', () => {
    expect(reports('Items.vue', VUE_SCRIPT_SETUP)).toEqual(['no-unbounded-fetch@6']);
    // ofetch's timeout ends at the headers: strict also wants a total deadline there.
    expect(reports('Items.vue', VUE_SCRIPT_SETUP, 'strict')).toEqual(['no-unbounded-fetch@6', 'no-idle-only-timeout@7']);
  });

  it('vue-eslint-parser: suggestions edit the script block in place', () => {
    const [message] = lint('Items.vue', VUE_SCRIPT_SETUP).filter((candidate) => candidate.ruleId === 'bounded-http/no-unbounded-fetch');
    const fix = message?.suggestions?.[0]?.fix;
    if (!fix) throw new Error('expected a suggestion on the unbounded fetch');
    const fixed = VUE_SCRIPT_SETUP.slice(0, fix.range[0]) + fix.text + VUE_SCRIPT_SETUP.slice(fix.range[1]);
    expect(fixed).toContain("const response = await fetch('/api/items', { signal: AbortSignal.timeout(30_000) });");
    expect(reports('Items.vue', fixed)).toEqual([]);
  });

  it('svelte-eslint-parser: module and instance scripts, and expressions in the markup', () => {
    expect(reports('Items.svelte', SVELTE_COMPONENT)).toEqual(['no-unbounded-node-request@3', 'no-unbounded-client@12', 'no-unbounded-fetch@19']);
  });

  it('a component with no client stays silent', () => {
    expect(reports('Plain.vue', '<script setup>\nconst count = 1;\n</script>\n<template><p>{{ count }}</p></template>\n')).toEqual([]);
    expect(reports('Plain.svelte', '<script>\n  let count = 0;\n</script>\n<button on:click={() => count++}>{count}</button>\n')).toEqual([]);
  });
});
