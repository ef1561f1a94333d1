const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for XML and HTML content and attribute values: & < > " ' escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A pixel coordinate as short, stable text: rounded to 0.01 px, no "-0". */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

/** Attribute values: numbers are rounded as pixels, strings escaped; undefined drops the attribute. */
export type Attrs = Record<string, string | number | undefined>;

/** One SVG element; `children` is already-rendered markup (escape text with escapeXml first). */
export function el(name: string, attrs: Attrs, children?: string): string {
  const parts = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? px(v) : escapeXml(v!)}"`);
  return children === undefined ? `<${name}${parts.join('')}/>` : `<${name}${parts.join('')}>${children}</${name}>`;
}

/** A text element with escaped content. */
export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}
