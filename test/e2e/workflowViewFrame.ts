// e2e access to the workflow view's app: VS Code puts a webview's page two iframes deep; this finds the
// frame that holds the app (by its root element, so other webviews such as a Markdown preview are skipped).
import type { Frame, Page } from 'playwright-core';

export async function workflowViewFrame(page: Page, options: { title?: RegExp; timeout?: number } = {}): Promise<Frame> {
  const deadline = Date.now() + (options.timeout ?? 30_000);
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator('#app.workflow-view .header h1').count()) === 0) continue;
        if (options.title && !options.title.test(await frame.locator('.header h1').innerText())) continue;
        if (!(await frame.locator('.graph-pane, .timeline-pane').first().isVisible())) continue;
        return frame;
      } catch {
        // A frame that went away while we looked.
      }
    }
    if (Date.now() > deadline) throw new Error(`No workflow view${options.title ? ` titled ${String(options.title)}` : ''} appeared within ${options.timeout ?? 30_000} ms.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Status classes of the drawn nodes, by node id. */
export async function nodeStatuses(frame: Frame): Promise<Record<string, string>> {
  return frame.evaluate(() => {
    const out: Record<string, string> = {};
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.node'))) {
      const s = Array.from(el.classList).find((c) => c.startsWith('s-'));
      if (el.dataset['id'] && s) out[el.dataset['id']] = s.slice(2);
    }
    return out;
  });
}

/** The workflow view's performance measures (name -> durations in ms), as the app recorded them. */
export async function viewMeasures(frame: Frame): Promise<Record<string, number[]>> {
  return frame.evaluate(() => {
    const out: Record<string, number[]> = {};
    for (const m of performance.getEntriesByType('measure')) {
      if (!m.name.startsWith('cdf-')) continue;
      (out[m.name] ??= []).push(m.duration);
    }
    return out;
  });
}
