/**
 * Opening ctsim's HTML pages in a real browser: Debian's chromium, headless, driven by
 * playwright-core. A missing chromium fails the test with how to install it (.ci/run
 * installs it), rather than skipping.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The page's DOM, as far as the functions run in the browser use it (tsconfig has no DOM lib). */
interface DomBox {
  width: number;
  height: number;
}
export interface DomElement {
  id: string;
  textContent: string | null;
  previousElementSibling: DomElement | null;
  getBoundingClientRect(): DomBox;
  getBBox(): DomBox;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & { length: number };
}
declare const document: DomElement & { documentElement: { scrollWidth: number } };

export interface ChartShape {
  id: string;
  width: number;
  height: number;
  title: string;
  drawnRects: number;
  legendItems: number;
  overflowingLabels: string[];
}

/** Each chart of the page as drawn: its size, segments with a non-zero box, and labels wider than their segment. */
export function measureCharts(page: Page): Promise<ChartShape[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('svg.chart')]
      .filter((svg) => svg.getBoundingClientRect().width > 0)
      .map((svg) => {
        const box = svg.getBoundingClientRect();
        const rects = [...svg.querySelectorAll('rect.seg')];
        const overflowing = [...svg.querySelectorAll('text.seg-label')]
          .filter((t) => {
            const rect = t.previousElementSibling;
            return rect === null || t.getBBox().width > rect.getBBox().width;
          })
          .map((t) => t.textContent ?? '');
        return {
          id: svg.id,
          width: box.width,
          height: box.height,
          title: svg.querySelector('title')?.textContent ?? '',
          drawnRects: rects.filter((r) => r.getBoundingClientRect().width > 0 && r.getBoundingClientRect().height > 0).length,
          legendItems: svg.querySelectorAll('.legend-item').length,
          overflowingLabels: overflowing,
        };
      }),
  );
}

/** Starts headless chromium, or fails saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: this test needs Debian's chromium; install it with "apt-get install -y --no-install-recommends chromium" (.ci/run does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Opens `file` at 1280 px wide; collects console errors and warnings, page errors and any request that is not the file. */
export async function openPage(browser: Browser, file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}
