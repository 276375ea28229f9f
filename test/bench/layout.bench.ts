// Layout benchmark (npm run bench:layout; part of npm run bench): why the workflow view lays out with
// @dagrejs/dagre and not elkjs. Both lay out the same graphs in Node (the webview runs the same engine):
// a 500-task dynamic fan-out as one flat layered graph, and a 40-task definition; plus the view's own
// layout of the fan-out (dagre per group, independent tasks packed as a grid). Also the bundle sizes, since
// the webview bundle ships in the .vsix (500 KB budget for everything).
import { gzipSync } from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { graphOfExecution } from '../../src/core/graph';
import { layoutGraph } from '../../src/core/graph/layout';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dagre = require('@dagrejs/dagre') as {
  graphlib: { Graph: new () => { setGraph(l: object): void; setDefaultEdgeLabel(f: () => object): void; setNode(id: string, l: object): void; setEdge(a: string, b: string): void } };
  layout(g: unknown): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ELK = require('elkjs/lib/elk.bundled.js') as new () => { layout(graph: object): Promise<unknown> };

const RUNS = 7;
const W = 208;
const H = 52;

interface Flat {
  nodes: string[];
  edges: [string, string][];
}

function fanOut(n: number): Flat {
  const nodes = ['plan', 'fan', 'report', ...Array.from({ length: n }, (_, i) => `item-${i}`)];
  const edges: [string, string][] = [['plan', 'fan'], ['fan', 'report'], ...Array.from({ length: n }, (_, i): [string, string] => ['fan', `item-${i}`])];
  return { nodes, edges };
}

function chainOfLayers(n: number): Flat {
  const nodes = Array.from({ length: n }, (_, i) => `t${i}`);
  const edges: [string, string][] = [];
  for (let i = 4; i < n; i++) edges.push([`t${i - 4}`, `t${i}`], [`t${i - 3}`, `t${i}`]);
  return { nodes, edges };
}

function dagreMs(g: Flat): number {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 48 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of g.nodes) graph.setNode(id, { width: W, height: H });
  for (const [a, b] of g.edges) graph.setEdge(a, b);
  const t = performance.now();
  dagre.layout(graph);
  return performance.now() - t;
}

async function elkMs(g: Flat): Promise<number> {
  const elk = new ELK();
  const t = performance.now();
  await elk.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' },
    children: g.nodes.map((id) => ({ id, width: W, height: H })),
    edges: g.edges.map(([a, b], i) => ({ id: `e${i}`, sources: [a], targets: [b] })),
  });
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const cases: [string, Flat][] = [
    ['500-task fan-out, one flat layered graph', fanOut(500)],
    ['40-task definition, 2 dependencies each', chainOfLayers(40)],
  ];
  console.log(`layout (median of ${RUNS} runs after one warm-up, Node ${process.version}):`);
  for (const [label, g] of cases) {
    dagreMs(g);
    await elkMs(g);
    const d: number[] = [];
    const e: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      d.push(dagreMs(g));
      e.push(await elkMs(g));
    }
    console.log(`  ${label}: dagre ${median(d).toFixed(1)} ms, elkjs ${median(e).toFixed(1)} ms`);
  }
  // The view's own layout: the fan-out in a group, its 500 independent tasks packed as a grid.
  const T0 = Date.now();
  const generated = Array.from({ length: 500 }, (_, i) => ({ externalId: `item-${i}`, type: 'transformation', parameters: { transformation: { externalId: `tr-${i}` } } }));
  const graph = graphOfExecution({
    status: 'RUNNING',
    workflowDefinition: {
      tasks: [
        { externalId: 'plan', type: 'function' },
        { externalId: 'fan', type: 'dynamic', dependsOn: [{ externalId: 'plan' }] },
        { externalId: 'report', type: 'function', dependsOn: [{ externalId: 'fan' }] },
      ],
    },
    executedTasks: [{ id: 'f', externalId: 'fan', status: 'IN_PROGRESS', taskType: 'dynamic', startTime: T0, input: { dynamic: { tasks: generated } }, output: {} }],
  });
  layoutGraph(graph, new Set(['fan']));
  const v: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    layoutGraph(graph, new Set(['fan']));
    v.push(performance.now() - t);
  }
  console.log(`  the workflow view's layout of the 500-task fan-out (group open, tasks as a grid): ${median(v).toFixed(1)} ms`);

  const root = path.resolve(__dirname, '..', '..', '..');
  const size = (file: string) => {
    const bytes = fs.readFileSync(path.join(root, file));
    return `${(bytes.length / 1024).toFixed(0)} KB (${(gzipSync(bytes).length / 1024).toFixed(0)} KB compressed)`;
  };
  console.log('bundle size (minified):');
  console.log(`  @dagrejs/dagre: ${size('node_modules/@dagrejs/dagre/dist/dagre.min.js')}`);
  console.log(`  elkjs: ${size('node_modules/elkjs/lib/elk.bundled.js')}`);
  if (fs.existsSync(path.join(root, 'dist/webview/workflowView.js'))) console.log(`  the workflow view's whole bundle: ${size('dist/webview/workflowView.js')}`);
}

main().catch((e: unknown) => {
  console.error(`layout benchmark: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
