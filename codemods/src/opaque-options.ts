/**
 * `--opaque-options report` as rule entries: every rule of a rule set that has the `opaqueOptions` option gets
 * `opaqueOptions: 'report'`, its other options kept. One place for both audit engines (ESLint's config,
 * oxlint's `.oxlintrc.json`).
 */
import { rules as pluginRules } from 'eslint-plugin-bounded-http';

/** The entries of `rules` (`bounded-http/` names) that take `opaqueOptions`, set to report. */
export function reportingOpaqueOptions(rules: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const reporting: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(rules)) {
    const schema = pluginRules[name.slice('bounded-http/'.length)]?.meta.schema;
    const first = Array.isArray(schema) ? (schema[0] as { properties?: Record<string, unknown> } | undefined) : undefined;
    if (entry === undefined || !first?.properties?.['opaqueOptions']) continue;
    const [severity, options] = Array.isArray(entry) ? (entry as unknown[]) : [entry];
    reporting[name] = [severity, { ...(options as object | undefined), opaqueOptions: 'report' }];
  }
  return reporting;
}
