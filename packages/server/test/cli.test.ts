import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crcText, decodeOneFrame } from '@qingyuan/hj212';
import { describe, expect, it } from 'vitest';
import { cli, jsonLines } from './cli-io.js';

const FIXTURES = fileURLToPath(new URL('../../hj212/test/fixtures/samples-public.txt', import.meta.url));
const EXAMPLE =
  '##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80';
const SEGMENT = EXAMPLE.slice(6, -4);

describe('qingyuan CLI', () => {
  it('prints its help with no arguments and a usage error for unknown commands', async () => {
    const help = await cli([]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('qingyuan hj212 decode');
    const wrong = await cli(['frobnicate']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('QY_E_CLI_USAGE');
  });

  it("prints one command's usage for <command> --help or -h, and runs nothing", async () => {
    const start = await cli(['start', '--help']);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('qingyuan start [--db URL]');
    expect(start.stdout).not.toContain('qingyuan hj212 decode');
    const report = await cli(['report', 'transmission', '-h']);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('qingyuan report transmission');
    const user = await cli(['user', 'reset-password', '--help']);
    expect(user.stdout).toContain('qingyuan user reset-password');
    // Not a command: still a usage error, whatever follows.
    const unknown = await cli(['constructor', '--help']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('QY_E_CLI_USAGE');
  });

  it('hj212 crc prints the Appendix-A CRC, and other variants on request', async () => {
    expect((await cli(['hj212', 'crc', SEGMENT])).stdout).toBe('1C80\n');
    expect((await cli(['hj212', 'crc', '123456789'])).stdout).toBe('2F80\n');
    expect((await cli(['hj212', 'crc', '123456789', '--variant', 'modbus'])).stdout).toBe('4B37\n');
    expect((await cli(['hj212', 'crc', '123456789', '--variant', 'modbus-swapped'])).stdout).toBe('374B\n');
    expect((await cli(['hj212', 'crc', 'x', '--variant', 'crc32'])).code).toBe(2);
  });

  it('hj212 decode prints one JSON object per packet with the fields the issue names', async () => {
    const { code, stdout } = await cli(['hj212', 'decode', '-'], `# a comment\n\n${EXAMPLE}\n`);
    expect(code).toBe(0);
    const [frame] = jsonLines(stdout);
    expect(frame).toMatchObject({
      line: 3,
      ok: true,
      errors: [],
      diagnostics: [],
      crc: { ok: true, variant: 'hj212' },
      version: '2017',
      qn: '20160801085857223',
      st: '32',
      cn: '1062',
      pw: '100000',
      mn: '010000A8900016F000169DC0',
      flag: 5,
      pnum: null,
      pno: null,
      body: { type: 'command', command: 'set-realtime-interval', params: { RtdInterval: 30 } },
    });
  });

  it('decodes every packet of the public sample file and exits 1 because two of them fail', async () => {
    const { code, stdout } = await cli(['hj212', 'decode', FIXTURES]);
    const frames = jsonLines(stdout);
    const packets = readFileSync(FIXTURES, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('##'));
    expect(frames).toHaveLength(packets.length);
    const failing = frames.filter((frame) => frame.ok === false);
    expect(failing.map((frame) => (frame.errors as string[])[0])).toEqual([
      'HJ212_E_CRC_MISMATCH',
      'HJ212_E_CRC_VARIANT_NOT_ALLOWED',
    ]);
    expect(code).toBe(1);
    // dataTime is ISO 8601 UTC: the 2051 example's 2016-08-01 08:40:00 Beijing time.
    expect(frames.find((frame) => frame.cn === '2051' && frame.qn === '20160801085000001')?.dataTime).toBe(
      '2016-08-01T00:40:00.000Z',
    );
  });

  it('--crc enables the Modbus variants', async () => {
    const modbus = readFileSync(FIXTURES, 'utf8')
      .split('\n')
      .find((line) => line.endsWith('1CBA')) as string;
    const strictDefault = jsonLines((await cli(['hj212', 'decode'], modbus)).stdout)[0];
    expect(strictDefault?.crc).toMatchObject({ ok: false, variant: 'modbus' });
    const allowed = jsonLines((await cli(['hj212', 'decode', '--crc', 'hj212,modbus'], modbus)).stdout)[0];
    expect(allowed).toMatchObject({ ok: true, crc: { ok: true, variant: 'modbus' } });
  });

  it('--strict rejects a deviation that lenient mode reports', async () => {
    const spaced = readFileSync(FIXTURES, 'utf8')
      .split('\n')
      .find((line) => line.includes('CP=&& PolId')) as string;
    const lenient = jsonLines((await cli(['hj212', 'decode'], spaced)).stdout)[0];
    expect(lenient).toMatchObject({ ok: true, diagnostics: ['HJ212_E_CP_WHITESPACE'] });
    const strict = jsonLines((await cli(['hj212', 'decode', '--strict'], spaced)).stdout)[0];
    expect(strict).toMatchObject({ ok: false, errors: ['HJ212_E_CP_WHITESPACE'] });
  });

  it('--stream decodes a raw byte stream with garbage and split packets, in stream order', async () => {
    const stream = `noise${EXAMPLE}\r\n${EXAMPLE}\r\nmore noise`;
    const { stdout } = await cli(['hj212', 'decode', '--stream'], stream);
    const events = jsonLines(stdout);
    expect(events.map((event) => (event.discarded ? (event.errors as string[])[0] : event.cn))).toEqual([
      'HJ212_E_GARBAGE_SKIPPED',
      '1062',
      '1062',
      'HJ212_E_GARBAGE_SKIPPED',
    ]);
    expect(events[0]).toMatchObject({ offset: 0, length: 5, text: 'noise' });
  });

  it('hj212 encode frames a data segment, JSON messages and named commands', async () => {
    expect((await cli(['hj212', 'encode'], `${SEGMENT}\n`)).stdout).toBe(`${EXAMPLE}\r\n`);
    const json = JSON.stringify({
      qn: '20160801085857223',
      st: '32',
      cn: '1062',
      pw: '100000',
      mn: '010000A8900016F000169DC0',
      flag: 5,
      cp: 'RtdInterval=30',
    });
    expect((await cli(['hj212', 'encode'], json)).stdout).toBe(`${EXAMPLE}\r\n`);
    const command = JSON.stringify({
      command: 'get-hour-data',
      params: { BeginTime: '2026-01-01T00:00:00Z', EndTime: '2026-01-01T02:00:00Z' },
      mn: '010000A8900016F000169DC0',
      pw: '123456',
      st: '31',
      version: '2017',
      qn: '20260101100000000',
    });
    const frame = (await cli(['hj212', 'encode'], command)).stdout;
    const decoded = decodeOneFrame(frame);
    expect(decoded.ok).toBe(true);
    expect(decoded.message?.body).toEqual({
      type: 'command',
      command: 'get-hour-data',
      params: { BeginTime: Date.UTC(2026, 0, 1), EndTime: Date.UTC(2026, 0, 1, 2) },
    });
    expect(frame).toContain('CP=&&BeginTime=20260101080000;EndTime=20260101100000&&');
  });

  it('encode --split makes sub-packets and --crc writes a variant; bad input is a clear error', async () => {
    const cp = Array.from({ length: 60 }, (_, i) => `w${String(10000 + i).padStart(5, '0')}-Avg=${i}.5`).join(
      ';',
    );
    const json = JSON.stringify({
      qn: '20260101000000000',
      st: '32',
      cn: '2061',
      pw: '1',
      mn: 'M',
      flag: 5,
      cp: `DataTime=20260101000000;${cp}`,
    });
    const out = (await cli(['hj212', 'encode', '--split', '400'], json)).stdout;
    const frames = out.split('\r\n').filter((line) => line.length > 0);
    expect(frames.length).toBeGreaterThan(3);
    for (const frame of frames) expect(decodeOneFrame(frame).message?.split).toBe(true);
    const modbus = (await cli(['hj212', 'encode', '--crc', 'modbus'], SEGMENT)).stdout;
    expect(modbus.slice(-6, -2)).toBe(crcText(new TextEncoder().encode(SEGMENT), 'modbus'));
    const bad = await cli(['hj212', 'encode'], '{"cn": "2061", "cp": "a=1;b"');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('QY_E_CLI_INPUT');
    const unencodable = await cli(
      ['hj212', 'encode'],
      JSON.stringify({ cn: '2061', cp: [[{ key: 'a', value: 'x;y' }]] }),
    );
    expect(unencodable.stderr).toContain('HJ212_E_ENCODE_FIELD');
    const missing = await cli(['hj212', 'decode', '/nonexistent/file']);
    expect(missing.stderr).toContain('QY_E_CLI_INPUT');
  });

  it('the installed bin runs the built CLI end to end', () => {
    const bin = fileURLToPath(new URL('../bin/qingyuan.js', import.meta.url));
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    if (!existsSync(dist))
      execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], {
        cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      });
    const dir = mkdtempSync(join(tmpdir(), 'qy-cli-'));
    const file = join(dir, 'packets.txt');
    writeFileSync(file, `${EXAMPLE}\n`);
    const run = spawnSync(process.execPath, [bin, 'hj212', 'decode', file], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, cn: '1062' });
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
