import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';

import type { BoundSettings } from '../detection/bounds.js';

/** Options every "unbounded call" rule shares. */
export interface BoundRuleOptions {
  /** `ignore` (default): options we cannot read (a parameter, a call result, a spread) are trusted. */
  opaqueOptions?: 'ignore' | 'report';
  /** Strict: a signal counts only when it carries a deadline (`AbortSignal.timeout`, a caller's parameter...). */
  requireDeadlineSignal?: boolean;
  /** Names of your own functions that return a deadline signal (`withDeadline`). */
  deadlineSignalFactories?: string[];
  /** The Node versions the code targets (semver range); default: `engines.node` of the nearest package.json. */
  targetNodeVersion?: string;
}

export const BOUND_OPTION_SCHEMA_PROPERTIES: Record<keyof BoundRuleOptions, JSONSchema4> = {
  opaqueOptions: {
    type: 'string',
    enum: ['ignore', 'report'],
    description: 'Whether calls whose options cannot be read without types (a parameter, a call result, a spread) are reported.',
  },
  requireDeadlineSignal: {
    type: 'boolean',
    description: 'Count a `signal` only when it carries a deadline: AbortSignal.timeout, AbortSignal.any with one, a configured factory, a parameter of the enclosing function (not the signal TanStack Query hands `queryFn`), or a controller aborted by a timer that lasts until the body is read.',
  },
  deadlineSignalFactories: {
    type: 'array',
    items: { type: 'string' },
    uniqueItems: true,
    description: 'Names of functions whose result is a deadline signal, e.g. `withDeadline`.',
  },
  targetNodeVersion: {
    type: 'string',
    description: 'Semver range of the Node versions the code runs on; decides whether suggestions may use AbortSignal.any. Defaults to engines.node of the nearest package.json that states it, up to the workspace or repository root.',
  },
};

export const DEFAULT_BOUND_OPTIONS = {
  opaqueOptions: 'ignore',
  requireDeadlineSignal: false,
  deadlineSignalFactories: [],
} as const satisfies BoundRuleOptions;

export function boundSettings(options: BoundRuleOptions): BoundSettings {
  return {
    requireDeadlineSignal: options.requireDeadlineSignal ?? false,
    deadlineSignalFactories: options.deadlineSignalFactories ?? [],
  };
}
