// The messages between the workflow view's host (src/vscode/workflowView) and its webview app, in both
// directions, as zod schemas both sides parse with: the host refuses (and logs) any message from the
// webview that does not fit, the app ignores any that does not fit from the host.
import * as z from 'zod/mini';

const id = z.string().check(z.maxLength(2048));
const shortText = z.string().check(z.maxLength(512));
const time = z.number();

/** What a view shows; kept in the webview's state so a reload can restore the view. */
export const viewTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('execution'), connection: shortText, executionId: shortText }),
  z.strictObject({ kind: z.literal('version'), connection: shortText, workflowExternalId: id, version: id }),
  z.strictObject({ kind: z.literal('file'), uri: z.string().check(z.maxLength(8192)) }),
]);
export type ViewTarget = z.output<typeof viewTarget>;

const diagnostic = z.object({ severity: z.enum(['error', 'warning', 'info']), message: z.string() });

export const graphNode = z.object({
  id,
  externalId: id,
  parent: z.optional(id),
  name: z.optional(z.string()),
  type: z.string(),
  group: z.boolean(),
  detail: z.optional(z.string()),
  status: z.optional(z.string()),
  startTime: z.optional(time),
  endTime: z.optional(time),
  reason: z.optional(z.string()),
  retries: z.optional(z.number()),
  retriesSeen: z.optional(z.number()),
  timeout: z.optional(z.number()),
  onFailure: z.optional(z.string()),
  taskExecutionId: z.optional(z.string()),
  asyncWaiting: z.optional(z.boolean()),
  hasLogs: z.optional(z.boolean()),
  diagnostics: z.optional(z.readonly(z.array(diagnostic))),
});

const graph = z.object({ nodes: z.readonly(z.array(graphNode)), edges: z.readonly(z.array(z.object({ from: id, to: id }))) });

/** Buttons of the header; the host offers those that apply. */
export const VIEW_ACTIONS = ['cancel', 'retry', 'runAgain', 'compare', 'openText', 'refresh', 'run', 'openFile'] as const;
export type ViewAction = (typeof VIEW_ACTIONS)[number];

export const viewModel = z.object({
  target: viewTarget,
  /** `workflow@version`, or the file's name. */
  title: z.string(),
  /** Connection, project or path. */
  subtitle: z.optional(z.string()),
  description: z.optional(z.string()),
  status: z.optional(z.string()),
  createdTime: z.optional(time),
  startTime: z.optional(time),
  endTime: z.optional(time),
  reason: z.optional(z.string()),
  executionId: z.optional(z.string()),
  input: z.optional(z.unknown()),
  metadata: z.optional(z.record(z.string(), z.string())),
  actions: z.array(z.enum(VIEW_ACTIONS)),
  /** A file that does not parse: shown instead of (or above) the last graph that did. */
  problem: z.optional(z.string()),
  graph,
  /** When the host read this state (the app ticks running durations from it). */
  readAt: time,
});
export type ViewModel = z.output<typeof viewModel>;

/** Host → webview. */
export const toWebview = z.discriminatedUnion('type', [
  /** Draw everything (the layout is computed again). */
  z.object({ type: z.literal('model'), model: viewModel }),
  /** Same tasks and edges, new states: recolour the nodes named, no new layout. */
  z.object({
    type: z.literal('update'),
    header: z.object({
      status: z.optional(z.string()),
      endTime: z.optional(time),
      reason: z.optional(z.string()),
      actions: z.array(z.enum(VIEW_ACTIONS)),
      readAt: time,
    }),
    nodes: z.readonly(z.array(graphNode)),
  }),
  /** The resolved input, output and definition of a task (asked for with selectTask). */
  z.object({ type: z.literal('taskDetails'), id, input: z.optional(z.unknown()), output: z.optional(z.unknown()), definition: z.optional(z.unknown()) }),
  /** Selects and shows a task (the editor's cursor moved onto it, or a command). */
  z.object({ type: z.literal('select'), id }),
  /** The view cannot show its target (removed connection, deleted version, unreadable file). */
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ToWebview = z.output<typeof toWebview>;

export const TASK_ACTIONS = ['showLogs', 'completeAsync', 'reveal', 'copyId', 'copyInput', 'copyOutput'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Webview → host: strict, so anything unexpected is refused. */
export const fromWebview = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  /** Drawn: how many nodes, and the layout and paint time (for tests and benchmarks). */
  z.strictObject({ type: z.literal('rendered'), nodes: z.number().check(z.int(), z.nonnegative()), ms: z.number().check(z.nonnegative()) }),
  z.strictObject({ type: z.literal('selectTask'), id }),
  z.strictObject({ type: z.literal('runAction'), action: z.enum(VIEW_ACTIONS) }),
  z.strictObject({ type: z.literal('taskAction'), action: z.enum(TASK_ACTIONS), id }),
]);
export type FromWebview = z.output<typeof fromWebview>;

/** The state the app keeps with setState (restored on reload; the host reads `target` to reopen it). */
export const viewState = z.object({
  target: viewTarget,
  tab: z.optional(z.enum(['graph', 'timeline'])),
  selected: z.optional(id),
  /** Groups opened or closed by the user (true = expanded). */
  groups: z.optional(z.record(z.string(), z.boolean())),
  zoom: z.optional(z.object({ x: z.number(), y: z.number(), scale: z.number() })),
});
export type ViewState = z.output<typeof viewState>;
