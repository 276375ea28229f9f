// Every prompt goes through a UserInput, so tests script the answers and an unexpected prompt fails instead
// of hanging. The VS Code implementation uses createQuickPick/createInputBox for step counters and Back.
import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';

/** Thrown by a prompt when the user pressed Back; the wizard goes one prompt step back. */
export class GoBackError extends Error {
  constructor() {
    super('Go back.');
  }
}

export interface StepInfo {
  title?: string;
  step?: number;
  totalSteps?: number;
  /** Shows the Back button (a wizard sets it from the second prompt on). */
  canGoBack?: boolean;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export interface PickOptions<T> extends StepInfo {
  placeholder?: string;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
  /** The item picked last time, made active when the list opens. */
  active?: (item: PickItem<T>) => boolean;
  /** Items may come from a request: the list shows busy until they arrive. */
  items: readonly PickItem<T>[] | Promise<readonly PickItem<T>[]>;
  /**
   * Text typed that no item matches may still be an answer (a time zone alias): the item it makes is
   * shown first while the text is typed; undefined when the text cannot be one.
   */
  freeText?: (value: string) => PickItem<T> | undefined;
}

export interface AskOptions {
  modal?: boolean;
  detail?: string;
  /**
   * A modal's own close button (Escape picks it), in place of VS Code's "Cancel": "Keep Running" where
   * "Cancel" would read as one more way to cancel. Resolves to this title when chosen.
   */
  cancel?: string;
}

export interface InputOptions extends StepInfo {
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Returns an error message, an informational message (shown below the box, not blocking) or nothing. */
  validate?: (value: string) => string | vscode.InputBoxValidationMessage | undefined | Promise<string | vscode.InputBoxValidationMessage | undefined>;
  /**
   * A slower check run only when Enter is pressed (a sign-in with a typed secret): the box shows busy,
   * and a message it returns keeps the box open with that message, so the user types again.
   */
  check?: (value: string) => Promise<string | undefined>;
}

export interface UserInput {
  pick<T>(options: PickOptions<T>): Promise<T>;
  input(options: InputOptions): Promise<string>;
  /**
   * A modal or toast question; resolves to the chosen action title, or undefined when dismissed. The
   * first action is the default button of a modal: put the safe choice first.
   */
  ask(kind: 'info' | 'warning' | 'error', message: string, options: AskOptions, ...actions: string[]): Promise<string | undefined>;
  openFile(options: { title: string; filters?: Record<string, string[]>; defaultUri?: vscode.Uri }): Promise<vscode.Uri>;
  /** Where to save a new file (the save dialog); cancelling it cancels the command. */
  saveFile(options: { title: string; filters?: Record<string, string[]>; defaultUri?: vscode.Uri }): Promise<vscode.Uri>;
}

export class VsCodeUserInput implements UserInput {
  async pick<T>(options: PickOptions<T>): Promise<T> {
    const qp = vscode.window.createQuickPick<PickItem<T>>();
    applyStep(qp, options);
    qp.placeholder = options.placeholder;
    qp.matchOnDescription = options.matchOnDescription ?? false;
    qp.matchOnDetail = options.matchOnDetail ?? false;
    qp.ignoreFocusOut = true;
    const disposables: vscode.Disposable[] = [qp];
    try {
      return await new Promise<T>((resolve, reject) => {
        let settled = false;
        disposables.push(
          qp.onDidTriggerButton(b => {
            if (b === vscode.QuickInputButtons.Back) { settled = true; reject(new GoBackError()); }
          }),
          qp.onDidAccept(() => {
            const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
            if (chosen) { settled = true; resolve(chosen.value); }
          }),
          qp.onDidHide(() => { if (!settled) reject(new CancelledError()); }),
        );
        qp.busy = true;
        qp.show();
        let loaded: readonly PickItem<T>[] = [];
        if (options.freeText) {
          const freeText = options.freeText;
          disposables.push(
            qp.onDidChangeValue(value => {
              const typed = value.trim();
              const exact = loaded.some(i => i.label.toLowerCase() === typed.toLowerCase());
              const extra = typed && !exact ? freeText(typed) : undefined;
              qp.items = extra ? [{ ...extra, alwaysShow: true }, ...loaded] : loaded;
            }),
          );
        }
        Promise.resolve(options.items).then(items => {
          loaded = items;
          qp.items = items;
          const active = options.active ? items.find(options.active) : undefined;
          if (active) qp.activeItems = [active];
          qp.busy = false;
        }, (e: unknown) => { settled = true; reject(e instanceof Error ? e : new Error(String(e))); });
      });
    } finally {
      for (const d of disposables) d.dispose();
    }
  }

  async input(options: InputOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    applyStep(box, options);
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.value = options.value ?? '';
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    const disposables: vscode.Disposable[] = [box];
    const check = async (value: string) => (options.validate ? await options.validate(value) : undefined);
    const blocks = (m: string | vscode.InputBoxValidationMessage | undefined) =>
      m !== undefined && (typeof m === 'string' || m.severity === vscode.InputBoxValidationSeverity.Error);
    try {
      return await new Promise<string>((resolve, reject) => {
        let settled = false;
        let latest = 0;
        const revalidate = async (value: string) => {
          const mine = ++latest;
          const m = await check(value);
          if (mine === latest) box.validationMessage = m;
          return m;
        };
        disposables.push(
          box.onDidTriggerButton(b => {
            if (b === vscode.QuickInputButtons.Back) { settled = true; reject(new GoBackError()); }
          }),
          box.onDidChangeValue(v => void revalidate(v)),
          box.onDidAccept(async () => {
            const value = box.value;
            box.busy = true;
            const m = await revalidate(value);
            if (blocks(m)) { box.busy = false; return; }
            if (options.check) {
              box.enabled = false;
              let refused: string | undefined;
              try {
                refused = await options.check(value);
              } catch (e) {
                settled = true;
                reject(e instanceof Error ? e : new Error(String(e)));
                return;
              } finally {
                box.enabled = true;
                box.busy = false;
              }
              if (refused !== undefined) {
                latest++; // a keystroke's validation started before must not hide this message
                box.validationMessage = refused;
                return;
              }
            }
            box.busy = false;
            settled = true;
            resolve(value);
          }),
          box.onDidHide(() => { if (!settled) reject(new CancelledError()); }),
        );
        box.show();
        if (box.value) void revalidate(box.value);
      });
    } finally {
      for (const d of disposables) d.dispose();
    }
  }

  async ask(kind: 'info' | 'warning' | 'error', message: string, options: AskOptions, ...actions: string[]): Promise<string | undefined> {
    const opts: vscode.MessageOptions = { modal: options.modal ?? false, detail: options.detail };
    const items: vscode.MessageItem[] = actions.map(title => ({ title }));
    if (options.cancel !== undefined) items.push({ title: options.cancel, isCloseAffordance: true });
    const show = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    const chosen = await show<vscode.MessageItem>(message, opts, ...items);
    return chosen?.title;
  }

  async openFile(options: { title: string; filters?: Record<string, string[]>; defaultUri?: vscode.Uri }): Promise<vscode.Uri> {
    const uris = await vscode.window.showOpenDialog({ title: options.title, filters: options.filters, defaultUri: options.defaultUri, canSelectMany: false, openLabel: 'Select' });
    if (!uris?.[0]) throw new CancelledError();
    return uris[0];
  }

  async saveFile(options: { title: string; filters?: Record<string, string[]>; defaultUri?: vscode.Uri }): Promise<vscode.Uri> {
    const uri = await vscode.window.showSaveDialog({ title: options.title, filters: options.filters, defaultUri: options.defaultUri, saveLabel: 'Save' });
    if (!uri) throw new CancelledError();
    return uri;
  }
}

function applyStep(q: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, s: StepInfo): void {
  q.title = s.title;
  q.step = s.step;
  q.totalSteps = s.totalSteps;
  q.buttons = s.canGoBack ? [vscode.QuickInputButtons.Back] : [];
}
