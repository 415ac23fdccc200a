/**
 * The compare page's stylesheet: a light theme in the system's own sans-serif font (no
 * web fonts, nothing fetched), laid out for a 1280 px window and scaling down below it.
 * The variant tabs are radio buttons, so switching needs no script: a checked radio
 * shows its section through the sibling selector that `variantTabRules` writes.
 */

export const COMPARE_PAGE_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f4; color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
.page { max-width: 1180px; margin: 0 auto; padding: 24px 24px 40px; }
header.page-header { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px; margin-bottom: 18px; }
h1 { font-size: 22px; margin: 0 0 10px; }
h1 .tool { color: var(--muted); font-weight: 400; }
h2 { font-size: 19px; margin: 0; }
h3 { font-size: 16px; margin: 0 0 8px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 0 0 18px; }
.card > p.hint { color: var(--muted); margin: 0 0 10px; }
.variant-head { display: flex; align-items: baseline; gap: 14px; margin: 6px 0 14px; }
.variant-head .seed { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; font-size: 13px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.why { color: var(--muted); }
td.holds { color: #1a7f37; white-space: nowrap; font-weight: 600; }
td.fails { color: #c62828; white-space: nowrap; font-weight: 600; }
tr.group-start td { border-top: 2px solid var(--line); }
td.metric-title { font-weight: 600; }
.kind { display: inline-block; font-size: 11.5px; padding: 0 7px; border-radius: 10px; background: var(--soft); border: 1px solid var(--line); color: var(--muted); }
.kind-vm { background: #f3e8f7; border-color: #d8bfe3; color: #6e3f84; }
.kind-container { background: #e6f0fb; border-color: #b6d0ee; color: #2b5b8e; }
.kind-native { background: #eaf5e8; border-color: #bfdcb9; color: #3d6b35; }
figure.chart-card { margin: 0 0 18px; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg.chart .legend-label { font-size: 12px; fill: var(--fg); }
svg.chart .row-label { font-size: 13px; font-weight: 600; fill: var(--fg); }
svg.chart .row-note { font-size: 12px; font-weight: 400; fill: var(--muted); }
svg.chart .seg { stroke: #fff; stroke-width: 1; }
svg.chart .seg-label { font-size: 11px; text-anchor: middle; pointer-events: none; }
svg.chart .end-label { font-size: 12px; fill: var(--fg); font-variant-numeric: tabular-nums; }
svg.chart .block-heading { font-size: 13.5px; font-weight: 600; fill: var(--fg); }
svg.chart .grid { stroke: #e6eaef; stroke-width: 1; }
svg.chart .axis-line, svg.chart .tick-mark { stroke: #8c959f; stroke-width: 1; }
svg.chart .tick { font-size: 11px; fill: var(--muted); text-anchor: middle; font-variant-numeric: tabular-nums; }
svg.chart .axis-caption { font-size: 11.5px; fill: var(--muted); text-anchor: middle; }
.trees { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 18px; }
ul.tree { padding-left: 0; }
ul.tree ul { border-left: 1px solid var(--line); margin-left: 6px; }
ul.tree li { position: relative; padding: 1px 0 1px 4px; }
ul.tree ul > li::before { content: ""; position: absolute; left: -18px; top: 12px; width: 14px; border-top: 1px solid var(--line); }
.variant-radio { position: absolute; opacity: 0; width: 1px; height: 1px; }
.variant-tabs { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 0 0 14px; }
.variant-tabs .tabs-title { color: var(--muted); margin-right: 6px; }
.variant-tabs label { cursor: pointer; padding: 5px 12px; border: 1px solid var(--line); border-radius: 16px; background: #fff; }
.variant-tabs label:hover { border-color: var(--accent); }
.variant { display: none; }
.variant.only { display: block; }
footer { color: var(--muted); font-size: 12.5px; text-align: center; margin-top: 10px; }
@media (max-width: 900px) { .trees { grid-template-columns: 1fr; } }
@media print { .variant { display: block; } .variant-tabs { display: none; } }
`;

/** The rules that show variant `i` and highlight its tab when its radio button is checked. */
export function variantTabRules(count: number): string {
  const rules: string[] = [];
  for (let i = 0; i < count; i++) {
    rules.push(
      `#variant-radio-${i}:checked ~ #variant-${i} { display: block; }`,
      `#variant-radio-${i}:checked ~ .variant-tabs label[for="variant-radio-${i}"] { background: var(--accent); border-color: var(--accent); color: #fff; }`,
      `#variant-radio-${i}:focus-visible ~ .variant-tabs label[for="variant-radio-${i}"] { outline: 2px solid var(--accent); outline-offset: 2px; }`,
    );
  }
  return rules.join('\n');
}
