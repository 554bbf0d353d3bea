import { describe, expect, it } from 'vitest';
import { EMISSION_STANDARDS } from '../src/seed/emission-standards.js';
import { HUBEI_REGIONS } from '../src/seed/regions-hubei.js';

const PROVINCIAL_UNITS = ['429004', '429005', '429006', '429021'];

function standard(code: string) {
  const found = EMISSION_STANDARDS.find((s) => s.code === code);
  if (!found) throw new Error(`standard ${code} missing`);
  return found;
}

function limitValue(code: string, factor: string, appliesTo: string | undefined, period = 'hour') {
  const rows = standard(code).limits.filter(
    (l) => l.factor === factor && l.appliesTo === appliesTo && l.period === period,
  );
  expect(rows, `${code} ${factor} ${appliesTo ?? '(all)'} ${period}`).toHaveLength(1);
  return rows[0];
}

describe('HUBEI_REGIONS', () => {
  const byCode = new Map(HUBEI_REGIONS.map((r) => [r.code, r]));
  const cities = HUBEI_REGIONS.filter((r) => r.level === 'city');
  const counties = HUBEI_REGIONS.filter((r) => r.level === 'county');

  it('has unique codes and names unique within each parent', () => {
    expect(byCode.size).toBe(HUBEI_REGIONS.length);
    const keys = HUBEI_REGIONS.map((r) => `${r.parent}/${r.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has all codes six digits starting with 42', () => {
    for (const r of HUBEI_REGIONS) expect(r.code, r.name).toMatch(/^42\d{4}$/);
  });

  it('has exactly one province, 420000 湖北省, without parent', () => {
    const provinces = HUBEI_REGIONS.filter((r) => r.level === 'province');
    expect(provinces).toEqual([{ code: '420000', name: '湖北省', level: 'province', parent: null }]);
  });

  it('has exactly 17 cities, all under the province', () => {
    expect(cities).toHaveLength(17);
    for (const c of cities) expect(c.parent, c.name).toBe('420000');
    expect(cities.map((c) => c.code)).toEqual(expect.arrayContaining([...PROVINCIAL_UNITS, '422800']));
    expect(byCode.get('422800')?.name).toBe('恩施土家族苗族自治州');
    expect(byCode.get('429021')?.name).toBe('神农架林区');
  });

  it('has every county under a city in the list, sharing its first four digits', () => {
    expect(counties.length).toBeGreaterThan(0);
    for (const c of counties) {
      const parent = c.parent === null ? undefined : byCode.get(c.parent);
      expect(parent?.level, `${c.code} ${c.name}`).toBe('city');
      expect(c.code.slice(0, 4), `${c.code} ${c.name}`).toBe(c.parent?.slice(0, 4));
      expect(c.code.slice(4), `${c.code} ${c.name}`).not.toBe('00');
    }
  });

  it('gives the four 省直辖 units no counties and every other city at least one', () => {
    const childCount = (code: string) => counties.filter((c) => c.parent === code).length;
    for (const code of PROVINCIAL_UNITS) expect(childCount(code), code).toBe(0);
    for (const c of cities.filter((x) => !PROVINCIAL_UNITS.includes(x.code))) {
      expect(childCount(c.code), c.name).toBeGreaterThan(0);
    }
  });

  it('has the official 103 county-level divisions (99 counties + 4 省直辖 units)', () => {
    expect(counties).toHaveLength(99);
    const perCity = Object.fromEntries(
      cities.map((c) => [c.name, counties.filter((k) => k.parent === c.code).length]),
    );
    expect(perCity).toMatchObject({
      武汉市: 13,
      黄石市: 6,
      十堰市: 8,
      宜昌市: 13,
      襄阳市: 9,
      鄂州市: 3,
      荆门市: 5,
      孝感市: 7,
      荆州市: 8,
      黄冈市: 10,
      咸宁市: 6,
      随州市: 3,
      恩施土家族苗族自治州: 8,
    });
  });

  it('spot-checks codes from the current list', () => {
    const expected: Record<string, [string, string]> = {
      '420117': ['新洲区', '420100'],
      '420304': ['郧阳区', '420300'],
      '420505': ['猇亭区', '420500'],
      '420528': ['长阳土家族自治县', '420500'],
      '420529': ['五峰土家族自治县', '420500'],
      '420607': ['襄州区', '420600'],
      '420703': ['华容区', '420700'],
      '420882': ['京山市', '420800'],
      '421087': ['松滋市', '421000'],
      '421088': ['监利市', '421000'],
      '421321': ['随县', '421300'],
      '422828': ['鹤峰县', '422800'],
    };
    for (const [code, [name, parent]] of Object.entries(expected)) {
      expect(byCode.get(code), code).toMatchObject({ name, parent, level: 'county' });
    }
  });
});

describe('EMISSION_STANDARDS', () => {
  it('has unique standard codes, each with notes citing a table', () => {
    const codes = EMISSION_STANDARDS.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(
      expect.arrayContaining([
        'GB 13223-2011',
        'GB 13271-2014',
        'GB 18485-2014',
        'GB 4915-2013',
        'GB 16297-1996',
        'GB 8978-1996',
        'GB 18918-2002',
      ]),
    );
    for (const s of EMISSION_STANDARDS) expect(s.notes, s.code).toMatch(/表\d/);
  });

  it('has every limit positive, with a factor code of the right medium and a matching unit', () => {
    for (const s of EMISSION_STANDARDS) {
      expect(s.limits.length, s.code).toBeGreaterThan(0);
      for (const l of s.limits) {
        const where = `${s.code} ${l.factor} ${l.appliesTo ?? ''}`;
        expect(l.factor, where).toMatch(/^[wa]\d{5}$/);
        expect(l.factor[0], where).toBe(s.kind === 'water' ? 'w' : 'a');
        expect(Number.isFinite(l.value) && l.value > 0, where).toBe(true);
        if (l.factor === 'w01001') expect(l.unit, where).toBe('无量纲');
        else expect(l.unit, where).toBe(s.kind === 'water' ? 'mg/L' : 'mg/m³');
      }
    }
  });

  it('has no duplicate limit rows', () => {
    for (const s of EMISSION_STANDARDS) {
      const keys = s.limits.map((l) => `${l.factor}|${l.period}|${l.appliesTo ?? ''}`);
      expect(new Set(keys).size, s.code).toBe(keys.length);
    }
  });

  it('gives every gas limit a reference O₂ unless the standard has none', () => {
    for (const s of EMISSION_STANDARDS.filter((x) => x.kind === 'gas' && x.code !== 'GB 16297-1996')) {
      for (const l of s.limits) {
        expect(l.referenceO2 ?? s.referenceO2, `${s.code} ${l.factor} ${l.appliesTo}`).not.toBeNull();
      }
    }
    expect(standard('GB 16297-1996').referenceO2).toBeNull();
    expect(standard('GB 16297-1996').limits.every((l) => l.referenceO2 === undefined)).toBe(true);
  });

  it('has GB 18485-2014 hour and day limits for each of its five factors, day stricter', () => {
    const s = standard('GB 18485-2014');
    expect(s.referenceO2).toBe(11);
    for (const factor of ['a34013', 'a21002', 'a21026', 'a21024', 'a21005']) {
      const hour = limitValue('GB 18485-2014', factor, undefined, 'hour');
      const day = limitValue('GB 18485-2014', factor, undefined, 'day');
      expect(day?.value, factor).toBeLessThan(hour?.value ?? 0);
    }
    expect(limitValue('GB 18485-2014', 'a34013', undefined, 'hour')?.value).toBe(30);
    expect(limitValue('GB 18485-2014', 'a21024', undefined, 'day')?.value).toBe(50);
  });

  it('encodes pH as a 6–9 range in the water standards', () => {
    for (const code of ['GB 8978-1996', 'GB 18918-2002']) {
      expect(limitValue(code, 'w01001', 'upper', 'instant')?.value).toBe(9);
      expect(limitValue(code, 'w01001', 'lower', 'instant')?.value).toBe(6);
    }
  });

  it('spot-checks key values', () => {
    expect(limitValue('GB 13223-2011', 'a21002', '燃煤锅炉')).toMatchObject({ value: 100, referenceO2: 6 });
    expect(limitValue('GB 13223-2011', 'a34013', '燃煤锅炉')?.value).toBe(30);
    expect(limitValue('GB 13223-2011', 'a21026', '燃煤锅炉 新建锅炉')?.value).toBe(100);
    expect(limitValue('GB 13223-2011', 'a21026', '燃煤锅炉 现有锅炉')?.value).toBe(200);
    expect(limitValue('GB 13223-2011', 'a20057', '燃煤锅炉')?.value).toBe(0.03);
    expect(limitValue('GB 13223-2011', 'a34013', '燃煤锅炉 特别排放限值')?.value).toBe(20);
    expect(limitValue('GB 13223-2011', 'a21026', '燃气锅炉')).toMatchObject({ value: 35, referenceO2: 3 });
    expect(limitValue('GB 13223-2011', 'a21002', '燃气轮机组')).toMatchObject({ value: 50, referenceO2: 15 });

    expect(limitValue('GB 13271-2014', 'a21026', '燃煤锅炉')).toMatchObject({ value: 300, referenceO2: 9 });
    expect(limitValue('GB 13271-2014', 'a21002', '燃气锅炉')).toMatchObject({ value: 200, referenceO2: 3.5 });
    expect(limitValue('GB 13271-2014', 'a34013', '燃煤锅炉 特别排放限值')?.value).toBe(30);

    expect(limitValue('GB 4915-2013', 'a21002', '水泥窑及窑尾余热利用系统')).toMatchObject({
      value: 400,
      referenceO2: 10,
    });
    expect(limitValue('GB 16297-1996', 'a21026', '新污染源')?.value).toBe(550);

    expect(limitValue('GB 8978-1996', 'w01018', '一级标准', 'day')?.value).toBe(100);
    expect(limitValue('GB 8978-1996', 'w21003', '二级标准', 'day')?.value).toBe(25);
    expect(limitValue('GB 18918-2002', 'w01018', '一级A', 'day')?.value).toBe(50);
    expect(limitValue('GB 18918-2002', 'w21003', '一级A', 'day')?.value).toBe(5);
    expect(limitValue('GB 18918-2002', 'w21003', '一级A (水温≤12℃)', 'day')?.value).toBe(8);
    expect(limitValue('GB 18918-2002', 'w21011', '一级B', 'day')?.value).toBe(1);
  });
});
