import type { Node, SourceFile } from 'ts-morph';

import type { Site } from '../find-sites.js';
import type { FileStyle } from './util/style.js';

/** A text replacement in the file's text (BOM removed); an insertion has `start === end`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** An import a transform needs; fixFile adds each one once per file, or reuses an existing one. */
export interface ImportNeed {
  /** The local name the inserted code uses. */
  name: string;
  /** The module specifier as the user gave it; a relative one is relative to the root directory. */
  from: string;
}

/** What the fix step decided for one site. */
export type TransformResult =
  | { action: 'fixed'; reason: string; edits: Edit[]; imports?: ImportNeed[]; warnings?: string[] }
  | { action: 'unfixable' | 'skipped'; reason: string };

/** Everything a transform may read; transforms never edit the source file, they return edits. */
export interface TransformContext {
  sourceFile: SourceFile;
  filePath: string;
  style: FileStyle;
  /** The expression for the deadline in milliseconds: `30_000`, or `--timeout-expr`. */
  timeoutText: string;
  /** The import `timeoutText` needs, if any. */
  timeoutImport?: ImportNeed;
  /** `--strict`: axios also gets a signal, since its `timeout` is a socket-idle timer in Node. */
  strict: boolean;
  /** The target's Node version has `AbortSignal.any` (>= 20.3 / 18.17). */
  allowAbortSignalAny: boolean;
  /** `--client`: retrofit fetch-family calls to the repo's bounded client. */
  client?: ClientTarget;
  rootDir: string;
}

export interface ClientTarget extends ImportNeed {
  /** Absolute path of the module that defines the client (extension as given). */
  modulePath: string;
}

/** One transform per file in this folder; `fixFile` picks the transform by rule, message and family. */
export interface Transform {
  /** The public name used by `--transforms` and the report. */
  readonly name: string;
  /** Whether this transform rewrites the site (the rule reported it, and `node` is what it reported). */
  appliesTo(site: Site, node: Node, context: TransformContext): boolean;
  fix(site: Site, node: Node, context: TransformContext): TransformResult;
}
