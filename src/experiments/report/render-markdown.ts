import { reportBlocks } from './blocks.js';
import type { Report } from './report-types.js';
import type { Table } from './tables.js';

// Markdown renderers treat < and & as HTML and | as a column break: keep labels literal.
function md(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

function table(t: Table): string {
  const row = (cells: string[], bold = false): string => `| ${cells.map((c) => (bold ? `**${md(c)}**` : md(c))).join(' | ')} |`;
  return [
    row(t.head),
    `|${t.head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...t.rows.map((r, i) => row(r, i === t.highlight)),
  ].join('\n');
}

/** The report as Markdown: the same sections and tables as the HTML, charts replaced by their captions. */
export function renderMarkdown(report: Report): string {
  const out = [
    `# ${md(report.title)}`,
    '',
    `${report.trials} trials · experiments: ${md(report.experiments.join(', ') || '–')} · methods: ${md(report.methods.join(', ') || '–')}`,
  ];
  if (report.generatedAt) out.push('', `Generated ${md(report.generatedAt)}.`);
  for (const b of reportBlocks(report)) {
    out.push('', `## ${md(b.title)}`, '');
    if (b.note) out.push(`> ${md(b.note)}`, '');
    for (const p of b.paragraphs) out.push(md(p), '');
    for (const f of b.figures()) out.push(`*Chart (in report.html):* ${md(f.caption)}`, '');
    for (const t of b.tables) out.push(`### ${md(t.title)}`, '', table(t.table), '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
