// What every language-model tool shares: the connection a call works on (named, or the active one), the
// answer's budget, cancellation, and the one boundary that turns any failure into text the model can act
// on. Answers pass through the connection's redactor, so a secret or token never reaches the model.
import * as vscode from 'vscode';
import { type CdfClient } from '../../core/client';
import { CancelledError, InputError } from '../../core/errors';
import { describeError, estimateTokens, type ReadContext, type TokenCounter, tokenBudget, type ToolName } from '../../core/lm';
import { maskCredentialPatterns } from '../../core/redact';
import { type ConnectionSettings } from '../config';
import { describeConnection } from '../connections/model';
import { type Services } from '../services';

/** What the tools use of the extension's services. */
export type LmServices = Pick<Services, 'context' | 'log' | 'connections' | 'tracker' | 'tree' | 'runs' | 'definitions'>;

/** The connection a call works on, with its client. */
export interface ToolTarget {
  readonly connection: ConnectionSettings;
  readonly client: CdfClient;
  readonly project: string;
  readonly baseUrl: string;
}

function connectionList(services: LmServices): string {
  const all = services.connections.list();
  return all.map((c) => `"${c.name}" (project ${c.project})`).join(', ');
}

/** The named connection, or the active one; an InputError that lists the connections when there is none. */
export function resolveConnection(services: LmServices, name: string | undefined): ConnectionSettings {
  const all = services.connections.list();
  if (all.length === 0) {
    throw new InputError(
      'There is no CDF connection yet. Ask the user to add one with the command "CDF Workflows: Add Connection" (or "CDF Workflows: Try the Local Sandbox" for a local emulator).',
    );
  }
  if (name !== undefined) {
    const found = all.find((c) => c.name === name) ?? all.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
    const active = services.connections.active();
    throw new InputError(
      `There is no connection named "${name}"; the connections are: ${connectionList(services)}. ` +
        `Pass one of these names as connection${active ? `, or leave connection out to use the active one ("${active.name}")` : ''}.`,
    );
  }
  const active = services.connections.active();
  if (active) return active;
  throw new InputError(`No connection is active; the connections are: ${connectionList(services)}. Pass one of these names as connection.`);
}

export async function resolveTarget(services: LmServices, name: string | undefined): Promise<ToolTarget> {
  const connection = resolveConnection(services, name);
  const { baseUrl, project } = describeConnection(connection);
  const { client } = await services.connections.client(connection.name);
  return { connection, client, project, baseUrl };
}

/** What an answer may cost: about 4,000 tokens, or the caller's budget when smaller, counted by the caller's model when it says how. */
export interface AnswerBudget {
  readonly maxTokens: number;
  readonly countTokens?: TokenCounter;
}

export function answerBudget(options: { tokenizationOptions?: vscode.LanguageModelToolTokenizationOptions }): AnswerBudget {
  const t = options.tokenizationOptions;
  return {
    maxTokens: tokenBudget(t?.tokenBudget),
    // A counter that fails leaves the estimate in charge rather than failing the call.
    countTokens: t ? (text) => Promise.resolve(t.countTokens(text)).then((n) => (Number.isFinite(n) ? n : estimateTokens(text)), () => estimateTokens(text)) : undefined,
  };
}

export function readContext(target: ToolTarget, budget: AnswerBudget, signal: AbortSignal): ReadContext {
  return { client: target.client, connection: target.connection.name, project: target.project, now: Date.now(), signal, ...budget };
}

/** An AbortSignal that follows a cancellation token. */
export function signalOf(token: vscode.CancellationToken): { readonly signal: AbortSignal; readonly stop: vscode.Disposable } {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  const stop = token.onCancellationRequested(() => {
    abort.abort();
  });
  return { signal: abort.signal, stop };
}

export function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

/** Masks what the connection's client knows is secret, and anything shaped like a credential. */
export function redacted(text: string, client: CdfClient | undefined): string {
  return client ? client.redactor.redact(text) : maskCredentialPatterns(text);
}

/**
 * Runs a tool's work and answers with its text, or with the failure as text (never thrown at the model):
 * what went wrong and what to do. Cancellation is thrown as VS Code's CancellationError.
 */
export async function answer(
  services: LmServices,
  tool: ToolName,
  token: vscode.CancellationToken,
  work: (signal: AbortSignal, use: (client: CdfClient) => void) => Promise<string>,
): Promise<vscode.LanguageModelToolResult> {
  const { signal, stop } = signalOf(token);
  let client: CdfClient | undefined;
  try {
    return textResult(redacted(await work(signal, (c) => (client = c)), client));
  } catch (e) {
    if (token.isCancellationRequested || e instanceof CancelledError) throw new vscode.CancellationError();
    const message = redacted(describeError(e), client);
    if (e instanceof InputError) services.log.info(`${tool}: ${message}`);
    else services.log.warn(`${tool}: ${message}`);
    return textResult(`${tool} failed: ${message}`);
  } finally {
    stop.dispose();
  }
}

/**
 * What a call that changes something was confirmed for. VS Code asks prepareInvocation, shows its
 * confirmation, then calls invoke with the same input; invoke sends only when what it would send now
 * (connection, project, ids, the input file's content) is what the user confirmed.
 */
export class ConfirmedCalls {
  private readonly confirmed = new Map<string, string>();

  remember(key: string, fingerprint: string): void {
    this.confirmed.delete(key);
    this.confirmed.set(key, fingerprint);
    // A confirmation nobody invoked (the user declined) is forgotten eventually.
    while (this.confirmed.size > 50) this.confirmed.delete(this.confirmed.keys().next().value as string);
  }

  /** True, once, when `fingerprint` is what was confirmed for `key`. */
  take(key: string, fingerprint: string): boolean {
    const ok = this.confirmed.get(key) === fingerprint;
    if (ok) this.confirmed.delete(key);
    return ok;
  }
}
