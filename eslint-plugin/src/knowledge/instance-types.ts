import type { FamilyId } from './types.js';

/**
 * The declared types of request-making instances, for type-aware rules: an `AxiosInstance` parameter is an
 * axios instance even though its creation is not visible in the file. Which methods it has and where their
 * options sit comes from the family's factories in the knowledge base.
 */
export interface InstanceType {
  readonly family: FamilyId;
  /** Packages that declare the types (with or without their `@types/` package). */
  readonly packages: readonly string[];
  /** Type names; a subclass matches too (`Agent extends Dispatcher`). */
  readonly names: readonly string[];
}

export const INSTANCE_TYPES: readonly InstanceType[] = [
  { family: 'axios', packages: ['axios'], names: ['AxiosInstance'] },
  { family: 'got', packages: ['got'], names: ['Got'] },
  { family: 'ky', packages: ['ky'], names: ['KyInstance'] },
  // @types/node declares its fetch's dispatcher through undici-types.
  { family: 'undici', packages: ['undici', 'undici-types'], names: ['Dispatcher'] },
];
