import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { repositories } from '@qingyuan/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { negotiateCoding } from '../../src/http/compression.js';
import { serveWeb } from '../../src/http/web.js';
import type { LiveHub } from '../../src/live/live-hub.js';
import { type ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

const COMPRESS_SCRIPT = fileURLToPath(new URL('../../../web/scripts/compress.mjs', import.meta.url));

describe('Accept-Encoding negotiation (RFC 9110 §12.5.3)', () => {
  it('prefers brotli, honours weights and refusals, and treats * as any other coding', () => {
    expect(negotiateCoding(undefined)).toBeUndefined();
    expect(negotiateCoding('')).toBeUndefined();
    expect(negotiateCoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateCoding('gzip')).toBe('gzip');
    expect(negotiateCoding('x-gzip')).toBe('gzip');
    expect(negotiateCoding('br;q=0.5, gzip')).toBe('gzip');
    expect(negotiateCoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(negotiateCoding('identity')).toBeUndefined();
    expect(negotiateCoding('*')).toBe('br');
    expect(negotiateCoding('br;q=0, *;q=0.1')).toBe('gzip');
    expect(negotiateCoding('deflate')).toBeUndefined();
  });
});

/** A GET over a real socket (inject buffers the whole answer: a stream must be seen arriving). */
function get(base: string, path: string, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { headers }, resolve);
    request.on('error', reject);
    request.end();
  });
}

/** Reads the stream until `text` has arrived (or fails after `ms`), leaving it open. */
function until(response: IncomingMessage, text: string, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${JSON.stringify(text)} within ${ms} ms: ${body}`)),
      ms,
    );
    const onData = (chunk: Buffer) => {
      body += chunk.toString('utf8');
      if (body.includes(text)) {
        clearTimeout(timer);
        response.off('data', onData);
        resolve(body);
      }
    };
    response.on('data', onData);
  });
}

describe('HTTP compression', () => {
  let fixture: ApiFixture;
  let city: ApiClient;
  /** The province sees every enterprise: an overview answer of a few KiB. */
  let province: ApiClient;
  const dir = mkdtempSync(join(tmpdir(), 'qy-compress-'));

  beforeAll(async () => {
    fixture = await apiFixture('sqlite');
    city = await fixture.client('city');
    province = await fixture.client('province');
  }, 60_000);
  afterAll(async () => {
    await fixture?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('compresses API JSON with brotli or gzip as the client prefers, and says so', async () => {
    const plain = await province.request('GET', '/api/v1/overview', {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    const expected = plain.json();

    const br = await province.request('GET', '/api/v1/overview', {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(expected);

    const gz = await province.request('GET', '/api/v1/overview', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(expected);

    const refused = await province.request('GET', '/api/v1/overview', {
      headers: { 'accept-encoding': 'br;q=0, gzip;q=0' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.json()).toEqual(expected);
  });

  it('leaves small answers and errors as they are (the error metrics still read them)', async () => {
    const me = await city.request('GET', '/api/v1/auth/me', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(me.statusCode).toBe(200);
    expect(me.headers['content-encoding']).toBeUndefined();
    const missing = await city.request('GET', '/api/v1/no-such-route', {
      headers: { 'accept-encoding': 'br' },
    });
    expect(missing.headers['content-encoding']).toBeUndefined();
    expect(missing.json().error.code).toBe('QY_E_NOT_FOUND');
    const metrics = (await city.get('/metrics')).body;
    expect(metrics).toMatch(/qingyuan_http_errors_total\{code="QY_E_NOT_FOUND"\} [1-9]/);
  });

  it('compresses CSV exports but not XLSX (a ZIP already)', async () => {
    const csv = await city.request('GET', '/api/v1/live', {
      query: { format: 'csv' },
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(csv.rawPayload).toString('utf8').startsWith('\ufeff')).toBe(true);
    const xlsx = await city.request('GET', '/api/v1/live', {
      query: { format: 'xlsx' },
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-encoding']).toBeUndefined();
  });

  it('does not buffer Server-Sent Events: the stream arrives uncompressed, event by event', async () => {
    await fixture.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(fixture.app.server.address() as AddressInfo).port}`;
    const hub = fixture.app.services.ctx.live as LiveHub;
    const response = await get(base, '/api/v1/live/events?timeoutMs=20000', {
      cookie: city.cookie as string,
      'accept-encoding': 'gzip, deflate, br',
    });
    try {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(response.headers['content-encoding']).toBeUndefined();
      // The first bytes come at once, long before the stream ends.
      await until(response, ': connected');
      for (let i = 0; i < 100 && hub.listeners === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await repositories(fixture.store).alarms.save(
        {
          pointId: fixture.ids.home.point,
          factorCode: 'w01018',
          type: 'hourly-exceedance',
          openedAt: NOW - 3_600_000,
          closedAt: null,
          peakValue: 120,
          limitValue: 100,
          detail: {},
          ruleVersion: 't',
        },
        Date.now() + 1000,
      );
      await hub.pollAlarms();
      const body = await until(response, 'event: alarm');
      expect(body).toContain(`"pointId":${fixture.ids.home.point}`);
      expect(response.complete).toBe(false);
    } finally {
      response.destroy();
    }
  });

  describe('the web application’s files, compressed at build time', () => {
    let app: FastifyInstance;
    let base: string;
    const js = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, name: 'enterprise ${i}' }`).join(', ')}];\n`;
    const html = `<!doctype html><html><head><title>清源</title>${'<link rel="modulepreload" href="/assets/x.js">'.repeat(40)}</head><body><div id="root"></div></body></html>`;

    beforeAll(async () => {
      const web = join(dir, 'web');
      mkdirSync(join(web, 'assets'), { recursive: true });
      writeFileSync(join(web, 'index.html'), html);
      writeFileSync(join(web, 'assets', 'app-abc123.js'), js);
      writeFileSync(join(web, 'assets', 'tiny-abc123.js'), 'export {};\n');
      // The build step itself (packages/web/scripts/compress.mjs), on this folder.
      execFileSync(process.execPath, [COMPRESS_SCRIPT, web]);
      app = await buildApp({ store: fixture.store, now: () => NOW, extend: (a) => serveWeb(a, web) });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    }, 60_000);
    afterAll(async () => app?.close());

    const body = (response: IncomingMessage) =>
      new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve(Buffer.concat(chunks)));
      });

    it('writes a .br and a .gz beside each text file of 1 KiB or more', () => {
      const web = join(dir, 'web');
      expect(brotliDecompressSync(readFileSync(join(web, 'assets', 'app-abc123.js.br'))).toString()).toBe(js);
      expect(gunzipSync(readFileSync(join(web, 'assets', 'app-abc123.js.gz'))).toString()).toBe(js);
      expect(() => readFileSync(join(web, 'assets', 'tiny-abc123.js.br'))).toThrow();
    });

    it('sends the brotli or gzip file to browsers that accept it, the plain file to others', async () => {
      const br = await get(base, '/assets/app-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.statusCode).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers['cache-control']).toContain('immutable');
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      const compressed = await body(br);
      expect(compressed.length).toBeLessThan(js.length / 3);
      expect(brotliDecompressSync(compressed).toString()).toBe(js);

      const gz = await get(base, '/assets/app-abc123.js', { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(await body(gz)).toString()).toBe(js);

      const plain = await get(base, '/assets/app-abc123.js', {});
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect((await body(plain)).toString()).toBe(js);

      // Too small to be worth compressing: the file itself, whatever is accepted.
      const tiny = await get(base, '/assets/tiny-abc123.js', { 'accept-encoding': 'br' });
      expect(tiny.headers['content-encoding']).toBeUndefined();
      expect((await body(tiny)).toString()).toBe('export {};\n');

      // Client routes get index.html, compressed too.
      const page = await get(base, '/realtime', { 'accept-encoding': 'br' });
      expect(page.headers['content-encoding']).toBe('br');
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(brotliDecompressSync(await body(page)).toString()).toBe(html);
    });
  });
});
