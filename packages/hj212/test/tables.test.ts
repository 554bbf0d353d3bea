import { describe, expect, it } from 'vitest';
import { DEVICE_INFO_CODES } from '../src/tables/device-info-codes.js';
import { FACTOR_CODES, FACTOR_CODES_2005 } from '../src/tables/factor-codes.js';
import { SYSTEM_CODES } from '../src/tables/system-codes.js';

function duplicates(codes: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const c of codes) {
    if (seen.has(c)) dup.push(c);
    seen.add(c);
  }
  return dup;
}

const by2017 = new Map(FACTOR_CODES.map((f) => [f.code, f]));
const by2005 = new Map(FACTOR_CODES_2005.map((f) => [f.code, f]));

describe('FACTOR_CODES (HJ 212-2017 表 B.1-B.3)', () => {
  it('has unique codes', () => {
    expect(duplicates(FACTOR_CODES.map((f) => f.code))).toEqual([]);
  });

  it('has the transcribed row counts per table', () => {
    expect(FACTOR_CODES.filter((f) => f.medium === 'water')).toHaveLength(63); // 表 B.1
    expect(FACTOR_CODES.filter((f) => f.medium === 'air')).toHaveLength(121); // 表 B.2
    expect(FACTOR_CODES.filter((f) => f.medium === 'noise')).toHaveLength(12); // 表 B.3
  });

  it('uses w/a + 5 digits for water/air codes', () => {
    for (const f of FACTOR_CODES) {
      if (f.medium === 'water') expect(f.code).toMatch(/^w\d{5}$/);
      if (f.medium === 'air') expect(f.code).toMatch(/^a\d{5}$/);
    }
  });

  it('has the 12 noise codes, all 分贝 / N3.1 without emission unit', () => {
    const noise = FACTOR_CODES.filter((f) => f.medium === 'noise');
    expect(noise.map((f) => f.code)).toEqual([
      'LA',
      'L5',
      'L10',
      'L50',
      'L90',
      'L95',
      'Leq',
      'Ldn',
      'Ld',
      'Ln',
      'LMx',
      'LMn',
    ]);
    for (const f of noise) {
      expect(f).toMatchObject({ unit: '分贝', dataType: 'N3.1', emissionUnit: '' });
      expect(f.code2005).toBeUndefined();
    }
    expect(by2017.get('Ld')?.nameZh).toBe('昼间等效声级');
    expect(by2017.get('Ln')?.nameZh).toBe('夜间等效声级');
  });

  it('has non-empty names and no surrounding whitespace', () => {
    for (const f of FACTOR_CODES) {
      expect(f.nameZh.length).toBeGreaterThan(0);
      expect(f.nameEn.length).toBeGreaterThan(0);
      for (const s of [f.code, f.nameZh, f.nameEn, f.unit, f.emissionUnit, f.dataType]) {
        expect(s).toBe(s.trim());
      }
      if (f.dataType !== '') expect(f.dataType).toMatch(/^N\d+(\.\d+)?$/);
    }
  });

  it('matches spot values', () => {
    expect(by2017.get('w01018')).toMatchObject({
      nameZh: '化学需氧量',
      medium: 'water',
      code2005: '011',
      unit: '毫克/升',
      emissionUnit: '千克',
      dataType: 'N5.1',
    });
    expect(by2017.get('w00000')).toMatchObject({ code2005: 'B01', unit: '升/秒', emissionUnit: '立方米' });
    expect(by2017.get('w21003')).toMatchObject({ nameZh: '氨氮', code2005: '060', dataType: 'N4.2' });
    expect(by2017.get('a21026')).toMatchObject({ nameZh: '二氧化硫', code2005: '02', dataType: 'N5.2' });
    expect(by2017.get('a00000')).toMatchObject({
      code2005: 'B02',
      unit: '立方米/秒',
      emissionUnit: '立方米',
    });
    expect(by2017.get('a19001')).toMatchObject({ code2005: 'S01', unit: '%', emissionUnit: '' });
    expect(by2017.get('a21001')?.unit).toBe('纳克/立方米'); // odd unit, reproduced as printed
    expect(by2017.get('a34011')).toMatchObject({ unit: '吨/平方千米•月', emissionUnit: '', dataType: '' });
    expect(by2017.get('w01006')?.code2005).toBeUndefined();
  });
});

describe('FACTOR_CODES_2005 (HJ/T 212-2005 附录 B + 原编码 extras)', () => {
  it('has unique codes', () => {
    expect(duplicates(FACTOR_CODES_2005.map((f) => f.code))).toEqual([]);
  });

  it('has 93 附录 B rows plus 15 《环境信息标准化手册》 codes', () => {
    expect(FACTOR_CODES_2005).toHaveLength(108);
    expect(FACTOR_CODES_2005.filter((f) => f.medium === 'noise')).toHaveLength(12);
  });

  it('keeps the 2005 noise names as printed (Ld/Ln swapped relative to 2017)', () => {
    expect(by2005.get('Ld')?.nameZh).toBe('夜间等效声级 Ld');
    expect(by2005.get('Ln')?.nameZh).toBe('昼间等效声级 Ln');
    for (const f of FACTOR_CODES_2005.filter((x) => x.medium === 'noise')) {
      expect(f.code2017).toBeUndefined();
    }
  });

  it('has no 2017 equivalent for 025, 16, 99, B03', () => {
    for (const c of ['025', '16', '99', 'B03']) {
      expect(by2005.has(c)).toBe(true);
      expect(by2005.get(c)?.code2017).toBeUndefined();
    }
  });

  it('maps S01 → a19001, B01 → w00000, B02 → a00000, 011 → w01018, 060 → w21003, 01 → a34013', () => {
    expect(by2005.get('S01')?.code2017).toBe('a19001');
    expect(by2005.get('B01')?.code2017).toBe('w00000');
    expect(by2005.get('B02')?.code2017).toBe('a00000');
    expect(by2005.get('011')?.code2017).toBe('w01018');
    expect(by2005.get('060')?.code2017).toBe('w21003');
    expect(by2005.get('01')?.code2017).toBe('a34013');
    expect(by2005.get('062')).toMatchObject({ nameZh: '凯氏氮', medium: 'water', code2017: 'w21004' });
  });
});

describe('2005 ⇄ 2017 mapping', () => {
  it('every 2017 code2005 exists in the 2005 table and points back', () => {
    for (const f of FACTOR_CODES) {
      if (f.code2005 === undefined) continue;
      const old = by2005.get(f.code2005);
      expect(old, `${f.code} → ${f.code2005}`).toBeDefined();
      expect(old?.code2017, `${f.code2005} ← ${f.code}`).toBe(f.code);
      expect(old?.medium).toBe(f.medium);
    }
  });

  it('every 2005 code2017 exists in the 2017 table and points back', () => {
    for (const old of FACTOR_CODES_2005) {
      if (old.code2017 === undefined) continue;
      const f = by2017.get(old.code2017);
      expect(f, `${old.code} → ${old.code2017}`).toBeDefined();
      expect(f?.code2005, `${old.code2017} ← ${old.code}`).toBe(old.code);
    }
  });
});

describe('DEVICE_INFO_CODES (表 B.10)', () => {
  it('has unique codes and 38 rows', () => {
    expect(duplicates(DEVICE_INFO_CODES.map((d) => d.code))).toEqual([]);
    expect(DEVICE_INFO_CODES).toHaveLength(38);
  });

  it('derives device / info class from the 2nd and 3rd characters', () => {
    for (const d of DEVICE_INFO_CODES) {
      expect(d.code).toMatch(/^[iI]\d{4}[\dx]$/);
      expect(String(d.deviceClass)).toBe(d.code[1]);
      expect(String(d.infoClass)).toBe(d.code[2]);
      expect(d.nameEn.length).toBeGreaterThan(0);
    }
  });

  it('i12001 has 10 values and no value 4', () => {
    const values = DEVICE_INFO_CODES.find((d) => d.code === 'i12001')?.values ?? [];
    expect(values).toHaveLength(10);
    expect(values.map((v) => v.value)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10]);
    expect(values.some((v) => v.value === 4)).toBe(false);
  });

  it('enumerates every state code (info class 2)', () => {
    const states = DEVICE_INFO_CODES.filter((d) => d.infoClass === 2);
    expect(states.map((d) => d.code)).toEqual([
      'i12001',
      'i12002',
      'i12003',
      'i22001',
      'i22002',
      'i22003',
      'i22101',
      'i32001',
    ]);
    for (const d of states) {
      expect(d.values?.length ?? 0).toBeGreaterThan(1);
      expect(duplicates(d.values?.map((v) => String(v.value)) ?? [])).toEqual([]);
    }
  });

  it('keeps the printed oddities', () => {
    const get = (c: string) => DEVICE_INFO_CODES.find((d) => d.code === c);
    expect(get('I33400')).toMatchObject({ deviceClass: 3, infoClass: 3, unit: '%' });
    expect(get('i33400')).toBeUndefined();
    expect(get('i33102')?.unit).toBe('摄氏度');
    expect(get('i3331x')?.note).toContain('x = 设备编号');
    expect(get('i12001')?.unit).toBe('');
    expect(get('i13006')?.dataType).toBe('YYYYMMDD HHMMSS');
  });
});

describe('SYSTEM_CODES (2017 表 5 / 2005 系统编码表)', () => {
  const get = (c: string) => SYSTEM_CODES.find((s) => s.code === c);

  it('has unique codes and 20 rows including 91', () => {
    expect(duplicates(SYSTEM_CODES.map((s) => s.code))).toEqual([]);
    expect(SYSTEM_CODES).toHaveLength(20);
    expect(get('91')?.nameZh['2017']).toBe('系统交互');
  });

  it('every code has a 2017 name equal to its assumed 2025 name', () => {
    for (const s of SYSTEM_CODES) {
      expect(s.nameZh['2017']).toBeDefined();
      expect(s.nameZh['2025']).toBe(s.nameZh['2017']);
    }
  });

  it('omits 2005 names for codes 2005 does not define and keeps differing ones', () => {
    for (const c of ['24', '25', '26', '27', '39', '51', '52']) {
      expect(get(c)?.nameZh['2005']).toBeUndefined();
    }
    expect(get('21')?.nameZh['2005']).toBe('地表水监测');
    expect(get('23')?.nameZh['2005']).toBe('区域环境噪声监测');
    expect(get('33')?.nameZh['2005']).toBe('地下水体环境污染源');
  });
});

describe('expected replies (HJ 212-2017 §6.1, 附录 C)', () => {
  it('requests get 9011 then 9012, notices 9013, uploads 9014 only when asked, replies nothing', async () => {
    const { expectedReply } = await import('../src/index.js');
    expect(expectedReply('2061', '2017', 'down')).toEqual({
      cns: ['9011', '9012'],
      onlyIfAckRequested: false,
      dataBetween: true,
    });
    expect(expectedReply('1062', '2017', 'down')).toEqual({
      cns: ['9011', '9012'],
      onlyIfAckRequested: false,
      dataBetween: false,
    });
    expect(expectedReply('2012', '2017', 'down')?.cns).toEqual(['9013']);
    expect(expectedReply('2061', '2017', 'up')).toEqual({
      cns: ['9014'],
      onlyIfAckRequested: true,
      dataBetween: false,
    });
    expect(expectedReply('1013', '2017', 'up')?.cns).toEqual(['9013']);
    expect(expectedReply('2072', '2005', 'up')?.cns).toEqual(['9013']);
    expect(expectedReply('9012', '2005', 'up')?.cns).toEqual([]);
    expect(expectedReply('1013', '2005', 'up')).toBeUndefined();
    expect(expectedReply('3013', '2005', 'down')?.cns).toEqual(['9011', '9012']);
  });
});
