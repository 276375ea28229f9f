// Workflow executions (REFERENCE §2.5): run (session + run, never duplicated), list, details, cancel, retry.
import { randomUUID } from 'node:crypto';
import { type CdfHttp } from '../http/cdfHttp';
import { CancelledError, InputError, OutcomeUnknownError, SchemaError } from '../errors';
import { type Logger } from '../log';
import { type Page, pageOf } from '../schemas/common';
import { checkInputBytes, jsonInputBytes } from '../run/limits';
import { validateUserRunMetadata } from '../run/metadata';
import {
  type Execution,
  execution,
  type ExecutionDetailed,
  executionDetailed,
  type ExecutionFilter,
} from '../schemas/executions';
import { type SessionCredentials } from '../schemas/sessions';
import { CAPABILITY } from './capabilities';
import { paged, type PagedList } from './paging';
import { type CallContext, segment } from './requests';
import { reconcileRun, RUN_ID_METADATA_KEY, type RunReconcilePolicy } from './runReconcile';
import { type SessionsApi } from './sessions';

export interface RunOptions extends CallContext {
  /** The execution input: a JSON object of at most 100 KB. */
  readonly input?: Record<string, unknown>;
  /** At most 9 entries: the client adds its run id under RUN_ID_METADATA_KEY (10 is CDF's limit). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** A nonce from a session created elsewhere; by default the client creates one. */
  readonly nonce?: string;
  /** How to create the session; by default from the connection's identity. */
  readonly credentials?: SessionCredentials;
}

export interface ExecutionListOptions extends CallContext {
  readonly filter?: ExecutionFilter;
  readonly limit?: number;
  readonly cursor?: string;
}

const executionPage = pageOf(execution);

export class ExecutionsApi {
  constructor(
    private readonly http: CdfHttp,
    private readonly sessions: SessionsApi,
    private readonly reconcile: RunReconcilePolicy,
    private readonly log: Logger,
  ) {}

  /**
   * Starts an execution the way the Python SDK's run does: creates a session, then runs the version with
   * its nonce (two requests with a cached token). Never creates two executions: the run request is resent
   * only after 429 or a refused connection; after an ambiguous failure the client looks for the
   * execution by its run id and returns it, or throws OutcomeUnknownError.
   */
  async run(workflowExternalId: string, version: string, options: RunOptions = {}): Promise<Execution> {
    // Everything that can be refused is checked before the session exists: a refusal sends nothing.
    const path = `/workflows/${segment(workflowExternalId)}/versions/${segment(version)}/run`;
    const runId = randomUUID();
    const body = {
      input: checkInput(options.input),
      metadata: { ...checkMetadata(options.metadata), [RUN_ID_METADATA_KEY]: runId },
    };
    let nonce = options.nonce;
    let notBefore: number;
    let deadline: number;
    if (nonce === undefined) {
      const grant = await this.sessions.grant(options.credentials, options);
      nonce = grant.nonce;
      notBefore = grant.serverTime ?? grant.requestedAt;
      deadline = grant.requestedAt + this.reconcile.nonceLifetimeMs + this.reconcile.marginMs;
    } else {
      this.http.redactor.add(nonce);
      // Issued at an unknown earlier time: counting its lifetime from now is the safe side.
      notBefore = Date.now() - this.reconcile.nonceLifetimeMs;
      deadline = Date.now() + this.reconcile.nonceLifetimeMs + this.reconcile.marginMs;
    }
    const subject = `Run of ${workflowExternalId} version ${version}`;
    try {
      const answer = await this.http.send('POST', path, {
        schema: execution,
        body: { authentication: { nonce }, ...body },
        idempotent: false,
        capability: CAPABILITY.workflowsWrite,
        subject,
        signal: options.signal,
      });
      return answer.data;
    } catch (error) {
      // A 2xx whose body we cannot read means the execution exists: find it like any other ambiguity.
      const accepted = error instanceof SchemaError && error.status >= 200 && error.status < 300;
      if (!(error instanceof OutcomeUnknownError) && !accepted) throw error;
      const cause = error instanceof OutcomeUnknownError && error.cause instanceof Error ? error.cause : (error as Error);
      if (options.signal?.aborted || cause instanceof CancelledError) {
        throw new OutcomeUnknownError(
          `${subject} was cancelled while the request was in flight, so it may have started. ` +
            `Look for an execution with metadata ${RUN_ID_METADATA_KEY}=${runId} before running it again.`,
          subject,
          false,
          runId,
          { cause },
        );
      }
      return reconcileRun(
        { workflowExternalId, version, runId, notBefore, deadline, cause, signal: options.signal },
        this.reconcile,
        (filter, cursor, signal) => this.list({ filter, cursor, limit: 1000, signal }),
        this.log,
      );
    }
  }

  list(options: ExecutionListOptions = {}): Promise<Page<Execution>> {
    return this.http.post('/workflows/executions/list', {
      schema: executionPage,
      body: { filter: options.filter ?? {}, limit: options.limit, cursor: options.cursor },
      idempotent: true,
      capability: CAPABILITY.workflowsRead,
      signal: options.signal,
    });
  }

  iterate(options: Omit<ExecutionListOptions, 'cursor'> = {}): PagedList<Execution> {
    return paged((cursor) => this.list({ ...options, cursor }), options.signal);
  }

  /** The execution with its definition, input and task executions. */
  retrieve(executionId: string, ctx: CallContext = {}): Promise<ExecutionDetailed> {
    return this.http.get(`/workflows/executions/${segment(executionId)}`, {
      schema: executionDetailed,
      capability: CAPABILITY.workflowsRead,
      subject: `Execution ${executionId}`,
      signal: ctx.signal,
    });
  }

  /** Stops new tasks and marks the execution TERMINATED; running work elsewhere is not stopped. */
  cancel(executionId: string, options: CallContext & { reason?: string } = {}): Promise<Execution> {
    if (options.reason !== undefined && options.reason.length > 500) {
      throw new InputError(`The cancel reason is ${options.reason.length} characters; CDF allows 500. Shorten it.`);
    }
    return this.http.post(`/workflows/executions/${segment(executionId)}/cancel`, {
      schema: execution,
      body: options.reason === undefined ? {} : { reason: options.reason },
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      subject: `Execution ${executionId}`,
      signal: options.signal,
    });
  }

  /** Re-runs the failed, timed-out and cancelled tasks of a finished execution (needs a fresh nonce). */
  async retry(executionId: string, options: CallContext & { nonce?: string; credentials?: SessionCredentials } = {}): Promise<Execution> {
    const path = `/workflows/executions/${segment(executionId)}/retry`;
    const nonce = options.nonce ?? (await this.sessions.grant(options.credentials, options)).nonce;
    return this.http.post(path, {
      schema: execution,
      body: { authentication: { nonce } },
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      subject: `Execution ${executionId}`,
      signal: options.signal,
    });
  }
}

function checkInput(input: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (input === undefined) return undefined;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InputError('The run input must be a JSON object, e.g. {"runDate": "2026-01-01"}.');
  }
  checkInputBytes(jsonInputBytes(input, 'The run input'), 'The run input');
  return input;
}

function checkMetadata(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const copy: Record<string, unknown> = { ...metadata };
  validateUserRunMetadata(copy);
  return copy;
}
