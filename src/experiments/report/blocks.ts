import type { Block } from './block.js';
import { cellLabel } from './cells.js';
import { collisionChart, curvesChart, foldChart, gainChart, headlineChart, wassersteinChart } from './charts.js';
import type { FigureSpec } from './figure-spec.js';
import { pp, seedsText } from './format.js';
import { realDataBlocks } from './realdata-blocks.js';
import type { Report, Section } from './report-types.js';
import {
  cellsTable,
  collisionTable,
  curvesTable,
  foldFitTable,
  foldPointsTable,
  gainTable,
  headlineTable,
  pairedTable,
  publishedTable,
  wassersteinTable,
} from './tables.js';

// Charts per collision group would swamp the page; α sweeps carry the message, so chart those.
const MAX_COLLISION_CHARTS = 4;

function block<T>(id: string, s: Section<T>, fill: (d: T) => Omit<Block, 'id' | 'title' | 'note'>): Block {
  if (!s.available) return { id, title: s.title, note: s.note, paragraphs: [], figures: () => [], tables: [] };
  return { id, title: s.title, note: s.note, ...fill(s.data) };
}

/**
 * The report's sections in reading order: the Boolean sections and the table of all Boolean cells,
 * then the real-data sections; a report of real-data trials only shows just the latter.
 */
export function reportBlocks(r: Report): Block[] {
  const realData = r.realData?.available ? realDataBlocks(r.realData) : [];
  if (realData.length > 0 && r.cells.length === 0) return realData;
  return [...booleanBlocks(r), ...realData];
}

/**
 * Every figure of the report in reading order, with its section's title: the specs the HTML
 * report draws, for a page to draw with its own document. Example:
 * `reportFigures(buildReport(records)).map((f) => renderFigure(f.spec, document))`.
 */
export function reportFigures(r: Report): { section: string; spec: FigureSpec; caption: string }[] {
  return reportBlocks(r).flatMap((b) => b.figures().map((f) => ({ section: b.title, spec: f.spec, caption: f.caption })));
}

function booleanBlocks(r: Report): Block[] {
  return [
    block('headline', r.headline, (d) => ({
      paragraphs: [`Cell ${cellLabel(d.cell)}; every method at the same non-zero parameter count.`],
      figures: () => [headlineChart(d)],
      tables: [{ title: 'Accuracy by method', table: headlineTable(d) }],
    })),
    block('published', r.published, (d) => ({
      paragraphs: [
        'Different generators: ours is the which-clause generator of the spec, the published cell comes from the paper’s own Boolean task (figures as quoted by the paper notes). Compare the ordering of the methods and the size of the gaps, not the digits.',
        d.sameOrdering === null
          ? 'Too few methods in common to compare the ordering.'
          : `Ordering of the methods by accuracy: ${d.sameOrdering ? 'the same as published' : 'differs from the published one'}.`,
      ],
      figures: () => [],
      tables: [{ title: `Cell ${cellLabel(d.cell)}`, table: publishedTable(d) }],
    })),
    block('paired', r.paired, (d) => ({
      paragraphs: [
        d.headline
          ? `Headline cell: ${d.a} − ${d.b} = ${pp(d.headline.diff.mean)}${d.headline.diff.lo === null ? '' : ` (95% CI ${pp(d.headline.diff.lo)} to ${pp(d.headline.diff.hi)})`}, ${seedsText(d.headline.diff.n)} paired.`
          : 'The headline cell lacks one of the two methods; other cells below.',
      ],
      figures: () => [],
      tables: [{ title: 'Paired differences per cell', table: pairedTable(d) }],
    })),
    block('gain', r.gain, (d) => ({
      paragraphs: [],
      figures: () => [gainChart(d)],
      tables: [{ title: 'All points', table: gainTable(d), collapsed: true }],
    })),
    block('fold', r.fold, (d) => ({
      paragraphs: ['As in the paper’s Figure 3c: does the gain track a change in capacity or in the neurons’ overlap?'],
      figures: () => [foldChart(d, 'capacityFold'), foldChart(d, 'cosineFold')],
      tables: [
        { title: 'Least-squares fits', table: foldFitTable(d) },
        { title: 'All points', table: foldPointsTable(d), collapsed: true },
      ],
    })),
    block('collisions', r.collisions, (d) => {
      const swept = d.groups.filter((g) => new Set(g.rows.map((x) => x.alpha)).size > 1);
      return {
        paragraphs: [],
        figures: () => (swept.length > 0 ? swept : d.groups.slice(0, 1)).slice(0, MAX_COLLISION_CHARTS).map(collisionChart),
        tables: [{ title: 'Collisions per unit', table: collisionTable(d), collapsed: d.groups.length > 2 }],
      };
    }),
    block('wasserstein', r.wasserstein, (d) => ({
      paragraphs: [],
      figures: () => [wassersteinChart(d)],
      tables: [{ title: 'Per group', table: wassersteinTable(d) }],
    })),
    block('curves', r.curves, (d) => ({
      paragraphs: [],
      figures: () => [curvesChart(d)],
      tables: [{ title: 'Accuracy at the split and at the end', table: curvesTable(d) }],
    })),
    {
      id: 'cells',
      title: 'All cells',
      note: r.cells.length === 0 ? 'No trials.' : undefined,
      paragraphs:
        r.cells.length === 0
          ? []
          : [
              'Test accuracy per cell and method: mean over seeds and its 95% CI (seeded percentile bootstrap over seeds, 10,000 resamples: it stays inside [0%, 100%]).',
            ],
      figures: () => [],
      tables: r.cells.length === 0 ? [] : [{ title: 'Cells', table: cellsTable(r.cells) }],
    },
  ];
}
