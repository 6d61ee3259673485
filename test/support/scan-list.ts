// A daily scan list (扫码名单) as caseworkers upload it: Chinese headers, CSV as Excel saves it.
import { toCsv } from '../../api/csv';
import { addDays, localDateOf } from '../../domain/time';
import { idCardNumber } from './intake';

export const COLUMNS = ['姓名', '身份证号', '手机号', '来源省', '来源市', '行程轨迹', '交通方式', '车牌', '车次航班', '到达日期', '村', '住址',
  '居住类型', '房东姓名', '房东电话', '房东承诺书', '健康码', '体温'];

export type Row = Record<string, string>;

/**
 * A valid scan-list row in Chinese; the address has a comma, so the CSV quotes it. The returnee
 * arrived today (Shanghai), so a yellow code's isolation is still running on the dev server.
 */
export function row(overrides: Row = {}): Row {
  const today = localDateOf(Date.now());
  return {
    姓名: '张伟', 身份证号: idCardNumber(), 手机号: '13812345678', 来源省: '河南省', 来源市: '信阳市',
    行程轨迹: `河南省信阳市@${addDays(today, -1)}`, 交通方式: '自驾', 车牌: '浙A12345', 车次航班: '', 到达日期: today,
    村: '大坟山沿村', 住址: '大坟山沿村 12 幢, 301 室', 居住类型: '租住', 房东姓名: '李建国', 房东电话: '13900001111',
    房东承诺书: '是', 健康码: '黄码', 体温: '36.5', ...overrides,
  };
}

export const csvOf = (rows: Row[]) => Buffer.from(toCsv(COLUMNS, rows)); // UTF-8 with a BOM, CRLF, as Excel saves it

