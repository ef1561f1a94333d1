import { DataError } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';
import { type LabelMap, mapLabels } from './label-map.js';
import { labeledData } from './labeled.js';

/** How to read a CSV: the label column (header name, or 0-based index, negative from the end), label mapping, class count. */
export interface CsvOptions {
  label: string | number;
  labelMap?: LabelMap;
  classes?: number;
}

/** A CSV set: a classification Dataset plus the feature column names and, when labels were mapped, the class names. */
export interface CsvData extends Required<Dataset<Int32Array>> {
  columns: string[];
  classNames: string[] | null;
}

/**
 * Parses CSV text with a header line: every column but the label is a numeric feature. Cells may
 * be double-quoted; blank lines are skipped. A bad cell is a DataError naming `source`, the line
 * and the column. Example: `parseCsv(text, 'iris.csv', { label: 'species', labelMap: 'sorted' })`.
 */
export function parseCsv(text: string, source: string, options: CsvOptions): CsvData {
  return parseCsvLines(text.split(/\r?\n/), source, options);
}

/**
 * parseCsv over the lines of a CSV, one at a time (without their line ends), so that a file larger
 * than a JS string (512 MiB) can be read in chunks. Example: `parseCsvLines(lines, 'big.csv', { label: -1 })`.
 */
export function parseCsvLines(lines: Iterable<string>, source: string, options: CsvOptions): CsvData {
  let header: string[] | undefined;
  let labelCol = -1;
  let featureCols: number[] = [];
  let x = new Float32Array(1024);
  let filled = 0;
  const labels: string[] = [];
  const lineNos: number[] = [];
  let lineNo = 0;
  for (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    if (header === undefined) {
      header = splitLine(line, source, lineNo);
      labelCol = labelColumn(header, options.label, source);
      featureCols = header.map((_, c) => c).filter((c) => c !== labelCol);
      continue;
    }
    const at = `${source}:${lineNo}`;
    const cells = splitLine(line, source, lineNo);
    if (cells.length !== header.length)
      throw new DataError(`${at}: has ${cells.length} cells, the header has ${header.length}`, { where: at, got: cells.length });
    if (filled + featureCols.length > x.length) {
      const grown = new Float32Array(Math.max(2 * x.length, filled + featureCols.length));
      grown.set(x);
      x = grown;
    }
    for (const c of featureCols) {
      const v = cells[c] === '' ? Number.NaN : Number(cells[c]);
      if (!Number.isFinite(v))
        throw new DataError(`${at}: column '${header[c]}' (${c}) is ${JSON.stringify(cells[c])}, not a finite number`, {
          where: at,
          got: cells[c],
        });
      x[filled++] = v;
    }
    labels.push(cells[labelCol]);
    lineNos.push(lineNo);
  }
  if (header === undefined) throw new DataError(`${source}: is empty; expected a header line and rows`, { where: source });
  const { y, classNames } = mapLabels(labels, lineNos, options.labelMap, source);
  const data = labeledData(x.slice(0, filled), y, featureCols.length, source, options.classes);
  return { ...data, columns: featureCols.map((c) => header[c]), classNames };
}

function labelColumn(header: string[], label: string | number, source: string): number {
  const col = typeof label === 'number' ? (label < 0 ? header.length + label : label) : header.indexOf(label);
  if (col < 0 || col >= header.length || !Number.isInteger(col))
    throw new DataError(`${source}: label column ${JSON.stringify(label)} is not in the header (${header.join(', ')})`, {
      where: source,
      got: label,
    });
  if (header.length < 2) throw new DataError(`${source}: needs at least one feature column besides the label`, { where: source });
  return col;
}

// One line into trimmed cells; "..." quotes a cell that holds commas, "" inside quotes is a quote.
function splitLine(line: string, source: string, lineNo: number): string[] {
  if (!line.includes('"')) return line.split(',').map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (line[i + 1] === '"') cell += line[++i];
      else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw new DataError(`${source}:${lineNo}: unterminated quote`, { where: `${source}:${lineNo}` });
  cells.push(cell.trim());
  return cells;
}
