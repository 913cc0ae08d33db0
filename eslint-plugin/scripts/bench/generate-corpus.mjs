// A deterministic corpus of realistic TypeScript service code for benchmarks: the lint benchmark here and
// the codemods benchmark reuse it. The same `seed` and `files` always give byte-identical output (a seeded
// PRNG, never Math.random), so timings from two machines or two commits compare the same work.
//
// About a third of the files make HTTP calls, spread over every client family the plugin knows (fetch,
// node:http/https, undici, axios, got, ky, superagent, @actions/http-client), some bounded and some not; the
// rest is ordinary code (types, classes, collections, parsing), because real code bases are mostly that and
// the benchmark must show what the plugin costs on them.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** mulberry32: tiny, fast and good enough to pick templates; returns floats in [0, 1). */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nouns = ['order', 'invoice', 'customer', 'shipment', 'payment', 'account', 'session', 'job', 'runner', 'ticket', 'report', 'tenant', 'webhook', 'quota', 'lease'];
const verbs = ['fetch', 'load', 'sync', 'publish', 'refresh', 'resolve', 'submit', 'poll', 'notify', 'archive'];
const hosts = ['https://api.example.com', 'https://billing.internal', 'http://broker.local:8080', 'https://status.example.org'];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function capitalize(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** One HTTP call site per family; `bounded` decides whether it carries a deadline. */
const httpFamilies = [
  {
    imports: () => [],
    call: (n, url, bounded) =>
      bounded
        ? `const response = await fetch(\`${url}/${n}s/\${id}\`, { signal: AbortSignal.timeout(5_000) });\n  return (await response.json()) as ${capitalize(n)};`
        : `const response = await fetch(\`${url}/${n}s/\${id}\`);\n  return (await response.json()) as ${capitalize(n)};`,
  },
  {
    imports: () => [],
    call: (n, url, bounded) =>
      bounded
        ? `const controller = new AbortController();\n  const timer = setTimeout(() => controller.abort(), 10_000);\n  try {\n    const response = await globalThis.fetch(\`${url}/${n}s/\${id}\`, { signal: controller.signal });\n    return (await response.json()) as ${capitalize(n)};\n  } finally {\n    clearTimeout(timer);\n  }`
        : `const response = await globalThis.fetch(\`${url}/${n}s/\${id}\`, { method: 'GET' });\n  return (await response.json()) as ${capitalize(n)};`,
  },
  {
    imports: () => ["import https from 'node:https';"],
    call: (n, url, bounded) =>
      `return await new Promise<${capitalize(n)}>((resolve, reject) => {\n    const request = https.get(\`${url}/${n}s/\${id}\`, ${bounded ? '{ signal: AbortSignal.timeout(5_000) }, ' : ''}(response) => {\n      let body = '';\n      response.on('data', (chunk: string) => (body += chunk));\n      response.on('end', () => resolve(JSON.parse(body) as ${capitalize(n)}));\n    });\n    request.on('error', reject);\n  });`,
  },
  {
    imports: () => ["import { request } from 'node:http';"],
    call: (n, url, bounded) =>
      `return await new Promise<${capitalize(n)}>((resolve, reject) => {\n    const outgoing = request(\`${url}/${n}s/\${id}\`, { method: 'GET'${bounded ? ', timeout: 5_000' : ''} }, (response) => {\n      const chunks: Buffer[] = [];\n      response.on('data', (chunk: Buffer) => chunks.push(chunk));\n      response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ${capitalize(n)}));\n    });\n${bounded ? "    outgoing.on('timeout', () => outgoing.destroy(new Error('deadline exceeded')));\n" : ''}    outgoing.on('error', reject);\n    outgoing.end();\n  });`,
  },
  {
    imports: () => ["import { request as undiciRequest } from 'undici';"],
    call: (n, url, bounded) =>
      `const { body } = await undiciRequest(\`${url}/${n}s/\${id}\`${bounded ? ', { signal: AbortSignal.timeout(5_000) }' : ''});\n  return (await body.json()) as ${capitalize(n)};`,
  },
  {
    imports: () => ["import axios from 'axios';"],
    call: (n, url, bounded) =>
      `const { data } = await axios.get<${capitalize(n)}>(\`${url}/${n}s/\${id}\`${bounded ? ', { signal: AbortSignal.timeout(5_000) }' : ''});\n  return data;`,
  },
  {
    imports: () => ["import axios from 'axios';"],
    call: (n, url, bounded) =>
      `const client = axios.create({ baseURL: '${url}'${bounded ? ', timeout: 5_000' : ''} });\n  const { data } = await client.post<${capitalize(n)}>(\`/${n}s\`, { id });\n  return data;`,
  },
  {
    imports: () => ["import got from 'got';"],
    call: (n, url, bounded) => `return await got(\`${url}/${n}s/\${id}\`${bounded ? ', { timeout: { request: 5_000 } }' : ''}).json<${capitalize(n)}>();`,
  },
  {
    imports: () => ["import ky from 'ky';"],
    call: (n, url, bounded) => `return await ky.get(\`${url}/${n}s/\${id}\`${bounded ? ', { timeout: 5_000 }' : ', { timeout: false }'}).json<${capitalize(n)}>();`,
  },
  {
    imports: () => ["import superagent from 'superagent';"],
    call: (n, url, bounded) => `const response = await superagent.get(\`${url}/${n}s/\${id}\`)${bounded ? '.timeout({ deadline: 5_000 })' : ''};\n  return response.body as ${capitalize(n)};`,
  },
  {
    imports: () => ["import { HttpClient } from '@actions/http-client';"],
    call: (n, url, bounded) =>
      `const client = new HttpClient('bench'${bounded ? ', [], { socketTimeout: 5_000 }' : ''});\n  const response = await client.getJson<${capitalize(n)}>(\`${url}/${n}s/\${id}\`);\n  return response.result as ${capitalize(n)};`,
  },
];

function typeDeclaration(random, noun) {
  const type = capitalize(noun);
  return [
    `export interface ${type} {`,
    '  id: string;',
    `  ${noun}Status: 'open' | 'closed' | 'pending';`,
    `  createdAt: string;`,
    `  amountCents: number;`,
    random() < 0.5 ? '  tags: readonly string[];' : '  owner?: { id: string; name: string };',
    '}',
  ].join('\n');
}

function ordinaryCode(random, noun, index) {
  const type = capitalize(noun);
  const blocks = [
    `export function summarize${type}s(items: readonly ${type}[]): Map<string, number> {\n  const totals = new Map<string, number>();\n  for (const item of items) {\n    totals.set(item.${noun}Status, (totals.get(item.${noun}Status) ?? 0) + item.amountCents);\n  }\n  return totals;\n}`,
    `export class ${type}Cache {\n  readonly #entries = new Map<string, { value: ${type}; expiresAt: number }>();\n  constructor(private readonly ttlMs: number) {}\n\n  get(id: string, now = Date.now()): ${type} | undefined {\n    const entry = this.#entries.get(id);\n    if (!entry || entry.expiresAt < now) return undefined;\n    return entry.value;\n  }\n\n  set(value: ${type}, now = Date.now()): void {\n    this.#entries.set(value.id, { value, expiresAt: now + this.ttlMs });\n  }\n}`,
    `export function parse${type}Line(line: string): Partial<${type}> {\n  const [id = '', status = 'open', amount = '0'] = line.split(',').map((part) => part.trim());\n  const amountCents = Number.parseInt(amount, 10);\n  return { id, amountCents: Number.isNaN(amountCents) ? 0 : amountCents, createdAt: new Date(0).toISOString(), ${noun}Status: status === 'closed' ? 'closed' : 'open' };\n}`,
    `export function ${noun}Label(item: ${type}): string {\n  switch (item.${noun}Status) {\n    case 'open':\n      return \`#\${item.id} (open)\`;\n    case 'closed':\n      return \`#\${item.id} (closed)\`;\n    default:\n      return \`#\${item.id}\`;\n  }\n}`,
    `export const ${noun}Defaults${index} = Object.freeze({ pageSize: ${10 + Math.floor(random() * 90)}, retries: ${1 + Math.floor(random() * 4)}, region: '${pick(random, ['eu', 'us', 'ap'])}' });`,
    `export async function retry${type}<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {\n  let lastError: unknown;\n  for (let attempt = 0; attempt < attempts; attempt++) {\n    try {\n      return await operation();\n    } catch (error) {\n      lastError = error;\n      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 100));\n    }\n  }\n  throw lastError;\n}`,
  ];
  const count = 2 + Math.floor(random() * 4);
  const chosen = [];
  for (let i = 0; i < count; i++) chosen.push(blocks[(index + i * 3 + Math.floor(random() * blocks.length)) % blocks.length]);
  return [...new Set(chosen)];
}

function generateFile(random, index) {
  const noun = pick(random, nouns);
  const parts = [typeDeclaration(random, noun), ...ordinaryCode(random, noun, index)];
  const imports = new Set();
  if (random() < 0.35) {
    const callCount = 1 + Math.floor(random() * 3);
    for (let call = 0; call < callCount; call++) {
      const family = pick(random, httpFamilies);
      for (const line of family.imports()) imports.add(line);
      const verb = pick(random, verbs);
      const bounded = random() < 0.6;
      parts.push(`export async function ${verb}${capitalize(noun)}${call}(id: string): Promise<${capitalize(noun)}> {\n  ${family.call(noun, pick(random, hosts), bounded)}\n}`);
    }
  }
  return `${[...imports].sort().join('\n')}${imports.size > 0 ? '\n\n' : ''}${parts.join('\n\n')}\n`;
}

/**
 * Writes `files` TypeScript files (and a tsconfig.json for type-checked runs) into `dir`, replacing what
 * was there. Returns the relative paths written, in order.
 */
export function generateCorpus(dir, { files = 2000, seed = 1 } = {}) {
  if (!Number.isInteger(files) || files < 1) throw new Error(`generateCorpus: files must be a whole number >= 1, got ${String(files)}`);
  const random = createRandom(seed);
  rmSync(dir, { recursive: true, force: true });
  const written = [];
  for (let index = 0; index < files; index++) {
    const relative = path.join('src', `area-${String(index % 20).padStart(2, '0')}`, `module-${String(index).padStart(5, '0')}.ts`);
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), generateFile(random, index));
    written.push(relative);
  }
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: { target: 'ES2023', lib: ['ES2023', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
  );
  return written;
}
