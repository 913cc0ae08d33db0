import type { FleetRepo, FleetSummary } from '../fleet.js';

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function sortedCounts(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
}

function baselineText(baseline: FleetRepo['baseline']): string {
  return baseline === undefined ? '' : `, ${baseline.new} new, ${baseline.baselined} baselined, ${baseline.resolved} resolved`;
}

/** A table that a 120-column terminal does not wrap: one row per repository, then the fleet's tables. */
export function formatFleetText(fleet: FleetSummary): string {
  const width = Math.max(10, ...fleet.repos.map((repo) => repo.name.length));
  const lines = [`${'repository'.padEnd(width)}  findings  suppressed  files  failed`];
  for (const repo of fleet.repos) {
    lines.push(
      `${repo.name.padEnd(width)}  ${String(repo.findings).padStart(8)}  ${String(repo.suppressed).padStart(10)}  ${String(repo.files).padStart(5)}  ${String(repo.filesFailed).padStart(6)}${baselineText(repo.baseline)}`,
    );
  }
  const totals = fleet.totals;
  lines.push(
    '',
    `total: ${plural(totals.repos, 'repository', 'repositories')} (${totals.reposWithFindings} with findings), ${plural(totals.files, 'file')}, ${plural(totals.findings, 'unbounded call')}, ${totals.suppressed} suppressed, ${plural(totals.filesFailed, 'file')} failed`,
  );
  if (totals.baseline) {
    lines.push(`baseline (${plural(totals.baseline.repos, 'repository', 'repositories')}): ${totals.baseline.new} new, ${totals.baseline.baselined} baselined, ${totals.baseline.resolved} resolved`);
  }
  for (const [title, counts] of [
    ['by rule', totals.byRule],
    ['by client family', totals.byFamily],
  ] as const) {
    const entries = sortedCounts(counts);
    if (entries.length === 0) continue;
    const keyWidth = Math.max(...entries.map(([key]) => key.length));
    lines.push(`${title}:`, ...entries.map(([key, count]) => `  ${key.padEnd(keyWidth)}  ${count}`));
  }
  return `${lines.join('\n')}\n`;
}

export function formatFleetJson(fleet: FleetSummary): string {
  return `${JSON.stringify(fleet, null, 2)}\n`;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** One colour per client family, the same in every chart; the palette is distinguishable in print too. */
const palette = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#475569', '#b45309'];

/** A horizontal bar chart as inline SVG: it renders without scripts, fonts or network. */
function barChart(title: string, rows: readonly [string, number][], colour: string): string {
  const rowHeight = 26;
  const labelWidth = 220;
  const barWidth = 420;
  const max = Math.max(1, ...rows.map(([, count]) => count));
  const height = rows.length * rowHeight + 8;
  const bars = rows
    .map(([label, count], index) => {
      const y = index * rowHeight + 4;
      const width = Math.max(2, Math.round((count / max) * barWidth));
      return [
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(label.length > 30 ? `${label.slice(0, 29)}…` : label)}</text>`,
        `<rect class="bar" x="${labelWidth}" y="${y + 3}" width="${width}" height="${rowHeight - 8}" rx="3" fill="${colour}"><title>${escapeHtml(label)}: ${count}</title></rect>`,
        `<text x="${labelWidth + width + 6}" y="${y + 17}">${count}</text>`,
      ].join('');
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" width="${labelWidth + barWidth + 60}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}">${bars}</svg></figure>`;
}

function repoTable(repo: FleetRepo): string {
  const rows = repo.list
    .map(
      (finding) =>
        `<tr${finding.baselined ? ' class="baselined"' : ''}><td><code>${escapeHtml(finding.path)}:${finding.line}:${finding.column}</code></td><td>${escapeHtml(finding.ruleId)}</td><td>${escapeHtml(finding.family ?? '')}</td><td>${escapeHtml(finding.message)}${finding.snippet ? `<br><code>${escapeHtml(finding.snippet)}</code>` : ''}${finding.baselined ? ' <em>(baselined)</em>' : ''}</td></tr>`,
    )
    .join('');
  const status = repo.exitCode === 0 ? 'clean' : repo.exitCode === 1 ? 'findings' : 'files failed';
  return `<section class="repo"><h3>${escapeHtml(repo.name)} <span class="status ${repo.exitCode === 0 ? 'ok' : 'bad'}">${status}</span></h3><p>${plural(repo.files, 'file')}, ${plural(repo.findings, 'unbounded call')}, ${repo.suppressed} suppressed${escapeHtml(baselineText(repo.baseline))}. Report: <code>${escapeHtml(repo.report)}</code></p>${
    repo.list.length === 0 ? '' : `<details${repo.list.length <= 20 ? ' open' : ''}><summary>${plural(repo.list.length, 'finding')}</summary><table><thead><tr><th>where</th><th>rule</th><th>family</th><th>what is wrong</th></tr></thead><tbody>${rows}</tbody></table></details>`
  }</section>`;
}

/** A self-contained page (inline CSS and SVG, no script, no network): a chart per client family, a table per repository. */
export function formatFleetHtml(fleet: FleetSummary): string {
  const totals = fleet.totals;
  const families = sortedCounts(totals.byFamily).map(([family]) => family);
  const colourOf = (family: string): string => palette[families.indexOf(family) % palette.length] ?? palette[0] ?? '#2563eb';
  const overview = barChart(
    'Unbounded calls by repository',
    fleet.repos.map((repo): [string, number] => [repo.name, repo.findings]),
    '#334155',
  );
  const familyCharts = families
    .map((family) =>
      barChart(
        `${family}: unbounded calls by repository`,
        fleet.repos.filter((repo) => (repo.byFamily[family] ?? 0) > 0).map((repo): [string, number] => [repo.name, repo.byFamily[family] ?? 0]),
        colourOf(family),
      ),
    )
    .join('');
  const tiles = [
    ['repositories', totals.repos],
    ['with findings', totals.reposWithFindings],
    ['unbounded calls', totals.findings],
    ...(totals.baseline ? ([['new since baseline', totals.baseline.new]] as const) : []),
    ['suppressed', totals.suppressed],
    ['files failed', totals.filesFailed],
  ]
    .map(([label, value]) => `<div class="tile"><b>${value}</b><span>${label}</span></div>`)
    .join('');
  const style = `body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#0f172a}
h1{font-size:1.6rem;margin-bottom:.2rem}.sub{color:#475569;margin-top:0}.tiles{display:flex;gap:.8rem;flex-wrap:wrap;margin:1.2rem 0}
.tile{background:#f1f5f9;border-radius:8px;padding:.7rem 1rem;min-width:8rem}.tile b{display:block;font-size:1.6rem}.tile span{color:#475569}
figure{margin:1rem 0 1.6rem}figcaption{font-weight:600;margin-bottom:.3rem}svg text{font-size:13px;fill:#0f172a}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(700px,1fr))}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e2e8f0;padding:.35rem .5rem;text-align:left;vertical-align:top}tr.baselined{color:#64748b}
.status{font-size:.75rem;padding:.1rem .45rem;border-radius:999px;vertical-align:middle}.ok{background:#dcfce7;color:#166534}.bad{background:#fee2e2;color:#991b1b}
.repo{border-top:1px solid #cbd5e1;padding-top:.4rem}code{font-size:12px}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>bounded-http fleet report</title><style>${style}</style></head>
<body><h1>Outbound calls without a deadline, across the fleet</h1>
<p class="sub">Merged from ${plural(fleet.repos.length, 'repository', 'repositories')} by bounded-http ${escapeHtml(fleet.tool.version)}.</p>
<div class="tiles">${tiles}</div>
<h2>Where they are</h2>${overview}
<h2>By client family</h2><div class="charts">${familyCharts || '<p>No unbounded calls.</p>'}</div>
<h2>By repository</h2>${fleet.repos.map(repoTable).join('')}
</body></html>
`;
}
