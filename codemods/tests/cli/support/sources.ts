/** Source texts the CLI tests put in their temp repositories. */
export const unboundedFetch = 'export async function loadUser(url: string) {\n  return fetch(url);\n}\n';
export const boundedFetch = 'export async function loadUser(url: string) {\n  return fetch(url, { signal: AbortSignal.timeout(5000) });\n}\n';
export const noRequests = 'export const answer = 42;\n';
/** Mentions fetch, so the text pre-filter lets it through to the parser, which rejects it. */
export const unparsable = 'export const broken = fetch(;\n';
export const suppressedFetch =
  'export async function longPoll(url: string) {\n  // eslint-disable-next-line bounded-http/no-unbounded-fetch -- long-poll, bounded by the server\n  return fetch(url);\n}\n';
