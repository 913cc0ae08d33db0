import { CALL } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import path from 'node:path';
import type * as ts from 'typescript';

import { disablesTimer, type FamilyId, getFamily } from '../knowledge/index.js';
import { getReferenceTracker } from '../util/reference-tracker.js';
import { getTypeInfo } from '../util/type-info.js';
import { staticValue, unwrap } from './ast.js';
import { lookupOption, readOptions } from './options.js';
import { parseModule } from './parse-module.js';
import type { FileRequests } from './request-sites.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** A process-wide default set in some module of the program: the idle timers it gives every matching call. */
export interface ProgramDefault {
  /** As the verdict names them (`axios.defaults.timeout`, `headersTimeout`). */
  readonly timers: readonly string[];
  /** Where it is set, relative to the working directory. */
  readonly file: string;
}

/** Text any module setting one must contain; every other module is not parsed. */
const SETS_A_DEFAULT = /\.defaults\.timeout\s*=|setGlobalDispatcher\s*\(/;
/** fetch implementations that do not run on undici's global dispatcher. */
const NON_UNDICI_FETCH = /['"`](?:node-fetch|cross-fetch|isomorphic-fetch|isomorphic-unfetch|unfetch)['"`/]/;
const UNDICI_DISPATCHERS = ['Agent', 'ProxyAgent', 'EnvHttpProxyAgent', 'Pool', 'Client', 'RetryAgent'];

const defaultsByProgram = new WeakMap<ts.Program, ReadonlyMap<FamilyId, ProgramDefault>>();

/**
 * Type-aware mode: the process-wide defaults that modules of the program set, by family. `axios.defaults.timeout
 * = N` (N finite and not 0) gives every axios call that idle timer; `setGlobalDispatcher(new Agent({
 * headersTimeout, bodyTimeout }))` gives global fetch and undici's request API theirs. This trusts load
 * order: the module that sets the default must run before the calls. Found once per program; empty without
 * types. In a file that uses node-fetch or cross-fetch, fetch is not undici's and gets no dispatcher default.
 */
export function programDefaultsFor(sourceCode: SourceCode, requestsOf: (sourceCode: SourceCode) => FileRequests): ReadonlyMap<FamilyId, ProgramDefault> {
  const types = getTypeInfo(sourceCode);
  if (!types) return new Map();
  let defaults = defaultsByProgram.get(types.program);
  if (!defaults) {
    defaults = collectProgramDefaults(types.program, requestsOf);
    defaultsByProgram.set(types.program, defaults);
  }
  if (defaults.has('fetch') && NON_UNDICI_FETCH.test(sourceCode.text)) {
    const withoutFetch = new Map(defaults);
    withoutFetch.delete('fetch');
    return withoutFetch;
  }
  return defaults;
}

function collectProgramDefaults(program: ts.Program, requestsOf: (sourceCode: SourceCode) => FileRequests): ReadonlyMap<FamilyId, ProgramDefault> {
  const found = new Map<FamilyId, ProgramDefault>();
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || /[\\/]node_modules[\\/]/.test(file.fileName) || !SETS_A_DEFAULT.test(file.text)) continue;
    const parsed = parseModule(file);
    if (!parsed) continue;
    const where = path.relative(process.cwd(), file.fileName).replaceAll('\\', '/');
    const axios = getFamily('axios');
    for (const { timer, assignment } of requestsOf(parsed).moduleDefaults.get(axios) ?? []) {
      const value = staticValue(parsed, assignment.right);
      if (typeof value?.value === 'number' && Number.isFinite(value.value) && !disablesTimer(timer, value.value)) {
        found.set('axios', { timers: [`axios.defaults.${timer.path.join('.')}`], file: where });
      }
    }
    const dispatcherTimers = globalDispatcherTimers(parsed);
    if (dispatcherTimers) {
      for (const familyId of ['fetch', 'undici'] as const) found.set(familyId, { timers: dispatcherTimers, file: where });
    }
  }
  return found;
}

/** `setGlobalDispatcher(new Agent({ headersTimeout: N, bodyTimeout: M }))` with both timers on. */
function globalDispatcherTimers(sourceCode: SourceCode): readonly string[] | undefined {
  const tracker = getReferenceTracker(sourceCode);
  const traceMap = { undici: { setGlobalDispatcher: { [CALL]: true } } };
  const undiciTimers = getFamily('undici').timers;
  for (const reference of [...tracker.iterateEsmReferences(traceMap), ...tracker.iterateCjsReferences(traceMap)]) {
    const call = reference.node as unknown as TSESTree.CallExpression;
    const argument = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    if (argument?.type !== AST_NODE_TYPES.NewExpression) continue;
    const constructor = unwrap(argument.callee);
    const name = constructor.type === AST_NODE_TYPES.Identifier ? constructor.name : constructor.type === AST_NODE_TYPES.MemberExpression && constructor.property.type === AST_NODE_TYPES.Identifier ? constructor.property.name : '';
    if (!UNDICI_DISPATCHERS.includes(name)) continue;
    const options = readOptions(sourceCode, argument.arguments[0]);
    const bothOn = ['headersTimeout', 'bodyTimeout'].every((key) => {
      const found = lookupOption(sourceCode, options, [key]);
      if (found.state !== 'set') return false;
      const timer = undiciTimers.find((candidate) => candidate.path.join('.') === key);
      const value = staticValue(sourceCode, found.value);
      return !(timer && value && disablesTimer(timer, value.value));
    });
    if (bothOn) return ['headersTimeout', 'bodyTimeout'];
  }
  return undefined;
}
