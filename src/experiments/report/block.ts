import type { Figure } from './figure-spec.js';
import type { Table } from './tables.js';

/** One section as the renderers lay it out: text, charts (built on demand) and tables. */
export interface Block {
  id: string;
  title: string;
  /** Why the section is absent, or a caveat on what it shows. */
  note?: string;
  paragraphs: string[];
  figures: () => Figure[];
  tables: { title: string; table: Table; collapsed?: boolean }[];
}
