import { OPTIONS } from './options.js';

/** The README's option table, generated from the option table (scripts/readme-options.ts writes it). */
export function optionsMarkdown(): string {
  const rows = OPTIONS.map((o) => {
    const flag = `\`${o.short ? `-${o.short}, ` : ''}--${o.long}${o.type === 'boolean' ? '' : ` <${o.type}>`}\``;
    const choices = o.choices ? ` One of: ${o.choices.join(', ')}.` : '';
    const config = o.configPath ? ` Config key \`${o.configPath}\`.` : '';
    return `| ${flag} | ${o.commands.join(', ')} | ${o.default ?? ''} | ${o.description}.${choices}${config} |`;
  });
  return ['| option | commands | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
