import plugin from 'eslint-plugin-bounded-http';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Report } from '../report.js';

const pluginPrefix = 'bounded-http/';

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri?: string;
  defaultConfiguration: { level: 'error' };
}

/** Rule metadata comes from the plugin itself, so SARIF's help links cannot drift from the rules' docs. */
function describeRule(ruleId: string): SarifRule {
  const name = ruleId.startsWith(pluginPrefix) ? ruleId.slice(pluginPrefix.length) : ruleId;
  const docs = (plugin.rules as Record<string, { meta?: { docs?: { description?: string; url?: string } } } | undefined>)[name]?.meta?.docs;
  const rule: SarifRule = {
    id: ruleId,
    name,
    shortDescription: { text: docs?.description ?? name },
    defaultConfiguration: { level: 'error' },
  };
  if (docs?.url) rule.helpUri = docs.url;
  return rule;
}

export interface SarifOptions {
  /**
   * `--sarif-category`: the run's `automationDetails.id`. Without it the SARIF has none, because
   * codeql-action's upload-sarif applies its own `category:` input only to runs that have no automationDetails.
   */
  category?: string;
}

/** The key GitHub tracks a result by across runs: the same fingerprint the baseline uses, with its file. */
const fingerprintKey = 'boundedHttpFinding/v1';

/**
 * SARIF 2.1.0 as GitHub code scanning ingests it: one run per repository (each with its own %SRCROOT%),
 * paths relative to the repository root, 1-based regions, rule ids as ESLint names them
 * (`bounded-http/<rule>`). Sites covered by an eslint-disable comment are the documented exceptions and are
 * left out; with a baseline, held findings are marked `baselineState: unchanged` and the rest `new`. Files
 * that could not be analysed become tool execution notifications, so a partial scan is visible in the upload.
 */
export function formatSarif(report: Report, options: SarifOptions = {}): string {
  const runs = report.repos.map((repo) => {
    const files = report.files.filter((file) => file.repo === repo.root);
    const rules: SarifRule[] = [];
    const ruleIndex = new Map<string, number>();
    const indexOf = (ruleId: string): number => {
      let index = ruleIndex.get(ruleId);
      if (index === undefined) {
        index = rules.push(describeRule(ruleId)) - 1;
        ruleIndex.set(ruleId, index);
      }
      return index;
    };
    const results = files.flatMap((file) =>
      file.sites
        .filter((site) => site.action === 'reported')
        .map((site) => ({
          ruleId: `${pluginPrefix}${site.ruleId}`,
          ruleIndex: indexOf(`${pluginPrefix}${site.ruleId}`),
          level: 'error',
          message: { text: site.reason },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: file.path, uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: site.location.line,
                  startColumn: site.location.column,
                  ...(site.location.endLine === undefined ? {} : { endLine: site.location.endLine }),
                  ...(site.location.endColumn === undefined ? {} : { endColumn: site.location.endColumn }),
                },
              },
            },
          ],
          ...(site.fingerprint === undefined ? {} : { partialFingerprints: { [fingerprintKey]: `${file.path}:${site.fingerprint}` } }),
          ...(report.baseline === undefined ? {} : { baselineState: site.baselined === true ? 'unchanged' : 'new' }),
          ...(site.family === undefined ? {} : { properties: { family: site.family } }),
        })),
    );
    // A file left unanalysed (failed, or skipped as not UTF-8) makes the scan partial, and SARIF says so.
    const failures = files.filter((file) => file.status === 'failed' || file.status === 'skipped');
    return {
      tool: {
        driver: {
          name: 'bounded-http',
          version: report.tool.version,
          informationUri: 'https://github.com/bounded-http/bounded-http',
          rules,
        },
      },
      // One category for several repositories in one upload still needs one id per run.
      ...(options.category === undefined ? {} : { automationDetails: { id: report.repos.length > 1 ? `${options.category}/${basename(repo.root)}/` : `${options.category}/` } }),
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(`${repo.root}/`).href } },
      invocations: [
        {
          executionSuccessful: failures.length === 0,
          toolExecutionNotifications: failures.map((file) => ({
            level: 'error',
            message: { text: file.error ?? file.message ?? `${file.path}: could not be analysed` },
            locations: [{ physicalLocation: { artifactLocation: { uri: file.path, uriBaseId: '%SRCROOT%' } } }],
          })),
        },
      ],
      results,
    };
  });
  return `${JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs }, null, 2)}\n`;
}
