// Cognite Functions (REFERENCE §4.2–4.3): create, read, delete, wait for the build, call, and read calls.
import * as z from 'zod/mini';
import { type CdfHttp } from '../http/cdfHttp';
import { sleep } from '../http/abort';
import { TimeoutError } from '../errors';
import { emptyResponse, itemsOf, type Page, pageOf } from '../schemas/common';
import {
  type CdfFunction,
  cdfFunction,
  type FunctionCall,
  functionCall,
  functionCallLogEntry,
  type FunctionCallLogEntry,
  type FunctionCallResponse,
  functionCallResponse,
  type FunctionCreate,
  functionCreate,
  type FunctionsLimits,
  functionsLimits,
} from '../schemas/functions';
import { type SessionCredentials } from '../schemas/sessions';
import { CAPABILITY } from './capabilities';
import { paged, type PagedList } from './paging';
import { type CallContext, checkRequest, listWithoutCursor, segment } from './requests';
import { type SessionsApi } from './sessions';

export type FunctionRef = { id: number } | { externalId: string };

export interface FunctionFilter {
  name?: string;
  owner?: string;
  fileId?: number;
  status?: string;
  externalIdPrefix?: string;
  createdTime?: { min?: number; max?: number };
  metadata?: Record<string, string>;
}

export interface WaitOptions extends CallContext {
  /** Give up after this long (default 15 minutes: builds take minutes). */
  readonly timeoutMs?: number;
  /** First poll interval, doubling up to maxPollIntervalMs. */
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
}

const oneFunction = itemsOf(cdfFunction).check(z.refine((b) => b.items.length === 1, { message: 'expected exactly one item', path: ['items'] }));

export class FunctionsApi {
  constructor(
    private readonly http: CdfHttp,
    private readonly sessions: SessionsApi,
  ) {}

  /** Creates a function from an uploaded zip. Never resent after an ambiguous failure (it could create two). */
  async create(item: FunctionCreate, ctx: CallContext = {}): Promise<CdfFunction> {
    for (const secret of Object.values(item.secrets ?? {})) this.http.redactor.add(secret);
    const body = { items: [checkRequest(functionCreate, item, `Function "${item.externalId ?? item.name}"`)] };
    const answer = await this.http.post('/functions', {
      schema: oneFunction,
      body,
      idempotent: false,
      capability: CAPABILITY.functionsWrite,
      subject: `Create function "${item.externalId ?? item.name}"`,
      signal: ctx.signal,
    });
    return answer.items[0];
  }

  retrieve(id: number, ctx: CallContext = {}): Promise<CdfFunction> {
    return this.http.get(`/functions/${segment(id)}`, {
      schema: cdfFunction,
      capability: CAPABILITY.functionsRead,
      subject: `Function ${id}`,
      signal: ctx.signal,
    });
  }

  /** Functions by id or external id; unknown ones are left out. */
  async retrieveMany(refs: readonly FunctionRef[], ctx: CallContext = {}): Promise<CdfFunction[]> {
    const out: CdfFunction[] = [];
    for (let i = 0; i < refs.length; i += 10) {
      const answer = await this.http.post('/functions/byids', {
        schema: itemsOf(cdfFunction),
        body: { items: refs.slice(i, i + 10), ignoreUnknownIds: true },
        idempotent: true,
        capability: CAPABILITY.functionsRead,
        signal: ctx.signal,
      });
      out.push(...answer.items);
    }
    return out;
  }

  /** All functions (this endpoint has no cursor). */
  list(options: CallContext & { limit?: number; filter?: FunctionFilter } = {}): Promise<CdfFunction[]> {
    return listWithoutCursor(this.http, '/functions', cdfFunction, CAPABILITY.functionsRead, options);
  }

  async delete(refs: readonly FunctionRef[], options: CallContext & { ignoreUnknownIds?: boolean } = {}): Promise<void> {
    for (let i = 0; i < refs.length; i += 10) {
      await this.http.post('/functions/delete', {
        schema: emptyResponse,
        body: { items: refs.slice(i, i + 10), ignoreUnknownIds: options.ignoreUnknownIds ?? false },
        idempotent: true,
        capability: CAPABILITY.functionsWrite,
        signal: options.signal,
      });
    }
  }

  /** Polls until the function is Ready or Failed and returns it; TimeoutError if it is still building. */
  async waitUntilDeployed(id: number, options: WaitOptions = {}): Promise<CdfFunction> {
    const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
    let interval = options.pollIntervalMs ?? 2_000;
    for (;;) {
      const fn = await this.retrieve(id, options);
      if (fn.status === 'Ready' || fn.status === 'Failed') return fn;
      if (Date.now() + interval > deadline) {
        throw new TimeoutError(
          `Function ${id} is still ${fn.status} after ${Math.round((options.timeoutMs ?? 15 * 60_000) / 1000)} s. Builds can take several minutes: check its status again later.`,
          { method: 'GET', path: `/functions/${id}` },
          options.timeoutMs ?? 15 * 60_000,
          0,
        );
      }
      await sleep(interval, options.signal);
      interval = Math.min(interval * 2, options.maxPollIntervalMs ?? 20_000);
    }
  }

  /** Calls a Ready function with `data` (never secrets). Never resent after an ambiguous failure. */
  async call(
    id: number,
    options: CallContext & { data?: Record<string, unknown>; nonce?: string; credentials?: SessionCredentials } = {},
  ): Promise<FunctionCall> {
    const nonce = options.nonce ?? (await this.sessions.grant(options.credentials, options)).nonce;
    return this.http.post(`/functions/${segment(id)}/call`, {
      schema: functionCall,
      body: options.data === undefined ? { nonce } : { data: options.data, nonce },
      idempotent: false,
      capability: CAPABILITY.functionsRun,
      subject: `Call of function ${id}`,
      signal: options.signal,
    });
  }

  listCalls(functionId: number, options: CallContext & { limit?: number; cursor?: string } = {}): Promise<Page<FunctionCall>> {
    return this.http.get(`/functions/${segment(functionId)}/calls`, {
      schema: pageOf(functionCall),
      query: { limit: options.limit, cursor: options.cursor },
      capability: CAPABILITY.functionsRead,
      subject: `Function ${functionId}`,
      signal: options.signal,
    });
  }

  iterateCalls(functionId: number, options: CallContext & { limit?: number } = {}): PagedList<FunctionCall> {
    return paged((cursor) => this.listCalls(functionId, { ...options, cursor }), options.signal);
  }

  retrieveCall(functionId: number, callId: number, ctx: CallContext = {}): Promise<FunctionCall> {
    return this.http.get(`/functions/${segment(functionId)}/calls/${segment(callId)}`, {
      schema: functionCall,
      capability: CAPABILITY.functionsRead,
      subject: `Call ${callId} of function ${functionId}`,
      signal: ctx.signal,
    });
  }

  async callLogs(functionId: number, callId: number, ctx: CallContext = {}): Promise<FunctionCallLogEntry[]> {
    const answer = await this.http.get(`/functions/${segment(functionId)}/calls/${segment(callId)}/logs`, {
      schema: itemsOf(functionCallLogEntry),
      capability: CAPABILITY.functionsRead,
      subject: `Call ${callId} of function ${functionId}`,
      signal: ctx.signal,
    });
    return answer.items;
  }

  callResponse(functionId: number, callId: number, ctx: CallContext = {}): Promise<FunctionCallResponse> {
    return this.http.get(`/functions/${segment(functionId)}/calls/${segment(callId)}/response`, {
      schema: functionCallResponse,
      capability: CAPABILITY.functionsRead,
      subject: `Call ${callId} of function ${functionId}`,
      signal: ctx.signal,
    });
  }

  limits(ctx: CallContext = {}): Promise<FunctionsLimits> {
    return this.http.get('/functions/limits', { schema: functionsLimits, capability: CAPABILITY.functionsRead, signal: ctx.signal });
  }
}
