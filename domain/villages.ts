// The zone's villages (demo data from the zone's own report). Codes, not names, go into search
// attributes and workflow state; names are for display.
export interface Village {
  id: string;
  name: string;
  renters: number;
}

export const VILLAGES: readonly Village[] = [
  { id: 'dafenshanyan', name: '大坟山沿村', renters: 13000 },
  { id: 'jingding', name: '荆顶村', renters: 7000 },
  { id: 'lanjie', name: '兰街村', renters: 3000 },
];

export const VILLAGE_IDS = VILLAGES.map((v) => v.id) as [string, ...string[]];

export function villageName(id: string): string {
  return VILLAGES.find((v) => v.id === id)?.name ?? id;
}
