// CSV export that a spreadsheet opens safely: cells that would start a formula are neutralised.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))];
  // A BOM so that spreadsheet programs read the UTF-8 Chinese text correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
