// The CDF client the extension uses: one transport, one token source, one resource module per concept.
import { DataSetsApi } from './api/dataSets';
import { ExecutionsApi } from './api/executions';
import { FilesApi } from './api/files';
import { FunctionSchedulesApi } from './api/functionSchedules';
import { FunctionsApi } from './api/functions';
import { type CallContext } from './api/requests';
import { defaultRunReconcilePolicy, type RunReconcilePolicy } from './api/runReconcile';
import { SessionsApi } from './api/sessions';
import { TasksApi } from './api/tasks';
import { TransformationsApi } from './api/transformations';
import { TriggersApi } from './api/triggers';
import { VersionsApi } from './api/versions';
import { WorkflowsApi } from './api/workflows';
import { CdfHttp, type CdfHttpOptions } from './http/cdfHttp';
import { silentLogger } from './log';
import { Redactor, redactingLogger } from './redact';
import { type TokenInspection, tokenInspection } from './schemas/tokenInspect';
import { CAPABILITY } from './api/capabilities';

/** The transport's options (the client passes them on), and how run reconciles. */
export interface CdfClientOptions extends CdfHttpOptions {
  /** How long run keeps looking for an execution after an ambiguous failure (see RunReconcilePolicy). */
  readonly run?: Partial<RunReconcilePolicy>;
}

export interface CdfClient {
  readonly project: string;
  readonly baseUrl: string;
  readonly workflows: WorkflowsApi;
  readonly versions: VersionsApi;
  readonly executions: ExecutionsApi;
  readonly tasks: TasksApi;
  readonly triggers: TriggersApi;
  readonly sessions: SessionsApi;
  readonly functions: FunctionsApi;
  readonly functionSchedules: FunctionSchedulesApi;
  readonly files: FilesApi;
  readonly dataSets: DataSetsApi;
  readonly transformations: TransformationsApi;
  /** Masks this client's secrets and tokens; use it for any text that quotes a request or response. */
  readonly redactor: Redactor;
  /** Who the token belongs to, its projects and capabilities (GET /api/v1/token/inspect). */
  tokenInspect(ctx?: CallContext): Promise<TokenInspection>;
  /**
   * New calls fail at once with ClientClosedError naming `reason` (a clause: `connection "x" was removed`);
   * calls already started finish; then the pooled connections close.
   */
  close(reason?: string): Promise<void>;
  /** True once close() was called. */
  readonly isClosed: boolean;
}

export function createCdfClient(options: CdfClientOptions): CdfClient {
  const redactor = options.redactor ?? new Redactor();
  const logger = redactingLogger(options.logger ?? silentLogger, redactor);
  const http = new CdfHttp({ ...options, logger, redactor });
  const sessions = new SessionsApi(http, options.tokenSource);
  const reconcile = { ...defaultRunReconcilePolicy, ...options.run };
  return {
    project: http.project,
    baseUrl: http.baseUrl,
    workflows: new WorkflowsApi(http),
    versions: new VersionsApi(http),
    executions: new ExecutionsApi(http, sessions, reconcile, logger),
    tasks: new TasksApi(http),
    triggers: new TriggersApi(http, sessions),
    sessions,
    functions: new FunctionsApi(http, sessions),
    functionSchedules: new FunctionSchedulesApi(http, sessions),
    files: new FilesApi(http),
    dataSets: new DataSetsApi(http),
    transformations: new TransformationsApi(http),
    redactor,
    tokenInspect: (ctx = {}) =>
      http.get('/api/v1/token/inspect', { schema: tokenInspection, capability: CAPABILITY.tokenInspect, signal: ctx.signal }),
    close: (reason) => http.close(reason),
    get isClosed() {
      return http.isClosed;
    },
  };
}
