// Small hand-made SVG bar charts (no library, no network): groups of bars with a legend.
import { esc } from "./api.js";

const COLOURS = ["#1565c0", "#43a047", "#fb8c00", "#8e24aa"];

/**
 * @param {string[]} labels  one per group
 * @param {{name: string, values: (number|null)[]}[]} series
 * @param {{title: string, unit?: string, max?: number, width?: number}} o
 */
export function barChart(labels, series, { title, unit = "", max, width = 640 } = {}) {
  const rowH = 14 * series.length + 8;
  const left = 170;
  const height = 40 + labels.length * rowH;
  const top = Math.max(max ?? 0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)), 1);
  const scale = (width - left - 60) / top;
  let y = 30;
  const bars = labels
    .map((label, i) => {
      const group = series
        .map((s, k) => {
          const v = s.values[i];
          const w = v === null || v === undefined ? 0 : Math.max(1, v * scale);
          const by = y + k * 14;
          return `<rect x="${left}" y="${by}" width="${w.toFixed(1)}" height="12" fill="${COLOURS[k % COLOURS.length]}"><title>${esc(s.name)}: ${v ?? "—"}${unit}</title></rect>
            <text x="${left + w + 4}" y="${by + 10}" font-size="10">${v ?? "—"}${esc(unit)}</text>`;
        })
        .join("");
      const text = `<text x="${left - 6}" y="${y + 11}" font-size="11" text-anchor="end">${esc(label.length > 14 ? label.slice(0, 13) + "…" : label)}</text>`;
      y += rowH;
      return text + group;
    })
    .join("");
  const legend = series
    .map((s, k) => `<rect x="${left + k * 110}" y="8" width="10" height="10" fill="${COLOURS[k % COLOURS.length]}"/><text x="${left + 14 + k * 110}" y="17" font-size="11">${esc(s.name)}</text>`)
    .join("");
  return `<figure class="chart" data-testid="chart"><figcaption>${esc(title)}</figcaption>
    <svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${legend}${bars}</svg></figure>`;
}
