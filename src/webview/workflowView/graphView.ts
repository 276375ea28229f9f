// The graph tab: nodes as focusable buttons placed by the layout, edges as one SVG, pan (drag or scroll),
// zoom (Ctrl+wheel, +/-, buttons), fit, find by name, arrow keys between nodes. A status update changes
// the classes and texts of the nodes named, never the layout.
import { formatDuration, statusWord } from '../../core/graph/format';
import { layoutGraph, type GraphLayout } from '../../core/graph/layout';
import { type GraphNode, NOT_STARTED, RUNNING_TASK_STATUSES, type WorkflowGraph } from '../../core/graph/model';
import { h, icon, statusClass, svg } from './dom';
import { STATUS_ICONS, TASK_TYPE_ICONS, UI_ICONS, UNKNOWN_TYPE_ICON } from './icons';

/** Groups with more tasks than this start collapsed. */
export const COLLAPSE_ABOVE = 12;
/** More running tasks drawn than this: their icons stop spinning. */
const BUSY_ABOVE = 24;

export interface GraphViewHost {
  select(id: string, how: 'click' | 'keyboard' | 'open'): void;
  /** The user opened or closed a group (for the state). */
  groupsChanged(groups: Record<string, boolean>): void;
  zoomChanged(zoom: { x: number; y: number; scale: number }): void;
  announce(text: string): void;
}

interface Zoom {
  x: number;
  y: number;
  scale: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 2.5;
const MARGIN = 24;

export function taskLabel(n: GraphNode): string {
  return n.name || n.externalId;
}

/** "3 s", "running 12 s", "" */
export function durationText(n: GraphNode, now: number): string {
  if (n.startTime === undefined) return '';
  if (n.endTime !== undefined) return formatDuration(n.endTime - n.startTime);
  if (n.status && RUNNING_TASK_STATUSES.has(n.status)) return formatDuration(Math.max(0, now - n.startTime));
  return '';
}

export function accessibleLabel(n: GraphNode, now: number, childCount: number): string {
  const parts = [taskLabel(n), `${n.type} task`];
  if (n.name && n.name !== n.externalId) parts.push(`id ${n.externalId}`);
  if (n.status) parts.push(statusWord(n.status));
  const took = durationText(n, now);
  if (took) parts.push(n.endTime !== undefined ? `took ${took}` : `running for ${took}`);
  if (n.retriesSeen) parts.push(`${n.retriesSeen} ${n.retriesSeen === 1 ? 'retry' : 'retries'} seen`);
  if (n.group && childCount) parts.push(`group of ${childCount} tasks`);
  const errors = n.diagnostics?.filter((d) => d.severity === 'error').length ?? 0;
  const warnings = n.diagnostics?.filter((d) => d.severity === 'warning').length ?? 0;
  if (errors) parts.push(`${errors} ${errors === 1 ? 'error' : 'errors'}`);
  if (warnings) parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
  if (n.reason) parts.push(n.reason);
  return parts.join(', ');
}

export class GraphView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly edgeLayer: SVGSVGElement;
  private readonly nodeLayer: HTMLElement;
  private graph: WorkflowGraph = { nodes: [], edges: [] };
  private byId = new Map<string, GraphNode>();
  private children = new Map<string, GraphNode[]>();
  private elements = new Map<string, HTMLElement>();
  private edgesFrom = new Map<string, SVGPathElement[]>();
  private layout: GraphLayout | undefined;
  private groups: Record<string, boolean> = {};
  private zoom: Zoom = { x: 0, y: 0, scale: 1 };
  private focused: string | undefined;
  private selected: string | undefined;
  private findText = '';
  private matches: string[] = [];
  private matchIndex = -1;
  private now = Date.now();
  /** The zoom is the fit one: it follows the pane's size until the user pans or zooms. */
  private fitted = false;
  /** The pane's size, kept by a ResizeObserver so zooming never forces a layout. */
  private view = { width: 0, height: 0 };

  constructor(private readonly host: GraphViewHost) {
    this.edgeLayer = svg('svg', { class: 'edges', 'aria-hidden': 'true' });
    this.nodeLayer = h('div', { class: 'nodes', role: 'group', 'aria-label': 'Tasks' });
    this.canvas = h('div', { class: 'canvas' });
    this.canvas.append(this.edgeLayer, this.nodeLayer);
    this.element = h('section', { class: 'graph-pane', 'aria-label': 'Workflow graph. Arrow keys move between tasks, Enter opens a task, Space opens or closes a group.' }, this.canvas);
    this.wirePointer();
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) this.view = { width: box.width, height: box.height };
      if (this.fitted) this.fit();
    }).observe(this.element);
  }

  get layoutSize(): { width: number; height: number } {
    return { width: this.layout?.width ?? 0, height: this.layout?.height ?? 0 };
  }

  /** Number of node elements drawn. */
  get drawn(): number {
    return this.elements.size;
  }

  setGroups(groups: Record<string, boolean>): void {
    this.groups = { ...groups };
  }

  setZoom(zoom: Zoom | undefined): void {
    if (zoom) this.zoom = { ...zoom };
  }

  isExpanded(id: string): boolean {
    const set = this.groups[id];
    if (set !== undefined) return set;
    return (this.children.get(id)?.length ?? 0) <= COLLAPSE_ABOVE;
  }

  /** Lays the graph out and draws it; `fit` when the zoom is not restored. Returns the layout time in ms. */
  render(graph: WorkflowGraph, now: number, options: { fit: boolean }): number {
    this.graph = graph;
    this.now = now;
    this.byId = new Map(graph.nodes.map((n) => [n.id, n]));
    this.children = new Map();
    for (const n of graph.nodes) {
      if (n.parent === undefined) continue;
      const list = this.children.get(n.parent) ?? [];
      list.push(n);
      this.children.set(n.parent, list);
    }
    const expanded = new Set(graph.nodes.filter((n) => n.group && this.isExpanded(n.id)).map((n) => n.id));
    // Measured before the nodes go in: afterwards it would force a layout of all of them.
    if (this.view.width === 0) this.measureView();
    const started = performance.now();
    this.layout = layoutGraph(graph, expanded);
    const layoutMs = performance.now() - started;
    this.draw(expanded);
    this.markBusy();
    if (options.fit) this.fit();
    else this.applyZoom();
    if (this.findText) this.find(this.findText, false);
    return layoutMs;
  }

  private draw(expanded: ReadonlySet<string>): void {
    const layout = this.layout!;
    this.elements = new Map();
    const fragment = document.createDocumentFragment();
    // Groups first, so their tasks sit above their box.
    const ordered = [...this.graph.nodes].sort((a, b) => Number(b.group && expanded.has(b.id)) - Number(a.group && expanded.has(a.id)));
    for (const n of ordered) {
      const box = layout.boxes.get(n.id);
      if (!box) continue;
      const el = this.nodeElement(n, expanded.has(n.id));
      el.style.left = `${box.x}px`;
      el.style.top = `${box.y}px`;
      el.style.width = `${box.width}px`;
      el.style.height = `${box.height}px`;
      this.elements.set(n.id, el);
      fragment.append(el);
    }
    this.nodeLayer.replaceChildren(fragment);
    this.drawEdges();
    this.canvas.style.width = `${layout.width}px`;
    this.canvas.style.height = `${layout.height}px`;
    const first = this.focused && this.elements.has(this.focused) ? this.focused : this.graph.nodes.find((n) => this.elements.has(n.id))?.id;
    this.setFocusable(first);
    if (this.selected) this.elements.get(this.selected)?.classList.add('selected');
  }

  private drawEdges(): void {
    const layout = this.layout!;
    this.edgeLayer.setAttribute('width', String(layout.width));
    this.edgeLayer.setAttribute('height', String(layout.height));
    this.edgeLayer.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    const defs = svg('defs');
    const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
    defs.append(marker);
    const paths: SVGElement[] = [defs];
    this.edgesFrom = new Map();
    for (const e of layout.edges) {
      if (e.points.length < 2) continue;
      const from = this.byId.get(e.from);
      const p = svg('path', { d: smoothPath(e.points), class: `edge ${statusClass(from?.status)}`, 'marker-end': 'url(#arrow)' });
      const list = this.edgesFrom.get(e.from) ?? [];
      list.push(p);
      this.edgesFrom.set(e.from, list);
      paths.push(p);
    }
    this.edgeLayer.replaceChildren(...paths);
  }

  private nodeElement(n: GraphNode, expanded: boolean): HTMLElement {
    const kids = this.children.get(n.id) ?? [];
    const isGroup = n.group && kids.length > 0;
    const el = h('div', { class: this.nodeClass(n, isGroup, expanded), role: 'button', tabindex: '-1' });
    el.dataset['id'] = n.id;
    const head = h(
      'div',
      { class: 'node-head' },
      icon(TASK_TYPE_ICONS[n.type] ?? UNKNOWN_TYPE_ICON, 'type-icon'),
      h('span', { class: 'node-label' }, taskLabel(n)),
      this.diagnosticBadge(n),
      n.status ? icon(STATUS_ICONS[n.status] ?? 'question', `status-icon${n.status && RUNNING_TASK_STATUSES.has(n.status) ? ' spin' : ''}`) : null,
    );
    el.append(head, h('div', { class: 'node-sub' }, h('span', { class: 'node-detail' }, n.detail ?? n.type), h('span', { class: 'node-meta' }, this.metaText(n))));
    if (isGroup) {
      const toggle = h('span', { class: 'group-toggle', title: expanded ? 'Collapse' : `Show its ${kids.length} tasks` }, icon(expanded ? UI_ICONS.collapse : UI_ICONS.expand));
      toggle.addEventListener('click', (e) => {
        e.stopPropagation();
        this.toggleGroup(n.id);
      });
      head.prepend(toggle);
      if (!expanded) el.append(this.countsBar(n.id));
    }
    el.setAttribute('aria-label', accessibleLabel(n, this.now, kids.length));
    if (n.reason || n.diagnostics?.length) el.title = [n.reason, ...(n.diagnostics ?? []).map((d) => `${d.severity}: ${d.message}`)].filter(Boolean).join('\n');
    el.addEventListener('click', (e) => {
      e.stopPropagation();
      this.setFocusable(n.id);
      this.host.select(n.id, 'click');
    });
    el.addEventListener('dblclick', (e) => {
      e.stopPropagation();
      this.host.select(n.id, 'open');
    });
    return el;
  }

  private nodeClass(n: GraphNode, isGroup: boolean, expanded: boolean): string {
    const classes = ['node', statusClass(n.status), `t-${n.type.replace(/[^a-z0-9-]/gi, '')}`];
    if (isGroup) classes.push('group', expanded ? 'expanded' : 'collapsed');
    if (n.parent !== undefined) classes.push('child');
    if (n.diagnostics?.some((d) => d.severity === 'error')) classes.push('has-error');
    else if (n.diagnostics?.some((d) => d.severity === 'warning')) classes.push('has-warning');
    if (n.id === this.selected) classes.push('selected');
    return classes.join(' ');
  }

  private diagnosticBadge(n: GraphNode): HTMLElement | null {
    const errors = n.diagnostics?.filter((d) => d.severity === 'error').length ?? 0;
    const warnings = n.diagnostics?.filter((d) => d.severity === 'warning').length ?? 0;
    if (!errors && !warnings) return null;
    return h('span', { class: `diag ${errors ? 'diag-error' : 'diag-warning'}` }, icon(errors ? UI_ICONS.errorMark : UI_ICONS.warningMark), String(errors || warnings));
  }

  private metaText(n: GraphNode): string {
    const parts: string[] = [];
    const took = durationText(n, this.now);
    if (took) parts.push(took);
    if (n.retriesSeen) parts.push(`↻ ${n.retriesSeen}${n.retries !== undefined ? `/${n.retries}` : ''}`);
    else if (n.status === undefined && n.retries !== undefined) parts.push(`↻ ${n.retries}`);
    if (n.status === NOT_STARTED) parts.push('not started');
    return parts.join(' · ');
  }

  private countsBar(groupId: string): HTMLElement {
    const counts = new Map<string, number>();
    const kids = this.children.get(groupId) ?? [];
    for (const k of kids) counts.set(k.status ?? 'NONE', (counts.get(k.status ?? 'NONE') ?? 0) + 1);
    const bar = h('div', { class: 'counts-bar', 'aria-hidden': 'true' });
    const order = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'IN_PROGRESS', 'SCHEDULED', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'CANCELED', 'SKIPPED', NOT_STARTED, 'NONE'];
    const summary: string[] = [];
    for (const s of [...order, ...[...counts.keys()].filter((k) => !order.includes(k))]) {
      const c = counts.get(s);
      if (!c) continue;
      const seg = h('span', { class: `seg ${statusClass(s === 'NONE' ? undefined : s)}` });
      seg.style.flexGrow = String(c);
      bar.append(seg);
      if (s !== 'NONE') summary.push(`${c} ${statusWord(s).toLowerCase()}`);
    }
    return h('div', { class: 'counts' }, bar, h('span', { class: 'counts-text' }, `${kids.length} tasks${summary.length ? `: ${summary.join(', ')}` : ''}`));
  }

  /** New states of some nodes: their look changes in place (and their collapsed group's counts). */
  patch(nodes: readonly GraphNode[], now: number): void {
    this.now = now;
    const groupsToRecount = new Set<string>();
    for (const n of nodes) {
      const old = this.byId.get(n.id);
      if (!old) continue;
      this.byId.set(n.id, n);
      if (n.parent !== undefined) groupsToRecount.add(n.parent);
      const el = this.elements.get(n.id);
      if (!el) continue;
      const kids = this.children.get(n.id) ?? [];
      const isGroup = el.classList.contains('group');
      el.className = this.nodeClass(n, isGroup, el.classList.contains('expanded'));
      if (n.id === this.focused) el.classList.add('focused');
      const statusIcon = el.querySelector<HTMLElement>('.status-icon');
      if (statusIcon && n.status) statusIcon.className = `codicon codicon-${STATUS_ICONS[n.status] ?? 'question'} status-icon${RUNNING_TASK_STATUSES.has(n.status) ? ' spin' : ''}`;
      const meta = el.querySelector<HTMLElement>('.node-meta');
      if (meta) meta.textContent = this.metaText(n);
      el.setAttribute('aria-label', accessibleLabel(n, now, kids.length));
      if (n.reason) el.title = n.reason;
      for (const edge of this.edgesFrom.get(n.id) ?? []) edge.setAttribute('class', `edge ${statusClass(n.status)}`);
    }
    // Keep the node list in step for the next full render and for the panel.
    this.graph = { nodes: this.graph.nodes.map((n) => this.byId.get(n.id) ?? n), edges: this.graph.edges };
    for (const [parent, kids] of this.children) this.children.set(parent, kids.map((k) => this.byId.get(k.id) ?? k));
    this.markBusy();
    for (const g of groupsToRecount) {
      const el = this.elements.get(g);
      const old = el?.querySelector('.counts');
      if (el && old) old.replaceWith(this.countsBar(g));
    }
  }

  private markBusy(): void {
    let running = 0;
    for (const n of this.byId.values()) if (n.status && RUNNING_TASK_STATUSES.has(n.status) && this.elements.has(n.id)) running++;
    this.element.classList.toggle('busy', running > BUSY_ABOVE);
  }

  /** Running durations move on (once a second while something runs). */
  tick(now: number): void {
    this.now = now;
    for (const n of this.byId.values()) {
      if (n.endTime !== undefined || n.startTime === undefined || !n.status || !RUNNING_TASK_STATUSES.has(n.status)) continue;
      const meta = this.elements.get(n.id)?.querySelector<HTMLElement>('.node-meta');
      if (meta) meta.textContent = this.metaText(n);
    }
  }

  node(id: string): GraphNode | undefined {
    return this.byId.get(id);
  }

  childrenOf(id: string): readonly GraphNode[] {
    return this.children.get(id) ?? [];
  }

  get nodes(): readonly GraphNode[] {
    return this.graph.nodes;
  }

  setSelected(id: string | undefined): void {
    if (this.selected) this.elements.get(this.selected)?.classList.remove('selected');
    this.selected = id;
    if (id) {
      this.reveal(id);
      this.elements.get(id)?.classList.add('selected');
    }
  }

  /** Makes a node visible: opens its group if closed, and scrolls it into view. */
  reveal(id: string): void {
    const n = this.byId.get(id);
    if (n?.parent !== undefined && !this.elements.has(id)) {
      this.groups[n.parent] = true;
      this.host.groupsChanged(this.groups);
      this.render(this.graph, this.now, { fit: false });
    }
    const box = this.layout?.boxes.get(id);
    if (!box) return;
    const view = this.view;
    const left = box.x * this.zoom.scale + this.zoom.x;
    const top = box.y * this.zoom.scale + this.zoom.y;
    const right = left + box.width * this.zoom.scale;
    const bottom = top + box.height * this.zoom.scale;
    if (left < 0 || top < 0 || right > view.width || bottom > view.height) {
      this.fitted = false;
      this.zoom.x = view.width / 2 - (box.x + box.width / 2) * this.zoom.scale;
      this.zoom.y = view.height / 2 - (box.y + box.height / 2) * this.zoom.scale;
      this.applyZoom();
    }
  }

  focusNode(id: string): void {
    this.reveal(id);
    this.setFocusable(id);
    this.elements.get(id)?.focus({ preventScroll: true });
  }

  toggleGroup(id: string): void {
    const started = performance.now();
    this.groups[id] = !this.isExpanded(id);
    this.host.groupsChanged(this.groups);
    this.render(this.graph, this.now, { fit: false });
    this.focusNode(id);
    this.host.announce(`${taskLabel(this.byId.get(id)!)} ${this.groups[id] ? 'expanded' : 'collapsed'}`);
    // Layout and paint of the group opened or closed, for the benchmark (read by the e2e harness).
    requestAnimationFrame(() => setTimeout(() => performance.measure('cdf-toggle-paint', { start: started, duration: performance.now() - started }), 0));
  }

  setAllGroups(expanded: boolean): void {
    const started = performance.now();
    for (const n of this.graph.nodes) if (n.group && (this.children.get(n.id)?.length ?? 0) > 0) this.groups[n.id] = expanded;
    this.host.groupsChanged(this.groups);
    this.render(this.graph, this.now, { fit: true });
    requestAnimationFrame(() => setTimeout(() => performance.measure('cdf-toggle-paint', { start: started, duration: performance.now() - started }), 0));
  }

  private setFocusable(id: string | undefined): void {
    if (this.focused) {
      const old = this.elements.get(this.focused);
      old?.setAttribute('tabindex', '-1');
      old?.classList.remove('focused');
    }
    this.focused = id;
    const el = id ? this.elements.get(id) : undefined;
    el?.setAttribute('tabindex', '0');
  }

  // ---- zoom and pan -------------------------------------------------------------------------------

  private measureView(): void {
    const rect = this.element.getBoundingClientRect();
    this.view = { width: rect.width, height: rect.height };
  }

  fit(): void {
    const layout = this.layout;
    const view = this.view;
    if (!layout || view.width === 0 || view.height === 0) return;
    const scale = Math.min(1, (view.width - 2 * MARGIN) / Math.max(1, layout.width), (view.height - 2 * MARGIN) / Math.max(1, layout.height));
    this.zoom.scale = Math.max(MIN_SCALE, scale);
    this.zoom.x = (view.width - layout.width * this.zoom.scale) / 2;
    this.zoom.y = Math.max(MARGIN, (view.height - layout.height * this.zoom.scale) / 2);
    this.applyZoom();
    this.fitted = true;
  }

  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const view = this.view;
    const px = at?.x ?? view.width / 2;
    const py = at?.y ?? view.height / 2;
    this.fitted = false;
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.zoom.scale * factor));
    this.zoom.x = px - ((px - this.zoom.x) * scale) / this.zoom.scale;
    this.zoom.y = py - ((py - this.zoom.y) * scale) / this.zoom.scale;
    this.zoom.scale = scale;
    this.applyZoom();
  }

  private applyZoom(): void {
    this.canvas.style.transform = `translate(${this.zoom.x}px, ${this.zoom.y}px) scale(${this.zoom.scale})`;
    // Text a few pixels high cannot be read: far out, nodes drop their second line, then all their text
    // (which also spares laying it out and painting it for hundreds of nodes).
    this.element.classList.toggle('far', this.zoom.scale < 0.45);
    this.element.classList.toggle('tiny', this.zoom.scale < 0.3);
    this.host.zoomChanged({ ...this.zoom });
  }

  private wirePointer(): void {
    let drag: { x: number; y: number; zx: number; zy: number; id: number } | undefined;
    this.element.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as HTMLElement).closest('.node')) return;
      drag = { x: e.clientX, y: e.clientY, zx: this.zoom.x, zy: this.zoom.y, id: e.pointerId };
      this.element.setPointerCapture(e.pointerId);
      this.element.classList.add('panning');
    });
    this.element.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      this.fitted = false;
      this.zoom.x = drag.zx + e.clientX - drag.x;
      this.zoom.y = drag.zy + e.clientY - drag.y;
      this.applyZoom();
    });
    const end = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      drag = undefined;
      this.element.classList.remove('panning');
    };
    this.element.addEventListener('pointerup', end);
    this.element.addEventListener('pointercancel', end);
    this.element.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const rect = this.element.getBoundingClientRect();
        if (e.ctrlKey || e.metaKey) {
          this.zoomBy(Math.exp(-e.deltaY / 300), { x: e.clientX - rect.left, y: e.clientY - rect.top });
        } else {
          this.fitted = false;
          this.zoom.x -= e.shiftKey ? e.deltaY : e.deltaX;
          this.zoom.y -= e.shiftKey ? 0 : e.deltaY;
          this.applyZoom();
        }
      },
      { passive: false },
    );
  }

  // ---- keyboard -----------------------------------------------------------------------------------

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    const id = target.closest<HTMLElement>('.node')?.dataset['id'] ?? this.focused;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowLeft':
      case 'ArrowUp':
      case 'ArrowDown': {
        e.preventDefault();
        const next = id ? this.neighbour(id, e.key) : this.graph.nodes.find((n) => this.elements.has(n.id))?.id;
        if (next) this.focusNode(next);
        return;
      }
      case 'Home': {
        e.preventDefault();
        const first = this.graph.nodes.find((n) => this.elements.has(n.id));
        if (first) this.focusNode(first.id);
        return;
      }
      case 'Enter':
        if (id) {
          e.preventDefault();
          this.host.select(id, 'open');
        }
        return;
      case ' ':
        if (!id) return;
        e.preventDefault();
        if (this.byId.get(id)?.group && (this.children.get(id)?.length ?? 0) > 0) this.toggleGroup(id);
        else this.host.select(id, 'keyboard');
        return;
      case '+':
      case '=':
        e.preventDefault();
        this.zoomBy(1.25);
        return;
      case '-':
        e.preventDefault();
        this.zoomBy(0.8);
        return;
      case '0':
        e.preventDefault();
        this.fit();
        return;
    }
  }

  /** The nearest drawn node in a direction, by box centres (directions weigh the cross axis double). */
  private neighbour(id: string, key: string): string | undefined {
    const from = this.layout?.boxes.get(id);
    if (!from) return undefined;
    const cx = from.x + from.width / 2;
    const cy = from.y + from.height / 2;
    let best: { id: string; score: number } | undefined;
    for (const [other, b] of this.layout!.boxes) {
      if (other === id) continue;
      const dx = b.x + b.width / 2 - cx;
      const dy = b.y + b.height / 2 - cy;
      let along: number;
      let across: number;
      if (key === 'ArrowRight') [along, across] = [dx, dy];
      else if (key === 'ArrowLeft') [along, across] = [-dx, dy];
      else if (key === 'ArrowDown') [along, across] = [dy, dx];
      else [along, across] = [-dy, dx];
      if (along <= 1) continue;
      const score = along + 2 * Math.abs(across);
      if (!best || score < best.score) best = { id: other, score };
    }
    return best?.id;
  }

  // ---- find -----------------------------------------------------------------------------------------

  /** Marks the tasks whose name or id contains `text`; `jump` moves to the next match. Returns the count. */
  find(text: string, jump: boolean): number {
    this.findText = text.trim().toLowerCase();
    for (const el of this.elements.values()) el.classList.remove('match', 'current-match');
    this.element.classList.toggle('finding', this.findText !== '');
    if (!this.findText) {
      this.matches = [];
      return 0;
    }
    this.matches = this.graph.nodes.filter((n) => taskLabel(n).toLowerCase().includes(this.findText) || n.externalId.toLowerCase().includes(this.findText)).map((n) => n.id);
    for (const m of this.matches) this.elements.get(m)?.classList.add('match');
    // A collapsed group holding a match is marked too.
    for (const m of this.matches) {
      const parent = this.byId.get(m)?.parent;
      if (parent !== undefined && !this.elements.has(m)) this.elements.get(parent)?.classList.add('match');
    }
    if (jump && this.matches.length > 0) {
      this.matchIndex = (this.matchIndex + 1) % this.matches.length;
      const id = this.matches[this.matchIndex];
      this.focusNode(id);
      this.elements.get(id)?.classList.add('current-match');
    }
    return this.matches.length;
  }
}

/** A smooth curve through the layout's points (quadratic segments through the midpoints). */
function smoothPath(points: readonly { x: number; y: number }[]): string {
  const p = points;
  if (p.length === 2) return `M${p[0].x},${p[0].y}L${p[1].x},${p[1].y}`;
  let d = `M${p[0].x},${p[0].y}`;
  for (let i = 1; i < p.length - 1; i++) {
    const mx = (p[i].x + p[i + 1].x) / 2;
    const my = (p[i].y + p[i + 1].y) / 2;
    d += `Q${p[i].x},${p[i].y} ${i === p.length - 2 ? `${p[i + 1].x},${p[i + 1].y}` : `${mx},${my}`}`;
  }
  return d;
}
