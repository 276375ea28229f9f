// The timeline tab: a Gantt chart of task start and end, in start order, with the slowest task and the
// critical path marked. Rows are buttons: click or Enter selects the task.
import { formatDuration, statusWord } from '../../core/graph/format';
import { type GraphNode, type WorkflowGraph } from '../../core/graph/model';
import { timelineOf } from '../../core/graph/timeline';
import { h, icon, statusClass } from './dom';
import { UI_ICONS } from './icons';
import { taskLabel } from './graphView';

const TICKS = 6;

function niceStep(span: number): number {
  const raw = span / TICKS;
  const steps = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];
  return steps.find((s) => s >= raw) ?? steps[steps.length - 1];
}

export class TimelineView {
  readonly element: HTMLElement;

  constructor(private readonly onSelect: (id: string) => void) {
    this.element = h('section', { class: 'timeline-pane', 'aria-label': 'Timeline of the tasks' });
  }

  render(graph: WorkflowGraph, now: number, selected: string | undefined): void {
    const t = timelineOf(graph, now);
    const byId = new Map<string, GraphNode>(graph.nodes.map((n) => [n.id, n]));
    if (t.start === undefined || t.end === undefined) {
      this.element.replaceChildren(h('p', { class: 'empty' }, graph.nodes.length === 0 ? 'No tasks.' : 'No task has started yet: the timeline fills in as tasks run.'));
      return;
    }
    const start = t.start;
    const span = Math.max(1000, t.end - start);
    const pct = (ms: number) => `${((ms - start) / span) * 100}%`;
    const critical = new Set(t.criticalPath);

    const axis = h('div', { class: 'tl-axis', 'aria-hidden': 'true' });
    const step = niceStep(span);
    for (let at = 0; at <= span; at += step) {
      const tick = h('span', { class: 'tl-tick' }, at === 0 ? '0' : formatDuration(at));
      tick.style.left = `${(at / span) * 100}%`;
      axis.append(tick);
    }
    const legend = h(
      'div',
      { class: 'tl-legend' },
      h('span', {}, `${formatDuration(span)} from the first start to ${t.end >= now - 500 && t.rows.some((r) => r.running) ? 'now' : 'the last end'}`),
      t.criticalPath.length ? h('span', { class: 'tl-legend-critical' }, icon(UI_ICONS.critical), 'critical path') : null,
      t.slowest ? h('span', {}, 'slowest: ', h('strong', {}, taskLabel(byId.get(t.slowest)!))) : null,
    );

    const rows = h('div', { class: 'tl-rows', role: 'list' });
    for (const r of t.rows) {
      const n = byId.get(r.id)!;
      const duration = r.start !== undefined && r.end !== undefined ? formatDuration(r.end - r.start) : '';
      const flags = [critical.has(r.id) ? 'on the critical path' : '', t.slowest === r.id ? 'slowest task' : ''].filter(Boolean);
      const label = `${taskLabel(n)}, ${statusWord(n.status ?? 'NOT_STARTED')}${duration ? `, ${r.running ? 'running for' : 'took'} ${duration}` : ''}${flags.length ? `, ${flags.join(', ')}` : ''}`;
      const row = h('div', {
        class: `tl-row ${statusClass(n.status)}${critical.has(r.id) ? ' critical' : ''}${t.slowest === r.id ? ' slowest' : ''}${selected === r.id ? ' selected' : ''}${r.depth ? ' child' : ''}`,
        role: 'listitem',
        tabindex: '0',
        'aria-label': label,
      });
      row.dataset['id'] = r.id;
      const track = h('div', { class: 'tl-track' });
      if (r.start !== undefined && r.end !== undefined) {
        const bar = h('div', { class: `tl-bar ${statusClass(n.status)}${r.running ? ' running' : ''}` });
        bar.style.left = pct(r.start);
        bar.style.width = `max(2px, ${((r.end - r.start) / span) * 100}%)`;
        bar.title = label;
        track.append(bar);
      }
      row.append(
        h('div', { class: 'tl-name' }, critical.has(r.id) ? icon(UI_ICONS.critical, 'tl-flame') : null, h('span', {}, taskLabel(n))),
        track,
        h('div', { class: 'tl-duration' }, duration || statusWord(n.status ?? 'NOT_STARTED').toLowerCase()),
      );
      row.addEventListener('click', () => this.onSelect(r.id));
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.onSelect(r.id);
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const next = (e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling) as HTMLElement | null;
          next?.focus();
        }
      });
      rows.append(row);
    }
    this.element.replaceChildren(legend, h('div', { class: 'tl-grid' }, h('div', { class: 'tl-head' }, h('div', { class: 'tl-name' }, 'Task'), axis, h('div', { class: 'tl-duration' }, 'Duration')), rows));
  }
}
