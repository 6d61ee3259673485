// The scan list's file formats, header and row conversion, without Temporal.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  checkRow, decodeUtf8, mapHeader, parseCsv, readScanList, readTable, toIntakeInput, type Cell, type RowCells, type RowCheck,
} from '../../api/import-rows';
import { HttpProblem } from '../../api/problems';
import { idCardNumber } from '../support/intake';

const ZH_HEADER = ['姓名', '身份证号', '手机号', '来源省', '来源市', '行程轨迹', '交通方式', '车牌', '车次航班', '到达日期',
  '村', '住址', '居住类型', '房东姓名', '房东电话', '房东承诺书', '健康码', '体温'];
const EN_HEADER = ['name', 'idCardNumber', 'phone', 'province', 'city', 'travelTrail', 'transportMode', 'plate', 'transportNumber',
  'arrivalDate', 'village', 'address', 'residence', 'landlordName', 'landlordPhone', 'landlordSigned', 'healthCode', 'temperatureC'];

/** A valid row in Chinese values, in the order of the headers above. */
function zhRow(id = idCardNumber()): string[] {
  return ['张伟', id, '13812345678', '河南省', '信阳市', '河南省信阳市@2026-02-08;浙江省杭州市@2026-02-09', '自驾', '浙a12345', '',
    '2026/2/10', '大坟山沿村', '大坟山沿村 12 幢 301 室', '租住', '李建国', '13900001111', '是', '黄码', '36.5℃'];
}

const everywhere = () => true;
const check = (table: Cell[][], mayRegisterIn: (village: string) => boolean = everywhere) => {
  const list = readScanList(table);
  return list.rows.map((row) => checkRow(row, list.header, mayRegisterIn));
};
const errorsOf = (result: RowCheck) => ('errors' in result ? result.errors : []);

function problemOf(thrower: () => unknown): HttpProblem {
  try {
    thrower();
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('CSV (RFC 4180)', () => {
  it('reads quoted fields with commas, quotes and line breaks, and CRLF or LF line ends', () => {
    const csv = 'a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\nplain,,last\r\n';
    expect(parseCsv(csv)).toEqual([['a', 'b', 'c'], ['x, y', 'say "hi"', 'two\r\nlines'], ['plain', '', 'last']]);
  });

  it('keeps a last line without a line end, and refuses an unclosed quote', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(problemOf(() => parseCsv('a,b\n"1,2\n3,4')).status).toBe(400);
  });

  it('decodes UTF-8 without its BOM, and refuses other encodings', () => {
    expect(decodeUtf8(Buffer.from('\uFEFF姓名,体温', 'utf8'))).toBe('姓名,体温');
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb]); // 姓名 in GBK
    expect(problemOf(() => decodeUtf8(gbk)).detail).toMatch(/not UTF-8/);
  });
});

describe('reading a file by its bytes', () => {
  it('reads CSV and the first worksheet of an XLSX, with typed cells and blank rows kept in place', async () => {
    expect(await readTable(Buffer.from('\uFEFF姓名,体温\r\n张伟,36.5\r\n'))).toEqual([['姓名', '体温'], ['张伟', '36.5']]);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['姓名', '到达日期', '体温', '房东承诺书']);
    sheet.addRow(['张伟', new Date('2026-02-10T00:00:00Z'), 36.5, true]);
    sheet.addRow([]);
    sheet.addRow([{ richText: [{ text: '李' }, { text: '四' }] }, { formula: '1+1', result: 2 }]);
    workbook.addWorksheet('other').addRow(['ignored']);
    const table = await readTable(Buffer.from(await workbook.xlsx.writeBuffer() as ArrayBuffer));
    expect(table).toEqual([
      ['姓名', '到达日期', '体温', '房东承诺书'],
      ['张伟', new Date('2026-02-10T00:00:00Z'), 36.5, true],
      [],
      ['李四', 2],
    ]);
  });

  it('refuses empty files, old .xls workbooks and broken zips with 400', async () => {
    await expect(readTable(Buffer.alloc(0))).rejects.toMatchObject({ status: 400 });
    await expect(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).rejects.toMatchObject({ status: 400, detail: expect.stringMatching(/\.xls/) });
    await expect(readTable(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toMatchObject({ status: 400, detail: expect.stringMatching(/xlsx/) });
  });
});

describe('the header', () => {
  it('maps English and Chinese column names, loosely spelt, and lists the columns it ignores', () => {
    const zh = mapHeader(['序号', ...ZH_HEADER]);
    expect(zh.index.get('name')).toBe(1);
    expect(zh.index.get('temperatureC')).toBe(18);
    expect(zh.ignored).toEqual(['序号']);
    const en = mapHeader(EN_HEADER.map((field) => field.toUpperCase()));
    expect([...en.index.keys()]).toEqual(EN_HEADER);
    const spellings: Record<string, string> = { 姓名: '*姓名', 身份证号: '身份证号码', 手机号: '手机号码', 体温: ' 体温（℃）' };
    const loose = mapHeader(ZH_HEADER.map((label) => spellings[label] ?? label));
    expect([...loose.index.keys()]).toEqual(EN_HEADER);
    expect(loose.label.get('temperatureC')).toBe('体温（℃）');
  });

  it('refuses a header that misses a required column or names one twice, naming them', () => {
    const missing = problemOf(() => mapHeader(ZH_HEADER.filter((label) => label !== '身份证号' && label !== '体温')));
    expect(missing.status).toBe(400);
    expect(missing.errors?.map((e) => e.path)).toEqual(['idCardNumber', 'temperatureC']);
    const twice = problemOf(() => mapHeader([...ZH_HEADER, 'phone']));
    expect(twice.errors).toEqual([{ path: 'phone', message: expect.stringMatching(/手机号 and phone/) }]);
  });

  it('finds the header under a title row, and refuses a table without one', () => {
    const data = zhRow();
    const table = [['2月10日扫码名单'], ZH_HEADER, data];
    const list = readScanList(table);
    // Numbered as in the sheet: the title row is row 1.
    expect(list.rows.map((r) => r.row)).toEqual([table.indexOf(data) + 1]);
    expect(problemOf(() => readScanList([zhRow(), zhRow()])).detail).toMatch(/no header row/);
    expect(problemOf(() => readScanList([])).status).toBe(400);
  });

  it('numbers data rows as in the sheet, skipping blank ones (also rows with only a 序号)', () => {
    const [first, second] = [['1', ...zhRow()], ['4', ...zhRow()]];
    const table = [['序号', ...ZH_HEADER], first, [], ['3'], second];
    const list = readScanList(table);
    expect(list.rows.map((r) => r.row)).toEqual([table.indexOf(first) + 1, table.indexOf(second) + 1]);
  });
});

describe('a row as an intake', () => {
  it('converts Chinese values: modes, village names, residence, booleans, colours, dates, units, the trail', () => {
    const [result] = check([ZH_HEADER, zhRow('11010519491231002x')]);
    expect(result).toEqual({
      row: 2, // the sheet's row: the header is row 1
      intake: {
        person: { name: '张伟', idCardNumber: '11010519491231002X', phone: '13812345678' },
        origin: { province: '河南省', city: '信阳市' },
        travelTrail: [{ place: '河南省信阳市', date: '2026-02-08' }, { place: '浙江省杭州市', date: '2026-02-09' }],
        transport: { mode: 'self_drive', plate: '浙A12345' },
        arrivalDate: '2026-02-10',
        village: 'dafenshanyan',
        address: '大坟山沿村 12 幢 301 室',
        residence: 'renter',
        landlord: { name: '李建国', phone: '13900001111', commitmentSigned: true },
        healthCode: 'yellow',
        temperatureC: 36.5,
      },
    });
  });

  it('converts English values and XLSX cells; a train takes its number, an owner needs no landlord', () => {
    const cells: RowCells = {
      name: 'Li Si', idCardNumber: idCardNumber(), phone: 13812345678, province: 'Hubei', city: 'Wuhan', travelTrail: '',
      transportMode: 'Train', plate: '浙A12345', transportNumber: 'G1234', arrivalDate: new Date('2026-02-10T00:00:00Z'),
      village: 'jingding', address: '荆顶村 3 号', residence: 'owner', healthCode: 'GREEN', temperatureC: 36.2,
    };
    expect(toIntakeInput(cells)).toMatchObject({
      person: { phone: '13812345678' }, travelTrail: [], transport: { mode: 'train', number: 'G1234' },
      arrivalDate: '2026-02-10', residence: 'owner', healthCode: 'green', temperatureC: 36.2,
    });
    expect(toIntakeInput(cells)).not.toHaveProperty('landlord');
    const [result] = check([EN_HEADER, EN_HEADER.map((field) => cells[field as keyof RowCells])]);
    expect(result).toHaveProperty('intake.transport', { mode: 'train', number: 'G1234' });
    const lowered = toIntakeInput({ ...cells, landlordSigned: '否', transportMode: '飞机', residence: '家属', healthCode: '红码' });
    expect(lowered).toMatchObject({ transport: { mode: 'flight' }, residence: 'family', healthCode: 'red', landlord: { commitmentSigned: false } });
  });

  it('rejects bad rows with the intake paths and the file’s column names, never the values', () => {
    const bad = zhRow('110105194912310021'); // wrong check character
    bad[2] = '12345'; // phone
    bad[5] = '河南省信阳市@2026-02-30'; // no such date
    bad[6] = '骑马';
    bad[10] = '不存在村';
    bad[15] = '也许';
    bad[17] = '';
    const errors = errorsOf(check([ZH_HEADER, bad])[0]);
    expect(errors.map((e) => [e.path, e.column])).toEqual(expect.arrayContaining([
      ['person.idCardNumber', '身份证号'],
      ['person.phone', '手机号'],
      ['travelTrail.0.date', '行程轨迹'],
      ['transport.mode', '交通方式'],
      ['village', '村'],
      ['landlord.commitmentSigned', '房东承诺书'],
      ['temperatureC', '体温'],
    ]));
    const text = JSON.stringify(errors);
    for (const value of ['110105194912310021', '12345', '骑马', '不存在村', '也许', '张伟']) expect(text).not.toContain(value);
  });

  it('names a driver’s missing plate and a renter’s missing landlord or unsigned commitment', () => {
    const noLandlord = zhRow();
    noLandlord[7] = '';
    noLandlord[13] = noLandlord[14] = noLandlord[15] = '';
    const unsigned = zhRow();
    unsigned[15] = '否';
    const [first, second] = check([ZH_HEADER, noLandlord, unsigned]);
    expect(errorsOf(first).map((e) => e.path)).toEqual(['transport.plate', 'landlord']);
    expect(errorsOf(second)).toEqual([{ path: 'landlord.commitmentSigned', column: '房东承诺书', message: expect.stringMatching(/承诺书/) }]);
  });

  it('rejects a valid row outside the caller’s villages', () => {
    const [result] = check([ZH_HEADER, zhRow()], (village) => village === 'lanjie');
    expect(result).toEqual({ row: 2, errors: [{ path: 'village', column: '村', message: 'outside your villages' }] });
  });
});
