// Markdown building blocks for tooltips and details documents. User text (ids, descriptions, reasons,
// JSON from executions) is escaped or fenced so it can never turn into markup, links or HTML.

/**
 * Escapes what Markdown or HTML would make of plain text: emphasis, code, links and images, HTML tags
 * and entities, table pipes, strikethrough, and block syntax (headings, lists, quotes) at a line start.
 * Text stays readable in the Markdown source (no escapes on '-' or '.' inside words).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~&]/g, m => `\\${m}`)
    .replace(/^([ \t]*)(?:([#>+=-])|(\d+)([.)]))/gm, (_all, indent: string, mark: string | undefined, digits: string | undefined, punct: string | undefined) =>
      mark !== undefined ? `${indent}\\${mark}` : `${indent}${digits ?? ''}\\${punct ?? ''}`,
    );
}

/** Inline code for any text: a longer backtick fence when the text holds backticks. */
export function inlineCode(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A fenced block that no line of the content can close early. */
export function fencedBlock(content: string, language = ''): string {
  const longest = Math.max(2, ...(content.match(/^`{3,}/gm) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${content}\n${fence}`;
}

/** Pretty JSON in a fenced block, cut at `maxChars` with a note saying how much was left out. */
export function jsonBlock(value: unknown, maxChars = 20_000): string {
  const text = JSON.stringify(value ?? null, null, 2) ?? 'null';
  if (text.length <= maxChars) return fencedBlock(text, 'json');
  return `${fencedBlock(text.slice(0, maxChars), 'json')}\n\n*Cut at ${maxChars.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters.*`;
}

/** A table cell: one line, pipes escaped. */
export function tableCell(text: string): string {
  return escapeMarkdown(text.replace(/[\r\n]+/g, ' '));
}

/** Cuts a one-line summary of text (reasons in descriptions) with an ellipsis. */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
