import { type AblationResult, type AblationSpread, type NegativeAblation, negativeAblation, WidenError } from '../../index.js';
import type { OptionValue } from '../read-options.js';
import { engineFrom, loadTrainedRun, pct, printJson, writeJsonReport } from './shared.js';

/**
 * `widen ablate CKPT`: negative pre-activation ablation (Kong et al.) of a `widen train`
 * checkpoint: clamp to 0 the negative pre-activations of the top p of units by WD (calibration
 * samples from the run's training set) in each hidden layer, vs as many random units (--draws
 * times) and the lowest-WD units grown until the test loss rises as much; test accuracy, loss and
 * per-class accuracy for each.
 */
export async function ablate(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const top = (options.get('top') as number | undefined) ?? 0.01;
  const draws = (options.get('draws') as number | undefined) ?? 10;
  const seed = (options.get('seed') as number | undefined) ?? 0;
  const layers = options.get('layers') as number[] | undefined;
  if (!(top > 0 && top <= 1)) throw new WidenError('usage', `invalid option value: --top ${top}; expected a fraction in (0, 1], e.g. 0.01`);
  if (draws < 1) throw new WidenError('usage', `invalid option value: --draws ${draws}; expected an integer >= 1`);
  const engine = engineFrom(options);
  let r: NegativeAblation;
  let activation: string;
  let size: number;
  let testSize: number;
  try {
    const { ckpt, train, test } = await loadTrainedRun(path, engine, 'use negativeAblation from the library', options);
    size = Math.min((options.get('calibration') as number | undefined) ?? 512, train.size);
    const calibration = { x: train.x.subarray(0, size * train.features), size };
    activation = ckpt.model.activation;
    testSize = test.size;
    r = negativeAblation(ckpt.model, calibration, test, { top, draws, seed, layers });
  } finally {
    engine.dispose();
  }
  const [none, topWd] = r.selections;
  const random = r.selections.filter((s) => s.selection === 'random');
  const bottom = r.selections[r.selections.length - 1];
  const s = r.randomSummary;
  const summary = {
    checkpoint: path,
    activation,
    calibration: size,
    test_size: testSize,
    p: top,
    layers: r.layers.map((l) => ({ layer: l.layer, units: l.units, top_wd: Array.from(topWd.units[l.layer]) })),
    selections: r.selections.map((x) => ({
      selection: x.selection,
      draw: x.draw,
      units: x.unitsPerLayer,
      accuracy: x.accuracy,
      loss: x.loss,
      loss_increase: x.lossIncrease,
      accuracy_drop: x.accuracyDrop,
      class_accuracy: x.classAccuracy,
    })),
    random_summary: {
      draws: s.draws,
      accuracy: s.accuracy,
      loss: s.loss,
      loss_increase: s.lossIncrease,
      accuracy_drop: s.accuracyDrop,
      at_least_top: s.atLeastTop,
      p_value: s.pValue,
    },
    matched: {
      matched: r.matched.matched,
      units: bottom.unitsPerLayer,
      fraction: r.matched.fraction,
      target_loss_increase: r.matched.target,
      loss_increase: bottom.lossIncrease,
      below_loss_increase: r.matched.belowLossIncrease,
      steps: r.matched.steps,
    },
    per_class: none.classAccuracy.map((a, c) => ({
      class: c,
      baseline: a,
      top_wd: topWd.classAccuracyChange[c],
      random_mean: s.classAccuracyChange[c],
      bottom_wd: bottom.classAccuracyChange[c],
    })),
  };
  const out = options.get('out') as string | undefined;
  if (out !== undefined) writeJsonReport(out, summary);
  if (options.get('json') === true) return printJson(summary);
  const where = r.layers.map((l) => `layers.${l.layer} (${l.units} units)`).join(', ');
  console.log(`${path}: ${activation}, ${size} calibration samples, ${testSize} test samples; clamp max(z, 0) in ${where}`);
  console.log(`${'selection'.padEnd(12)}${'draw'.padStart(5)}${'units'.padStart(12)}${'accuracy'.padStart(10)}${'loss'.padStart(9)}`);
  const row = (x: AblationResult, label: string = x.selection): void =>
    console.log(
      `${label.padEnd(12)}${(x.draw ?? '').toString().padStart(5)}${x.unitsPerLayer.join(',').padStart(12)}${pct(x.accuracy).padStart(10)}${x.loss.toPrecision(4).padStart(9)}  Δloss ${signed(x.lossIncrease, 4)}  Δacc ${pp(-x.accuracyDrop)}`,
    );
  for (const x of [none, topWd, ...random]) row(x);
  row(bottom, r.matched.matched ? 'bottom-wd' : 'bottom-wd*');
  console.log(`random, ${s.draws} draws: Δloss ${spread(s.lossIncrease, (x) => signed(x, 4), 1)}; Δacc ${spread(s.accuracyDrop, pp, -1)}`);
  console.log(
    `top-wd Δloss ${signed(topWd.lossIncrease, 4)}: ${s.atLeastTop} of ${s.draws} random draws reach it, Monte Carlo p = ${s.pValue.toFixed(3)} (the least ${s.draws} draws can show is ${(1 / (s.draws + 1)).toFixed(3)})`,
  );
  console.log(
    r.matched.matched
      ? r.matched.count === 0
        ? 'bottom-wd: top-wd does not raise the loss, so no units are needed to match it'
        : `bottom-wd: ${pct(r.matched.fraction)} of each layer's lowest-WD units (${bottom.unitsPerLayer.join(',')}) match the top-wd Δloss`
      : `bottom-wd*: not matched; clamping all units raises the loss by ${signed(bottom.lossIncrease, 4)} < ${signed(r.matched.target, 4)}`,
  );
  console.log('per-class accuracy: baseline, then change in pp (top-wd, random mean, bottom-wd)');
  for (const c of summary.per_class) {
    console.log(
      `  class ${String(c.class).padEnd(4)}${pct(c.baseline).padStart(7)}${[c.top_wd, c.random_mean, c.bottom_wd].map((d) => pp(d).padStart(10)).join('')}`,
    );
  }
}

/** A signed number with `digits` decimals, in exponent form when smaller than that shows ('n/a' for NaN). */
function signed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'n/a';
  const text = x !== 0 && Math.abs(x) < 10 ** -digits ? x.toExponential(1) : x.toFixed(digits);
  return `${x >= 0 ? '+' : ''}${text}`;
}

/** An accuracy change in signed percentage points with one decimal ('n/a' for NaN, e.g. a class without test samples). */
function pp(x: number): string {
  if (Number.isNaN(x)) return 'n/a';
  const text = (100 * x).toFixed(1);
  return `${Number(text) < 0 ? text : `+${Number(text) === 0 ? '0.0' : text}`} pp`;
}

/** mean ± sd [min, max] of a spread scaled by `scale` (-1 turns a drop into a change), each shown by `show`. */
function spread(v: AblationSpread, show: (x: number) => string, scale: number): string {
  const [lo, hi] = scale < 0 ? [v.max * scale, v.min * scale] : [v.min * scale, v.max * scale];
  const sd = Number.isNaN(v.sd) ? 'n/a (one draw)' : show(v.sd).slice(1);
  return `${show(v.mean * scale)} ± ${sd} [${show(lo)}, ${show(hi)}]`;
}
