// Row numbers in import results are the sheet's own: what a caseworker sees at the left of the
// spreadsheet, for CSV and XLSX alike, with title rows above the header, blank rows, and CSV cells
// that hold line breaks. Without Temporal.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkRow, readScanList, readTable } from '../../api/import-rows';
import { idCardNumber } from '../support/intake';

const HEADER = ['姓名', '身份证号', '手机号', '来源省', '来源市', '交通方式', '车牌', '到达日期', '村', '住址', '居住类型',
  '房东姓名', '房东电话', '房东承诺书', '健康码', '体温'];
const good = (address = '大坟山沿村 12 幢 301 室') =>
  ['张伟', idCardNumber(), '13812345678', '河南省', '信阳市', '自驾', '浙A12345', '2026-02-10', '大坟山沿村', address, '租住',
    '李建国', '13900001111', '是', '黄码', '36.5'];
const badPhone = () => good().map((cell, i) => (i === 2 ? '12345' : cell));

const quoted = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const csvLine = (cells: string[]) => cells.map(quoted).join(',');

/** The results' row numbers and whether each row was accepted. */
async function numbered(file: Buffer): Promise<[number, 'ok' | 'rejected'][]> {
  const list = readScanList(await readTable(file));
  return list.rows.map((row) => {
    const check = checkRow(row, list.header, () => true);
    return [check.row, 'intake' in check ? 'ok' : 'rejected'];
  });
}

describe('import row numbers', () => {
  it('CSV: the header on row 1 and a bad row on row 3 is reported as row 3', async () => {
    const lines = [csvLine(HEADER), csvLine(good()), csvLine(badPhone())];
    const file = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
    // The sheet's row n is the file's line n here (no cell holds a line break).
    expect(await numbered(file)).toEqual([[2, 'ok'], [lines.length, 'rejected']]);
  });

  it('CSV: title rows above the header, blank lines and a cell with line breaks', async () => {
    // Each entry is one sheet row; a row's line breaks inside quotes do not make more rows.
    const sheet: (string[] | null)[] = [
      ['2月10日扫码名单'], // row 1
      null, // row 2: blank
      HEADER, // row 3
      good('大坟山沿村 12 幢\n301 室'), // row 4, two lines of text
      null, // row 5: blank
      badPhone(), // row 6
      ['', '', ''], // row 7: blank in every column
      good(), // row 8
    ];
    const file = Buffer.from(`${sheet.map((cells) => (cells ? csvLine(cells) : '')).join('\n')}\n`);
    const rowOf = (cells: string[] | null) => sheet.indexOf(cells) + 1;
    expect(await numbered(file)).toEqual([[rowOf(sheet[3]), 'ok'], [rowOf(sheet[5]), 'rejected'], [rowOf(sheet[7]), 'ok']]);
  });

  it('XLSX: the row numbers exceljs gives the rows, with a title row and blank rows', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('扫码名单');
    sheet.addRow(['2026-02-10 扫码名单']);
    sheet.addRow([]);
    sheet.addRow(HEADER);
    const first = sheet.addRow(good()).number;
    sheet.addRow([]);
    sheet.addRow([]);
    const bad = sheet.addRow(badPhone()).number;
    const last = sheet.getRow(bad + 3); // written with gaps: rows bad+1 and bad+2 never exist
    last.values = good();
    last.commit();
    const file = Buffer.from(await workbook.xlsx.writeBuffer() as ArrayBuffer);
    expect(await numbered(file)).toEqual([[first, 'ok'], [bad, 'rejected'], [bad + 3, 'ok']]);
  });
});
