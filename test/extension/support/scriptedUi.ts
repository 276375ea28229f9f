// A UserInput that answers from a script: an unexpected prompt fails the test instead of hanging, and
// every message shown (errors from the command boundary included) is recorded for assertions.
import type * as vscode from 'vscode';
import type { CdfWorkflowsApi } from '../../../src/extension';
import type { AskOptions, InputOptions, PickItem, PickOptions, UserInput } from '../../../src/vscode/ui';

export const BACK = Symbol('back');
export const CANCEL = Symbol('cancel');

/** One scripted answer. pick: label (or RegExp over "label description"), or text typed that no item
 *  matches when the pick takes free text; input: the text typed; ask: the action chosen on a message
 *  (a modal's own close button included); file: an absolute path. */
export type Answer =
  | { pick: string | RegExp }
  | { input: string }
  | { ask: string | undefined; match?: RegExp }
  | { file: string }
  | typeof BACK
  | typeof CANCEL;

export interface ShownMessage { kind: 'info' | 'warning' | 'error'; message: string; modal: boolean; actions: string[]; detail?: string; cancel?: string }
export interface SeenPrompt {
  type: 'pick' | 'input';
  title?: string;
  step?: number;
  totalSteps?: number;
  placeholder?: string;
  prompt?: string;
  labels?: string[];
  /** "label description" of each item, as a user reads the row. */
  rows?: string[];
  /** Each item's detail line (empty when it has none). */
  details?: string[];
  /** The label of the item active when the list opens (Enter picks it). */
  active?: string;
  value?: string;
  validation?: string;
  /** Messages of the check that refused answers typed into this box (Enter pressed, box kept open). */
  refusals?: string[];
}

export class ScriptedUserInput implements UserInput {
  private answers: Answer[] = [];
  readonly messages: ShownMessage[] = [];
  readonly prompts: SeenPrompt[] = [];
  private waiters: { re: RegExp; resolve: (m: ShownMessage) => void }[] = [];

  /** `classes` must be the extension bundle's own (api.classes): the wizard checks them with instanceof. */
  constructor(
    private readonly classes: CdfWorkflowsApi['classes'],
    private readonly uri: (path: string) => vscode.Uri,
  ) {}

  script(...answers: Answer[]): this {
    this.answers.push(...answers);
    return this;
  }

  /** Fails when answers are left over: the command asked fewer questions than the test expected. */
  assertAllUsed(): void {
    if (this.answers.length) throw new Error(`Unused scripted answers: ${JSON.stringify(this.answers.map(a => (typeof a === 'symbol' ? a.toString() : a)))}`);
  }

  reset(): void {
    this.answers = [];
    this.messages.length = 0;
    this.prompts.length = 0;
  }

  /** Resolves with the first message (already shown or still to come) whose text matches; fails after
   *  `timeoutMs` listing the messages that were shown instead. */
  waitForMessage(re: RegExp, timeoutMs = 30_000): Promise<ShownMessage> {
    const seen = this.messages.find(m => re.test(m.message));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter(w => w.re !== re);
        reject(new Error(`No message matching ${String(re)} within ${timeoutMs} ms. Shown: ${JSON.stringify(this.messages.map(m => `${m.kind}: ${m.message}`))}`));
      }, timeoutMs);
      this.waiters.push({ re, resolve: m => { clearTimeout(timer); resolve(m); } });
    });
  }

  private next(what: string): Exclude<Answer, symbol> {
    const a = this.answers.shift();
    if (a === undefined) throw new Error(`Unexpected prompt (no scripted answer left): ${what}`);
    if (a === CANCEL) throw new this.classes.CancelledError();
    if (a === BACK) throw new this.classes.GoBackError();
    return a;
  }

  async pick<T>(options: PickOptions<T>): Promise<T> {
    const items = await options.items;
    const selectable = items.filter(i => (i.kind as number | undefined) !== -1);
    // A list opens with the `active` item selected, else the first selectable one: what Enter picks.
    const active = (options.active ? selectable.find(options.active) : undefined) ?? selectable[0];
    const seen: SeenPrompt = {
      type: 'pick', title: options.title, step: options.step, totalSteps: options.totalSteps, placeholder: options.placeholder,
      labels: items.map(i => i.label), rows: items.map(i => `${i.label} ${i.description ?? ''}`.trim()), details: items.map(i => i.detail ?? ''), active: active?.label,
    };
    this.prompts.push(seen);
    const a = this.next(`pick "${options.placeholder ?? options.title ?? ''}" [${seen.labels!.join(' | ')}]`);
    if (!('pick' in a)) throw new Error(`Expected a pick answer for "${options.placeholder ?? ''}", got ${JSON.stringify(a)}`);
    const matches = (i: PickItem<T>) => {
      const text = `${i.label} ${i.description ?? ''}`.trim();
      return typeof a.pick === 'string' ? i.label === a.pick || text === a.pick : a.pick.test(text);
    };
    const found = items.find(matches) ?? (typeof a.pick === 'string' ? options.freeText?.(a.pick) : undefined);
    if (!found) throw new Error(`No item matches ${String(a.pick)} in "${options.placeholder ?? ''}": ${seen.labels!.join(' | ')}`);
    return found.value;
  }

  async input(options: InputOptions): Promise<string> {
    const seen: SeenPrompt = { type: 'input', title: options.title, step: options.step, totalSteps: options.totalSteps, placeholder: options.placeholder, prompt: options.prompt, value: options.value };
    this.prompts.push(seen);
    for (;;) {
      const a = this.next(`input "${options.prompt ?? options.title ?? ''}"`);
      if (!('input' in a)) throw new Error(`Expected an input answer for "${options.prompt ?? ''}", got ${JSON.stringify(a)}`);
      const m = options.validate ? await options.validate(a.input) : undefined;
      const text = typeof m === 'string' ? m : m?.message;
      seen.validation = text;
      // severity 3 = InputBoxValidationSeverity.Error; a plain string is an error too.
      if (m !== undefined && (typeof m === 'string' || (m.severity as number) === 3)) {
        throw new Error(`Scripted input "${a.input}" was refused: ${text}`);
      }
      // A check refusing the value keeps the box open with its message: the next answer is typed into it.
      const refused = options.check ? await options.check(a.input) : undefined;
      if (refused === undefined) return a.input;
      seen.validation = refused;
      (seen.refusals ??= []).push(refused);
    }
  }

  ask(kind: 'info' | 'warning' | 'error', message: string, options: AskOptions, ...actions: string[]): Promise<string | undefined> {
    try {
      return Promise.resolve(this.answer(kind, message, options, actions));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private answer(kind: 'info' | 'warning' | 'error', message: string, options: AskOptions, actions: string[]): string | undefined {
    const shown: ShownMessage = { kind, message, modal: options.modal ?? false, actions, detail: options.detail, cancel: options.cancel };
    this.messages.push(shown);
    this.waiters = this.waiters.filter(w => (w.re.test(message) ? (w.resolve(shown), false) : true));
    const head = this.answers[0];
    const answersThis = head !== undefined && typeof head === 'object' && 'ask' in head && (!head.match || head.match.test(message));
    if (answersThis) {
      this.answers.shift();
      const choices = options.cancel !== undefined ? [...actions, options.cancel] : actions;
      if (head.ask !== undefined && !choices.includes(head.ask)) throw new Error(`Message "${message}" has no action "${head.ask}" (actions: ${choices.join(', ')})`);
      return head.ask;
    }
    // A modal question must be answered by the script; a toast can simply be dismissed.
    if (shown.modal) throw new Error(`Unexpected modal question: ${message}`);
    return undefined;
  }

  async openFile(options: { title: string }): Promise<vscode.Uri> {
    await Promise.resolve();
    const a = this.next(`open file "${options.title}"`);
    if (!('file' in a)) throw new Error(`Expected a file answer for "${options.title}", got ${JSON.stringify(a)}`);
    return this.uri(a.file);
  }

  async saveFile(options: { title: string }): Promise<vscode.Uri> {
    await Promise.resolve();
    const a = this.next(`save file "${options.title}"`);
    if (!('file' in a)) throw new Error(`Expected a file answer for "${options.title}", got ${JSON.stringify(a)}`);
    return this.uri(a.file);
  }
}
