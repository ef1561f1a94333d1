import { type BeyondCell, beyondTarget } from '../studies/beyond.js';
import { SPLIT_VARIANTS } from '../trials/split-variants.js';
import { accuracyFigure, pairedFigure, restoreFigure } from './beyond-figures.js';
import type { Block } from './block.js';
import { num, pct, pctInterval, pp } from './format.js';
import type { Table } from './tables.js';

/** The issue-11 variants, in SPLIT_VARIANTS' order. */
const VARIANTS = Object.keys(SPLIT_VARIANTS);

const CLAUSE_ONLY = ['fpe-selective-collisions', 'fpe-clause-routed'];
const cellName = (c: BeyondCell): string =>
  c.task === 'boolean' ? `Boolean m=${c.m}, h=${c.h}, α=${c.alpha}` : `${c.task} h=${c.h}, α=${c.alpha}`;
const pairedText = (p: BeyondCell['paired_vs_fpe_random']): string =>
  p === null ? '–' : `${pp(p.mean)} ${p.lo === null || p.hi === null ? '' : `[${pp(p.lo)}, ${pp(p.hi)}]`}`.trim();

/** The accuracy table of the cells of one (task, m, h, α): every method with its CI and paired differences. */
function accuracyTable(cells: readonly BeyondCell[]): Table {
  return {
    head: ['method', 'seeds', 'accuracy', '95% CI', 'vs FPE random (paired)', 'vs sparse-init (paired)', 'vs dense (paired)'],
    rows: cells.map((c) => [
      c.method,
      String(c.seeds),
      pct(c.mean),
      c.ci95 === null ? '–' : pctInterval(c.ci95[0], c.ci95[1]),
      c.method === 'fpe-random' ? '–' : pairedText(c.paired_vs_fpe_random),
      c.method === 'sparse-init' ? '–' : pairedText(c.paired_vs_sparse_init),
      c.method === 'dense' ? '–' : pairedText(c.paired_vs_dense),
    ]),
  };
}

/** The mechanism table of one cell group: what the split and the restore did, and the state at the end. */
function mechanismTable(cells: readonly BeyondCell[], boolean: boolean): Table {
  const head = [
    'method',
    'restore removed (of nnz after split)',
    'input-layer weights removed',
    'accuracy right after split',
    'dead units',
    '‖W1‖',
    '‖W2‖',
  ];
  if (boolean) head.push('collisions/unit after split', 'collisions/unit at end', 'clause coverage at end');
  return {
    head,
    rows: cells.map((c) => {
      const k = c.mechanism;
      const row = [
        c.method,
        pct(k.restoreFraction),
        pct(k.restoreInputFraction),
        pct(k.accuracyAfterSplit),
        pct(k.deadUnits),
        num(k.inputNorm),
        num(k.outputNorm),
      ];
      if (boolean) row.push(num(k.collisionsAfterSplit), num(k.collisionsEnd), pct(k.coverageEnd));
      return row;
    }),
  };
}

/** The cells grouped by (task, m, h, α), in the cells' order. */
export function beyondGroups(cells: readonly BeyondCell[]): BeyondCell[][] {
  const groups = new Map<string, BeyondCell[]>();
  for (const c of cells) {
    const key = `${c.task}|${c.m}|${c.h}|${c.alpha}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()];
}

/** What the restore did to FPE random and to the partition at α = 4, per Boolean cell, in words. */
function mechanismText(cells: readonly BeyondCell[]): string[] {
  return cells
    .filter((c) => c.task === 'boolean' && c.alpha === 4 && c.method === 'fpe-random')
    .map((r) => {
      const part = cells.find((c) => c.task === r.task && c.m === r.m && c.alpha === 4 && c.method === 'fpe-partition');
      const k = r.mechanism;
      const tail = part
        ? ` With the outgoing partition nothing is pruned: ${pct(part.mechanism.coverageEnd)} of clauses covered at the end, ${pct(part.mechanism.deadUnits)} dead units, accuracy ${pct(part.mean)}.`
        : '';
      return `Boolean m=${r.m}, α=4, FPE random: the budget restore removed ${pct(k.restoreFraction)} of the weights right after the split, ${pct(k.restoreInputFraction)} of the input layer’s (the copied outgoing weights are larger than the input weights after the warm-up, so global magnitude pruning takes the inputs the split had just divided); at the end ${pct(k.coverageEnd)} of clauses are covered by some unit and ${pct(k.deadUnits)} of units are dead; accuracy ${pct(r.mean)}.${tail}`;
    });
}

/** The target verdict per variant. */
function targetTable(cells: readonly BeyondCell[]): Table {
  const present = VARIANTS.filter((v) => cells.some((c) => c.method === v));
  return {
    head: ['variant', 'target met', 'why not'],
    rows: present.map((v) => {
      const t = beyondTarget(cells, v);
      const why = [
        ...t.reasons,
        ...t.missing.map((m) =>
          m === 'Fashion-MNIST' && CLAUSE_ONLY.includes(v) ? 'Fashion-MNIST: not applicable (needs clauses)' : `${m}: not run (yet)`,
        ),
      ];
      const booleanOnly = !t.met && t.reasons.length === 0 && t.missing.length === 1 && t.missing[0] === 'Fashion-MNIST';
      return [
        v,
        t.met ? 'yes' : booleanOnly ? (CLAUSE_ONLY.includes(v) ? 'Boolean half: yes' : 'Boolean half: yes (real data pending)') : 'no',
        why.join('; ') || '–',
      ];
    }),
  };
}

/**
 * The blocks of the issue-11 report: the target verdict, then per cell group the accuracies with
 * paired CIs and the mechanism beside them.
 */
export function beyondBlocks(cells: readonly BeyondCell[]): Block[] {
  const blocks: Block[] = [
    {
      id: 'target',
      title: 'Target: a variant at α = 4 beating FPE random (separated 95% CIs, Boolean m = 16 and 32) and not below sparse-init',
      paragraphs: [
        'Every method holds the dense network’s non-zero count exactly. Accuracy CIs are seeded percentile-bootstrap 95% intervals of the mean over seeds (10,000 resamples; an accuracy’s interval never passes 100%); paired differences are over the seeds both methods ran (same task, initialisation and warm-up), with Student-t 95% intervals.',
        ...mechanismText(cells),
      ],
      figures: () => {
        const f = restoreFigure(cells);
        return f === null ? [] : [f];
      },
      tables: [{ title: 'Target per variant', table: targetTable(cells) }],
    },
  ];
  for (const group of beyondGroups(cells)) {
    const c = group[0];
    const boolean = c.task === 'boolean';
    blocks.push({
      id: `cell-${c.task}-${c.m}-${c.h}-${c.alpha}`.toLowerCase(),
      title: cellName(c),
      paragraphs: [`Non-zero weights of every method: ${group[0].nnz}.`],
      figures: () => [
        accuracyFigure(group),
        ...(group.some((x) => x.paired_vs_fpe_random !== null) ? [pairedFigure(group, 'fpe-random')] : []),
        ...(group.some((x) => x.paired_vs_sparse_init !== null) ? [pairedFigure(group, 'sparse-init')] : []),
      ],
      tables: [
        { title: 'Test accuracy', table: accuracyTable(group) },
        { title: 'Mechanism', table: mechanismTable(group, boolean) },
      ],
    });
  }
  return blocks;
}
