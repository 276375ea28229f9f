// Test harness: a started sandbox plus a small HTTP client that checks every JSON answer against the spec.
/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are read loosely in tests (after the spec check) */
import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../src/sandbox';
import { validateResponse } from './spec';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string | null;
  headers?: Record<string, string>;
  gzip?: boolean;
  /** Raw body (not JSON-encoded). */
  raw?: string | Buffer;
  /** Skip the spec check (control routes, deliberately odd requests). */
  noSpec?: boolean;
}

export class Harness {
  private token: string | undefined;

  constructor(readonly sandbox: Sandbox) {}

  static async start(options: SandboxOptions = {}): Promise<Harness> {
    return new Harness(await startSandbox({ quiet: true, ...options }));
  }

  get api(): string {
    return `${this.sandbox.baseUrl}/api/v1/projects/${this.sandbox.project}`;
  }

  /** A token from the real token endpoint (client credentials in the form body). */
  async fetchToken(clientId = this.sandbox.clientId, clientSecret = this.sandbox.clientSecret): Promise<string> {
    const res = await fetch(this.sandbox.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://sandbox/.default' }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /** Calls the project API (`path` relative to /api/v1/projects/{project}) or an absolute URL. */
  async call<T = any>(method: string, path: string, body?: unknown, o: CallOptions = {}): Promise<HttpResult<T>> {
    const result = await this.callOnce<T>(method, path, body, o);
    // The cached token may have expired on the manual clock: get a new one once, like a client would.
    if (result.status === 401 && o.token === undefined) {
      this.token = await this.fetchToken();
      return this.callOnce<T>(method, path, body, o);
    }
    return result;
  }

  private async callOnce<T>(method: string, path: string, body: unknown, o: CallOptions): Promise<HttpResult<T>> {
    if (o.token === undefined && !this.token) this.token = await this.fetchToken();
    const token = o.token === undefined ? this.token : o.token;
    const url = path.startsWith('http') ? path : `${this.api}${path}`;
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (token) headers['authorization'] = `Bearer ${token}`;
    let payload: string | Buffer | undefined = o.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    if (payload !== undefined && o.gzip) {
      payload = gzipSync(payload);
      headers['content-encoding'] = 'gzip';
    }
    const res = await fetch(url, { method, headers, ...(payload !== undefined ? { body: typeof payload === 'string' ? payload : new Uint8Array(payload) } : {}) });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text.length > 0 && (res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    if (!o.noSpec && parsed !== undefined) {
      const problems = validateResponse(method, new URL(url).pathname, res.status, parsed);
      if (problems.length > 0) {
        throw new Error(`${method} ${new URL(url).pathname} -> ${res.status}: the body does not match the spec:\n  ${problems.join('\n  ')}\nbody: ${text.slice(0, 2000)}`);
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** POST /sessions with the default client's credentials; returns the nonce. */
  async nonce(): Promise<string> {
    const r = await this.call('POST', '/sessions', { items: [{ clientId: this.sandbox.clientId, clientSecret: this.sandbox.clientSecret }] });
    if (r.status !== 200) throw new Error(`session create failed: ${r.text}`);
    return r.body.items[0].nonce as string;
  }

  async upsertWorkflow(externalId: string, extra: Record<string, unknown> = {}): Promise<void> {
    const r = await this.call('POST', '/workflows', { items: [{ externalId, ...extra }] });
    if (r.status !== 200) throw new Error(`workflow upsert failed: ${r.text}`);
  }

  async upsertVersion(workflowExternalId: string, version: string, tasks: unknown[], description?: string): Promise<any> {
    const r = await this.call('POST', '/workflows/versions', {
      items: [{ workflowExternalId, version, workflowDefinition: { tasks, ...(description ? { description } : {}) } }],
    });
    if (r.status !== 200) throw new Error(`version upsert failed: ${r.text}`);
    return r.body.items[0];
  }

  async run(workflowExternalId: string, version: string, input?: unknown, metadata?: Record<string, string>): Promise<any> {
    const r = await this.call('POST', `/workflows/${encodeURIComponent(workflowExternalId)}/versions/${encodeURIComponent(version)}/run`, {
      authentication: { nonce: await this.nonce() },
      ...(input !== undefined ? { input } : {}),
      ...(metadata ? { metadata } : {}),
    });
    if (r.status !== 202) throw new Error(`run failed: ${r.status} ${r.text}`);
    return r.body;
  }

  async execution(id: string): Promise<any> {
    const r = await this.call('GET', `/workflows/executions/${id}`);
    if (r.status !== 200) throw new Error(`execution read failed: ${r.text}`);
    return r.body;
  }

  /**
   * Deploys a function the way tools do: POST /files, PUT the zip to uploadUrl, POST /functions. Returns the
   * function as created (status Queued); the caller advances the clock until it is Ready.
   */
  async deployFunction(externalId: string, files: Record<string, string>, extra: Record<string, unknown> = {}): Promise<any> {
    const zip = zipSync(Object.fromEntries(Object.entries(files).map(([n, t]) => [n, strToU8(t)])));
    const file = await this.call('POST', '/files?overwrite=true', { name: `${externalId}.zip`, externalId: `${externalId}.zip`, mimeType: 'application/zip' });
    if (file.status !== 201) throw new Error(`file create failed: ${file.text}`);
    const put = await fetch(file.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'application/zip' }, body: zip });
    if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
    const fn = await this.call('POST', '/functions', { items: [{ name: externalId, externalId, fileId: file.body.id, ...extra }] });
    if (fn.status !== 201) throw new Error(`function create failed: ${fn.text}`);
    return fn.body.items[0];
  }

  close(): Promise<void> {
    return this.sandbox.close();
  }
}
