// The panel of the selected task: status, reason, times, retries, what it runs, findings, its actions, and
// its resolved input, output and definition as collapsible JSON (asked of the host when the task is picked).
import { formatDuration, statusWord } from '../../core/graph/format';
import { type GraphNode, NOT_STARTED } from '../../core/graph/model';
import { button, formatTime, h, icon, statusClass } from './dom';
import { STATUS_ICONS, TASK_TYPE_ICONS, UI_ICONS, UNKNOWN_TYPE_ICON } from './icons';
import { jsonView } from './json';
import { type TaskAction } from './protocol';
import { durationText, taskLabel } from './graphView';

export interface TaskDetails {
  readonly input?: unknown;
  readonly output?: unknown;
  readonly definition?: unknown;
}

export class TaskPanel {
  readonly element: HTMLElement;
  private current: string | undefined;

  constructor(
    private readonly act: (action: TaskAction, id: string) => void,
    private readonly close: () => void,
  ) {
    this.element = h('aside', { class: 'task-panel', 'aria-label': 'Selected task', hidden: true });
  }

  get shown(): string | undefined {
    return this.current;
  }

  hide(): void {
    this.current = undefined;
    this.element.hidden = true;
  }

  show(n: GraphNode, kind: 'execution' | 'version' | 'file', now: number, details: TaskDetails | undefined, childCount: number): void {
    this.current = n.id;
    this.element.hidden = false;
    const rows: [string, Node | string][] = [];
    rows.push(['Type', `${n.type}${n.detail ? `: ${n.detail}` : ''}`]);
    if (n.name && n.name !== n.externalId) rows.push(['Task id', n.externalId]);
    if (n.status !== undefined) {
      rows.push(['Status', h('span', { class: `status-text ${statusClass(n.status)}` }, icon(STATUS_ICONS[n.status] ?? 'question'), statusWord(n.status))]);
      if (n.startTime !== undefined) rows.push(['Started', formatTime(n.startTime)]);
      if (n.endTime !== undefined) rows.push(['Ended', formatTime(n.endTime)]);
      const took = durationText(n, now);
      if (took) rows.push([n.endTime !== undefined ? 'Took' : 'Running for', took]);
    }
    const retries = [
      n.retries !== undefined ? `${n.retries} allowed` : '',
      kind === 'execution' ? (n.retriesSeen ? `${n.retriesSeen} seen while this view followed the run` : 'CDF does not report how many were used') : '',
    ].filter(Boolean);
    if (retries.length) rows.push(['Retries', retries.join('; ')]);
    if (n.timeout !== undefined) rows.push(['Timeout', formatDuration(n.timeout * 1000)]);
    if (n.onFailure) rows.push(['On failure', n.onFailure === 'skipTask' ? 'skip the task (the workflow goes on)' : 'abort the workflow']);
    if (n.group) rows.push(['Tasks', childCount ? String(childCount) : n.type === 'dynamic' ? 'generated when it runs' : 'none listed']);
    if (n.taskExecutionId) rows.push(['Task execution id', h('code', {}, n.taskExecutionId)]);

    const actions = h('div', { class: 'panel-actions' });
    if (n.hasLogs) actions.append(button(UI_ICONS.logs, 'Show Function Logs', () => this.act('showLogs', n.id)));
    if (n.asyncWaiting) actions.append(button(UI_ICONS.complete, 'Complete Async Task...', () => this.act('completeAsync', n.id)));
    if (kind === 'file') actions.append(button(UI_ICONS.reveal, 'Reveal in File', () => this.act('reveal', n.id)));
    if (n.taskExecutionId) actions.append(button(UI_ICONS.copy, 'Copy Task Execution ID', () => this.act('copyId', n.id)));
    if (kind === 'execution' && n.status !== NOT_STARTED) {
      actions.append(button(UI_ICONS.copy, 'Copy Input', () => this.act('copyInput', n.id)), button(UI_ICONS.copy, 'Copy Output', () => this.act('copyOutput', n.id)));
    }

    const sections: HTMLElement[] = [];
    if (n.reason) sections.push(h('div', { class: 'reason', role: 'note' }, icon(UI_ICONS.errorMark), h('span', {}, n.reason)));
    for (const d of n.diagnostics ?? []) {
      sections.push(h('div', { class: `finding finding-${d.severity}` }, icon(d.severity === 'error' ? UI_ICONS.errorMark : d.severity === 'warning' ? UI_ICONS.warningMark : UI_ICONS.info), h('span', {}, d.message)));
    }
    const block = (title: string, value: unknown) => h('section', { class: 'panel-json' }, h('h3', {}, title), jsonView(value));
    if (details === undefined && kind !== 'file') sections.push(h('p', { class: 'muted' }, 'Loading input and output…'));
    if (details?.input !== undefined) sections.push(block(kind === 'execution' ? 'Input (resolved)' : 'Parameters', details.input));
    if (details?.output !== undefined) sections.push(block('Output', details.output));
    if (details?.definition !== undefined) sections.push(block('Definition', details.definition));

    this.element.replaceChildren(
      h(
        'div',
        { class: 'panel-head' },
        icon(TASK_TYPE_ICONS[n.type] ?? UNKNOWN_TYPE_ICON, 'type-icon'),
        h('h2', { id: 'panel-title' }, taskLabel(n)),
        button(UI_ICONS.close, 'Close the task panel', () => this.close(), { iconOnly: true, className: 'panel-close' }),
      ),
      h('dl', { class: 'panel-facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      actions.childElementCount ? actions : '',
      ...sections,
    );
    this.element.setAttribute('aria-labelledby', 'panel-title');
  }
}
