// CSV export that a spreadsheet opens safely: cells that would start a formula are neutralised.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The start of a CSV file: a BOM, so that spreadsheet programs read the UTF-8 Chinese text correctly, and the header. */
export function csvHead(columns: string[]): string {
  return `\uFEFF${columns.join(',')}\r\n`;
}

/** Rows, each ended by CRLF: a streamed export writes the head once, then these, page by page. */
export function csvLines(columns: string[], rows: Record<string, unknown>[]): string {
  return rows.map((row) => `${columns.map((c) => csvCell(row[c])).join(',')}\r\n`).join('');
}

export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  return csvHead(columns) + csvLines(columns, rows);
}
