// The daily scan list (扫码名单) as uploaded: a CSV or XLSX table, one returnee per row, under a
// header of English or Chinese column names. This module reads the file into a table, maps the
// header, and turns each row's flat cells into the nested intake form, validated by IntakeSchema.
// It registers nothing: routes/imports.ts does that with what this module accepts.
import ExcelJS from 'exceljs';
import { IntakeSchema, type Intake } from '../domain/schemas';
import { VILLAGES } from '../domain/villages';
import { fieldErrors, HttpProblem, type FieldError } from './problems';

/** One cell as read from either format; CSV yields only strings, XLSX also numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | undefined;
export type Table = Cell[][];

interface ColumnSpec {
  /** The English column name, also the field's key in a row's cells. */
  field: string;
  /** Chinese column names. */
  zh: readonly string[];
  /** Where the value lands in the intake: row errors at this path (or below it) name this column. */
  path: string;
  /** A column that may be absent from the file (its values are needed only by some rows). */
  optional?: true;
}

const COLUMNS = [
  { field: 'name', zh: ['姓名'], path: 'person.name' },
  { field: 'idCardNumber', zh: ['身份证号', '身份证号码'], path: 'person.idCardNumber' },
  { field: 'phone', zh: ['手机号', '手机号码'], path: 'person.phone' },
  { field: 'province', zh: ['来源省'], path: 'origin.province' },
  { field: 'city', zh: ['来源市'], path: 'origin.city' },
  { field: 'travelTrail', zh: ['行程轨迹'], path: 'travelTrail', optional: true },
  { field: 'transportMode', zh: ['交通方式'], path: 'transport' },
  { field: 'plate', zh: ['车牌', '车牌号'], path: 'transport.plate', optional: true },
  { field: 'transportNumber', zh: ['车次航班'], path: 'transport.number', optional: true },
  { field: 'arrivalDate', zh: ['到达日期'], path: 'arrivalDate' },
  { field: 'village', zh: ['村'], path: 'village' },
  { field: 'address', zh: ['住址'], path: 'address' },
  { field: 'residence', zh: ['居住类型'], path: 'residence' },
  { field: 'landlordName', zh: ['房东姓名'], path: 'landlord.name', optional: true },
  { field: 'landlordPhone', zh: ['房东电话'], path: 'landlord.phone', optional: true },
  { field: 'landlordSigned', zh: ['房东承诺书'], path: 'landlord.commitmentSigned', optional: true },
  { field: 'healthCode', zh: ['健康码'], path: 'healthCode' },
  { field: 'temperatureC', zh: ['体温'], path: 'temperatureC' },
] as const satisfies readonly ColumnSpec[];

export type ImportField = (typeof COLUMNS)[number]['field'];
export type RowCells = Partial<Record<ImportField, Cell>>;

/** At most this many data rows per import (the zone's busiest day added ~1,900 names). */
export const MAX_IMPORT_ROWS = 20_000;
/** The header may sit below a title row or two (e.g. 「2月10日扫码名单」), as office sheets often have. */
const HEADER_SEARCH_ROWS = 10;

const unreadable = (detail: string, errors?: FieldError[]) => new HttpProblem(400, 'Bad Request', detail, errors);

// ---- reading the file into a table -------------------------------------------------------------

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * The file's rows, its format told by its bytes: XLSX is a zip, anything else must be UTF-8 CSV.
 * (Browsers label uploaded CSV files inconsistently, e.g. application/vnd.ms-excel on Windows.)
 */
export async function readTable(data: Buffer): Promise<Table> {
  if (data.length === 0) throw unreadable('the file is empty');
  if (data.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return readXlsx(data);
  if (data.subarray(0, OLE_MAGIC.length).equals(OLE_MAGIC)) {
    throw unreadable('old .xls workbooks are not supported: save the sheet as .xlsx, or as CSV UTF-8');
  }
  return parseCsv(decodeUtf8(data));
}

/** UTF-8 text without its BOM; other encodings (GBK from older Excel) are refused rather than garbled. */
export function decodeUtf8(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw unreadable('the file is not UTF-8 text: save it as “CSV UTF-8（逗号分隔）” or as .xlsx');
  }
}

/** RFC 4180 CSV: comma-separated, fields optionally in double quotes ("" for a quote), CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') { field += '"'; i += 1; }
      else quoted = false;
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (quoted) throw unreadable(`a quoted field that starts on line ${rows.length + 1} is never closed`);
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The first worksheet's rows, at their sheet positions (empty rows stay, so row numbers match). */
async function readXlsx(data: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its Buffer as an ArrayBuffer; at run time it reads Node buffers as they are.
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw unreadable('the file is not a readable .xlsx workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('the workbook has no worksheet');
  const table: Table = [];
  sheet.eachRow((row, rowNumber) => {
    table[rowNumber - 1] = Array.from({ length: row.cellCount }, (_, i) => plainCell(row.getCell(i + 1).value));
  });
  return Array.from(table, (cells) => cells ?? []);
}

function plainCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('result' in value) return plainCell(value.result);
  if ('hyperlink' in value) return plainCell(value.text);
  return undefined; // a formula without a cached result, or an error value such as #N/A
}

// ---- the header ---------------------------------------------------------------------------------

/** Compares column names loosely: full-width forms, spaces, a required-mark `*`, a unit `(℃)`, case. */
const labelKey = (label: string) => label.normalize('NFKC').replace(/[\s*]/g, '').replace(/\(.*\)$/, '').toLowerCase();

const FIELD_BY_LABEL = new Map<string, ImportField>(
  COLUMNS.flatMap((column) => [column.field, ...column.zh].map((label) => [labelKey(label), column.field] as const)),
);

export interface Header {
  /** The column index of each field present. */
  index: Map<ImportField, number>;
  /** Each field's column name as this file spells it, to name columns in row errors. */
  label: Map<ImportField, string>;
  /** Column names not recognised (e.g. 序号, 备注); their cells are not read. */
  ignored: string[];
}

export function mapHeader(cells: Cell[]): Header {
  const header: Header = { index: new Map(), label: new Map(), ignored: [] };
  const duplicates: FieldError[] = [];
  cells.forEach((cell, index) => {
    const label = text(cell);
    if (label === '') return;
    const field = FIELD_BY_LABEL.get(labelKey(label));
    if (!field) header.ignored.push(label);
    else if (header.index.has(field)) duplicates.push({ path: field, message: `two columns mean ${field}: ${header.label.get(field)} and ${label}` });
    else {
      header.index.set(field, index);
      header.label.set(field, label);
    }
  });
  const missing = COLUMNS.filter((column) => !('optional' in column) && !header.index.has(column.field))
    .map((column) => ({ path: column.field, message: `missing column ${column.zh[0]} (${column.field})` }));
  if (duplicates.length + missing.length > 0) {
    throw unreadable('the header row does not name the scan list’s columns once each', [...duplicates, ...missing]);
  }
  return header;
}

// ---- rows ---------------------------------------------------------------------------------------

export interface DataRow {
  /**
   * The row's number in the sheet, as the spreadsheet shows it: 1 is the file's first row (a title
   * row, or the header), and blank rows count. A CSV row whose quoted cell holds line breaks is one
   * row, as in the spreadsheet, so this is not always the text file's line number.
   */
  row: number;
  cells: RowCells;
}

export interface ScanList {
  header: Header;
  /** The non-blank data rows. */
  rows: DataRow[];
}

/** Finds the header (the first row naming a known column) and the data rows under it. */
export function readScanList(table: Table): ScanList {
  const at = table.slice(0, HEADER_SEARCH_ROWS).findIndex((cells) => cells.some((cell) => FIELD_BY_LABEL.has(labelKey(text(cell)))));
  if (at === -1) throw unreadable('no header row: the first row must name the columns, e.g. 姓名, 身份证号, 手机号 … (or name, idCardNumber, phone …)');
  const header = mapHeader(table[at]);
  const rows: DataRow[] = [];
  table.forEach((cells, index) => {
    if (index <= at) return; // the header and any title rows above it
    const mapped: RowCells = Object.fromEntries([...header.index].map(([field, column]) => [field, cells[column]]));
    // Blank in the scan list's columns: trailing template rows often carry only a 序号.
    // (Both readers put a sheet row at its index in the table: row n at n - 1.)
    if (Object.values(mapped).some((cell) => text(cell) !== '')) rows.push({ row: index + 1, cells: mapped });
  });
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new HttpProblem(413, 'Content Too Large', `at most ${MAX_IMPORT_ROWS} rows per import; this file has ${rows.length}: split it`);
  }
  return { header, rows };
}

export interface RowError extends FieldError {
  /** The file's column for the error's path, when one column holds it. */
  column?: string;
}

export type RowCheck = { row: number; intake: Intake } | { row: number; errors: RowError[] };

/**
 * A row as an intake, or why not. Errors name fields and columns, never values: they are returned
 * and may be logged, and a row carries names, phones and ID numbers.
 */
export function checkRow({ row, cells }: DataRow, header: Header, mayRegisterIn: (village: string) => boolean): RowCheck {
  const parsed = IntakeSchema.safeParse(toIntakeInput(cells));
  if (!parsed.success) return { row, errors: withColumns(fieldErrors(parsed.error), header) };
  if (!mayRegisterIn(parsed.data.village)) return { row, errors: withColumns([{ path: 'village', message: 'outside your villages' }], header) };
  return { row, intake: parsed.data };
}

function withColumns(errors: FieldError[], header: Header): RowError[] {
  return errors.map((error) => {
    const column = COLUMNS.filter((c) => error.path === c.path || error.path.startsWith(`${c.path}.`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    const label = column && header.label.get(column.field);
    return label ? { ...error, column: label } : error;
  });
}

// ---- cells → the nested intake ------------------------------------------------------------------

const TRANSPORT_ZH: Record<string, string> = { 自驾: 'self_drive', 火车: 'train', 大巴: 'bus', 飞机: 'flight' };
const RESIDENCE_ZH: Record<string, string> = { 租住: 'renter', 自有: 'owner', 家属: 'family' };
const HEALTH_CODE_ZH: Record<string, string> = { 绿码: 'green', 黄码: 'yellow', 红码: 'red', 绿: 'green', 黄: 'yellow', 红: 'red' };
const VILLAGE_BY_NAME: Record<string, string> = Object.fromEntries(VILLAGES.map((v) => [v.name, v.id]));
const BOOLEANS: Record<string, boolean> = { true: true, false: false, 是: true, 否: false, yes: true, no: false, 1: true, 0: false };

/** The flat row in the intake's shape; values it cannot read are passed on for IntakeSchema to name. */
export function toIntakeInput(cells: RowCells): Record<string, unknown> {
  const mode = translated(cells.transportMode, TRANSPORT_ZH);
  const hasLandlord = [cells.landlordName, cells.landlordPhone, cells.landlordSigned].some((cell) => text(cell) !== '');
  const transportNumber = text(cells.transportNumber);
  return {
    person: { name: text(cells.name), idCardNumber: text(cells.idCardNumber), phone: text(cells.phone) },
    origin: { province: text(cells.province), city: text(cells.city) },
    travelTrail: travelTrail(cells.travelTrail),
    transport: mode === 'self_drive'
      ? { mode, plate: text(cells.plate).toUpperCase() }
      : { mode, ...(transportNumber ? { number: transportNumber } : {}) },
    arrivalDate: localDate(cells.arrivalDate),
    village: translated(cells.village, VILLAGE_BY_NAME),
    address: text(cells.address),
    residence: translated(cells.residence, RESIDENCE_ZH),
    ...(hasLandlord ? {
      landlord: { name: text(cells.landlordName), phone: text(cells.landlordPhone), commitmentSigned: boolean(cells.landlordSigned) },
    } : {}),
    healthCode: translated(cells.healthCode, HEALTH_CODE_ZH),
    temperatureC: number(cells.temperatureC),
  };
}

function text(cell: Cell): string {
  if (cell === undefined) return '';
  if (cell instanceof Date) return isoDate(cell);
  return String(cell).trim();
}

/** A Chinese value's code, or the value itself in lower case (codes are lower case). */
function translated(cell: Cell, zh: Record<string, string>): string {
  const value = text(cell);
  return zh[value] ?? value.toLowerCase();
}

/** XLSX dates are UTC midnights of the sheet's calendar date. */
const isoDate = (date: Date) => (Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10));

/** YYYY-MM-DD, also from the forms spreadsheets produce: 2026/2/9, 2026.2.9, 2026年2月9日. */
function localDate(cell: Cell): string {
  const value = text(cell);
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value);
  return match ? `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}` : value;
}

/** `地点@YYYY-MM-DD;地点@YYYY-MM-DD` (full-width ；＠ too) → stops; a stop without a date gets none. */
function travelTrail(cell: Cell): { place: string; date: string }[] {
  return text(cell).replace(/；/g, ';').replace(/＠/g, '@').split(';').map((stop) => stop.trim()).filter(Boolean).map((stop) => {
    const at = stop.lastIndexOf('@');
    return at === -1 ? { place: stop, date: '' } : { place: stop.slice(0, at).trim(), date: localDate(stop.slice(at + 1)) };
  });
}

function boolean(cell: Cell): unknown {
  if (typeof cell === 'boolean') return cell;
  const value = text(cell).toLowerCase();
  return value === '' ? undefined : BOOLEANS[value] ?? value;
}

/** A temperature, also written with its unit (36.5℃, 36.5°C). */
function number(cell: Cell): unknown {
  if (typeof cell === 'number') return cell;
  const value = text(cell).normalize('NFKC').replace(/\s*°?C$/i, '');
  if (value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : value;
}
