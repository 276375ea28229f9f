// The workflow view's app inside the webview: header (workflow@version, status, duration, input and
// metadata, actions), the Graph and Timeline tabs, and the task panel. It draws what the host sends,
// keeps its own state with setState, and tells the host only what the user asked for.
import { formatDuration, statusWord } from '../../core/graph/format';
import { layoutGraph } from '../../core/graph/layout';
import { RUNNING_TASK_STATUSES } from '../../core/graph/model';
import { button, formatTime, h, icon, statusClass } from './dom';
import { GraphView } from './graphView';
import { STATUS_ICONS, UI_ICONS } from './icons';
import { jsonView } from './json';
import { type FromWebview, type ToWebview, toWebview, type ViewAction, type ViewModel, type ViewState, viewState } from './protocol';
import { type TaskDetails, TaskPanel } from './taskPanel';
import { TimelineView } from './timelineView';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const ACTION_BUTTONS: Record<ViewAction, [icon: string, label: string]> = {
  cancel: [UI_ICONS.cancel, 'Cancel'],
  retry: [UI_ICONS.retry, 'Retry'],
  runAgain: [UI_ICONS.runAgain, 'Run Again'],
  run: [UI_ICONS.runAgain, 'Run...'],
  compare: [UI_ICONS.compare, 'Compare...'],
  openText: [UI_ICONS.openText, 'Open as Text'],
  openFile: [UI_ICONS.reveal, 'Open File'],
  refresh: ['refresh', 'Refresh'],
};

class App {
  private readonly vscode = acquireVsCodeApi();
  private model: ViewModel | undefined;
  private state: Partial<ViewState>;
  private readonly details = new Map<string, TaskDetails>();
  private readonly header = h('header', { class: 'header' });
  private readonly problem = h('div', { class: 'problem', role: 'alert', hidden: true });
  private readonly graphView: GraphView;
  private readonly timeline: TimelineView;
  private readonly panel: TaskPanel;
  private readonly live = h('div', { class: 'sr-only', 'aria-live': 'polite' });
  private readonly tabs: Record<'graph' | 'timeline', HTMLButtonElement>;
  private readonly findInput: HTMLInputElement;
  private readonly findCount = h('span', { class: 'find-count', 'aria-live': 'polite' });
  private ticker: ReturnType<typeof setInterval> | undefined;
  private zoomSave: ReturnType<typeof setTimeout> | undefined;

  constructor(root: HTMLElement) {
    const saved = viewState.safeParse(this.vscode.getState());
    this.state = saved.success ? saved.data : {};
    this.graphView = new GraphView({
      select: (id, how) => this.select(id, how),
      groupsChanged: (groups) => this.saveState({ groups }),
      zoomChanged: (zoom) => {
        clearTimeout(this.zoomSave);
        this.zoomSave = setTimeout(() => this.saveState({ zoom }), 300);
      },
      announce: (text) => this.announce(text),
    });
    this.graphView.setGroups(this.state.groups ?? {});
    this.timeline = new TimelineView((id) => this.select(id, 'click'));
    this.panel = new TaskPanel(
      (action, id) => this.post({ type: 'taskAction', action, id }),
      () => this.select(undefined, 'click'),
    );

    const tab = (name: 'graph' | 'timeline', label: string, iconName: string) => {
      const b = h('button', { type: 'button', role: 'tab', class: 'tab', id: `tab-${name}`, 'aria-controls': `pane-${name}` }, icon(iconName), h('span', {}, label));
      b.addEventListener('click', () => this.showTab(name));
      return b;
    };
    this.tabs = { graph: tab('graph', 'Graph', UI_ICONS.graph), timeline: tab('timeline', 'Timeline', UI_ICONS.timeline) };
    this.findInput = h('input', { type: 'search', class: 'find', placeholder: 'Find a task', 'aria-label': 'Find a task by name' });
    this.findInput.addEventListener('input', () => this.find(false));
    this.findInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.find(true);
      } else if (e.key === 'Escape') {
        this.findInput.value = '';
        this.find(false);
      }
    });
    const toolbar = h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'View' }, this.tabs.graph, this.tabs.timeline),
      h('div', { class: 'find-box' }, icon(UI_ICONS.find), this.findInput, this.findCount),
      h(
        'div',
        { class: 'zoom-buttons' },
        button(UI_ICONS.expandAll, 'Open All Groups', () => this.graphView.setAllGroups(true), { iconOnly: true }),
        button(UI_ICONS.collapseAll, 'Close All Groups', () => this.graphView.setAllGroups(false), { iconOnly: true }),
        button(UI_ICONS.zoomOut, 'Zoom Out', () => this.graphView.zoomBy(0.8), { iconOnly: true }),
        button(UI_ICONS.zoomIn, 'Zoom In', () => this.graphView.zoomBy(1.25), { iconOnly: true }),
        button(UI_ICONS.fit, 'Fit to View', () => this.graphView.fit(), { iconOnly: true }),
      ),
    );
    this.graphView.element.id = 'pane-graph';
    this.graphView.element.setAttribute('role', 'tabpanel');
    this.timeline.element.id = 'pane-timeline';
    this.timeline.element.setAttribute('role', 'tabpanel');
    const body = h('main', { class: 'body' }, this.graphView.element, this.timeline.element, this.panel.element);
    root.replaceChildren(this.header, this.problem, toolbar, body, this.live);
    this.showTab(this.state.tab ?? 'graph', false);

    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        this.findInput.focus();
        this.findInput.select();
      } else if (e.key === 'Escape' && this.panel.shown && !(e.target instanceof HTMLInputElement)) {
        this.select(undefined, 'click');
      }
    });
    document.addEventListener('visibilitychange', () => this.syncTicker());
    this.post({ type: 'ready' });
  }

  private post(message: FromWebview): void {
    this.vscode.postMessage(message);
  }

  private saveState(patch: Partial<ViewState>): void {
    this.state = { ...this.state, ...patch };
    if (this.state.target) this.vscode.setState(this.state);
  }

  private announce(text: string): void {
    this.live.textContent = text;
  }

  private receive(data: unknown): void {
    const started = performance.now();
    const parsed = toWebview.safeParse(data);
    if (!parsed.success) return; // not ours, or not from this version of the host
    const message: ToWebview = parsed.data;
    switch (message.type) {
      case 'model':
        this.render(message.model, started);
        return;
      case 'update':
        this.update(message, started);
        return;
      case 'taskDetails':
        this.details.set(message.id, { input: message.input, output: message.output, definition: message.definition });
        if (this.panel.shown === message.id) this.showPanel(message.id);
        return;
      case 'select':
        this.select(message.id, 'keyboard');
        return;
      case 'error':
        this.problem.hidden = false;
        this.problem.replaceChildren(icon(UI_ICONS.errorMark), h('span', {}, message.message));
        return;
    }
  }

  private render(model: ViewModel, started: number): void {
    performance.mark('cdf-model-start', { startTime: started });
    const sameTarget = this.model !== undefined && JSON.stringify(this.model.target) === JSON.stringify(model.target);
    const restored = !this.model && this.state.zoom !== undefined && JSON.stringify(this.state.target) === JSON.stringify(model.target);
    if (!sameTarget) this.details.clear();
    this.model = model;
    this.saveState({ target: model.target });
    this.renderHeader();
    this.problem.hidden = !model.problem;
    this.problem.replaceChildren(...(model.problem ? [icon(UI_ICONS.errorMark), h('span', {}, model.problem)] : []));
    if (restored) this.graphView.setZoom(this.state.zoom);
    const layoutMs = this.graphView.render(model.graph, this.now(), { fit: !sameTarget && !restored });
    performance.measure('cdf-layout', { start: performance.now() - layoutMs, duration: layoutMs });
    if (this.tab === 'timeline') this.timeline.render(model.graph, this.now(), this.panel.shown);
    const selected = this.panel.shown ?? (sameTarget || restored ? this.state.selected : undefined);
    if (selected && this.graphView.node(selected)) this.select(selected, 'restore');
    else if (this.panel.shown) this.select(undefined, 'click');
    this.syncTicker();
    // Painted once the frame after this one starts: the browser has laid out and drawn ours by then.
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark('cdf-model-painted');
        const measure = performance.measure('cdf-first-paint', 'cdf-model-start', 'cdf-model-painted');
        this.post({ type: 'rendered', nodes: this.graphView.drawn, ms: Math.round(measure.duration * 10) / 10 });
      }, 0),
    );
  }

  private update(message: Extract<ToWebview, { type: 'update' }>, started: number): void {
    const model = this.model;
    if (!model) return;
    const h0 = message.header;
    this.model = { ...model, status: h0.status, endTime: h0.endTime, reason: h0.reason, actions: h0.actions, readAt: h0.readAt };
    this.graphView.patch(message.nodes, this.now());
    this.renderHeader();
    if (this.tab === 'timeline') this.timeline.render({ nodes: this.graphView.nodes, edges: model.graph.edges }, this.now(), this.panel.shown);
    if (this.panel.shown && message.nodes.some((n) => n.id === this.panel.shown)) {
      this.details.delete(this.panel.shown);
      this.post({ type: 'selectTask', id: this.panel.shown });
      this.showPanel(this.panel.shown);
    }
    const changedFailed = message.nodes.filter((n) => n.status === 'FAILED' || n.status === 'FAILED_WITH_TERMINAL_ERROR' || n.status === 'TIMED_OUT');
    if (changedFailed.length) this.announce(`${changedFailed.map((n) => n.name || n.externalId).join(', ')} ${changedFailed.length === 1 ? 'failed' : 'failed'}`);
    else if (h0.status && h0.status !== model.status) this.announce(`Execution ${statusWord(h0.status).toLowerCase()}`);
    this.syncTicker();
    // The browser's style recalculation for the changed classes counts as the update's work too.
    void document.body.offsetHeight;
    performance.measure('cdf-update', { start: started, duration: performance.now() - started });
  }

  private now(): number {
    return Date.now();
  }

  private get tab(): 'graph' | 'timeline' {
    return this.state.tab ?? 'graph';
  }

  private showTab(name: 'graph' | 'timeline', save = true): void {
    for (const [k, b] of Object.entries(this.tabs)) {
      b.setAttribute('aria-selected', String(k === name));
      b.tabIndex = k === name ? 0 : -1;
    }
    this.graphView.element.hidden = name !== 'graph';
    this.timeline.element.hidden = name !== 'timeline';
    document.body.dataset['tab'] = name;
    if (save) this.saveState({ tab: name });
    if (name === 'timeline' && this.model) this.timeline.render({ nodes: this.graphView.nodes, edges: this.model.graph.edges }, this.now(), this.panel.shown);
  }

  private find(jump: boolean): void {
    const text = this.findInput.value;
    const count = this.graphView.find(text, jump);
    this.findCount.textContent = text.trim() ? `${count} ${count === 1 ? 'task' : 'tasks'}` : '';
  }

  private select(id: string | undefined, how: 'click' | 'keyboard' | 'open' | 'restore'): void {
    this.graphView.setSelected(id);
    this.saveState({ selected: id });
    if (!id) {
      this.panel.hide();
      document.body.classList.remove('with-panel');
      if (this.tab === 'timeline' && this.model) this.timeline.render({ nodes: this.graphView.nodes, edges: this.model.graph.edges }, this.now(), undefined);
      return;
    }
    if (!this.details.has(id) && this.model?.target.kind !== 'file') this.post({ type: 'selectTask', id });
    this.showPanel(id);
    if (how === 'open' && this.model?.target.kind === 'file') this.post({ type: 'taskAction', action: 'reveal', id });
    if (how === 'keyboard' || how === 'open') this.panel.element.querySelector<HTMLButtonElement>('button')?.focus();
    if (this.tab === 'timeline' && this.model) this.timeline.render({ nodes: this.graphView.nodes, edges: this.model.graph.edges }, this.now(), id);
  }

  private showPanel(id: string): void {
    const n = this.graphView.node(id);
    if (!n || !this.model) return;
    document.body.classList.add('with-panel');
    this.panel.show(n, this.model.target.kind, this.now(), this.details.get(id), this.graphView.childrenOf(id).length);
  }

  private renderHeader(): void {
    const m = this.model!;
    const running = m.status === 'RUNNING';
    const duration = m.startTime !== undefined ? formatDuration((m.endTime ?? (running ? this.now() : m.startTime)) - m.startTime) : '';
    const facts: (HTMLElement | string)[] = [];
    if (m.status) facts.push(h('span', { class: `status-badge ${statusClass(m.status)}` }, icon(STATUS_ICONS[m.status] ?? 'question', running ? 'spin' : ''), statusWord(m.status)));
    if (duration) facts.push(h('span', { class: 'fact duration', title: 'Duration' }, `${running ? 'running for ' : ''}${duration}`));
    if (m.startTime !== undefined) facts.push(h('span', { class: 'fact' }, `started ${formatTime(m.startTime)}`));
    else if (m.createdTime !== undefined && running) facts.push(h('span', { class: 'fact' }, `queued since ${formatTime(m.createdTime)}`));
    if (m.target.kind !== 'execution') {
      const tasks = m.graph.nodes.filter((n) => n.parent === undefined).length;
      facts.push(h('span', { class: 'fact' }, `${tasks} ${tasks === 1 ? 'task' : 'tasks'}`));
    }
    if (m.subtitle) facts.push(h('span', { class: 'fact subtle' }, m.subtitle));
    const actions = h('div', { class: 'header-actions' }, ...m.actions.map((a) => button(ACTION_BUTTONS[a][0], ACTION_BUTTONS[a][1], () => this.post({ type: 'runAction', action: a }))));
    const extra: HTMLElement[] = [];
    if (m.reason) extra.push(h('div', { class: 'reason', role: 'note' }, icon(UI_ICONS.errorMark), h('span', {}, m.reason)));
    if (m.description) extra.push(h('p', { class: 'description' }, m.description));
    const metadata = Object.entries(m.metadata ?? {});
    if (m.input !== undefined || metadata.length) {
      const info = h('details', { class: 'run-info' }, h('summary', {}, m.input !== undefined ? `Input${metadata.length ? ' and metadata' : ''}` : 'Metadata'));
      if (metadata.length) info.append(h('div', { class: 'metadata' }, ...metadata.map(([k, v]) => h('span', { class: 'chip' }, h('span', { class: 'chip-key' }, k), `=${v}`))));
      if (m.input !== undefined) info.append(jsonView(m.input));
      const wasOpen = this.header.querySelector<HTMLDetailsElement>('details.run-info')?.open;
      info.open = wasOpen ?? false;
      extra.push(info);
    }
    this.header.replaceChildren(h('div', { class: 'header-line' }, h('h1', {}, m.title), h('div', { class: 'facts' }, ...facts), actions), ...extra);
  }

  /** Once a second while something runs and the view is visible: durations move on. */
  private syncTicker(): void {
    const running = this.model?.status === 'RUNNING' || this.graphView.nodes.some((n) => n.endTime === undefined && n.status !== undefined && RUNNING_TASK_STATUSES.has(n.status));
    const want = running && document.visibilityState === 'visible';
    if (want && !this.ticker) {
      this.ticker = setInterval(() => {
        const now = this.now();
        this.graphView.tick(now);
        const d = this.header.querySelector('.duration');
        const m = this.model;
        if (d && m?.startTime !== undefined && m.status === 'RUNNING') d.textContent = `running for ${formatDuration(now - m.startTime)}`;
      }, 1000);
    } else if (!want && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}

new App(document.getElementById('app')!);

// The layout code is compiled on its first use: use it once while the host reads what to show, so the first
// model is laid out by warm code.
setTimeout(() => layoutGraph({ nodes: [{ id: 'a', externalId: 'a', type: 'function', group: false }, { id: 'b', externalId: 'b', type: 'function', group: false }], edges: [{ from: 'a', to: 'b' }] }, new Set()), 0);
