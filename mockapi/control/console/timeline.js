// The timeline picture: one lane per schedule, one for manual backups and one for expiries,
// the planned runs ahead and a line at now. Plain SVG, drawn again when data or size change.

import { DAY, HOUR, formatClock, formatTime, svg } from "./dom.js";

export const SPANS = {
  day: { past: 20 * HOUR, future: 4 * HOUR },
  week: { past: 6 * DAY, future: DAY },
  month: { past: 28 * DAY, future: 7 * DAY },
  quarter: { past: 77 * DAY, future: 14 * DAY },
};

const LANE = 30;
const AXIS = 24;
const SIDE = 10;
const TICK_STEPS = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];
const dayLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const hourLabel = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const STATUS_CLASS = { Completed: "ok", InProgress: "running", Failed: "failed" };

/** Tick times in the browser's zone: whole hours, local midnights or Mondays, `step` apart. */
function ticks(from, until, step) {
  const cursor = new Date(from);
  if (step >= DAY) cursor.setHours(0, 0, 0, 0);
  else cursor.setMinutes(0, 0, 0);
  const found = [];
  let days = 0;
  let weeks = 0;
  while (cursor.getTime() <= until) {
    const at = cursor.getTime();
    let wanted;
    if (step >= 7 * DAY) {
      wanted = cursor.getDay() === 1 && weeks++ % (step / (7 * DAY)) === 0;
    } else if (step >= DAY) {
      wanted = days % (step / DAY) === 0;
    } else {
      wanted = cursor.getHours() % (step / HOUR) === 0;
    }
    if (wanted && at >= from) found.push(at);
    if (step >= DAY) {
      cursor.setDate(cursor.getDate() + 1);
      days += 1;
    } else {
      cursor.setHours(cursor.getHours() + 1);
    }
  }
  return found;
}

function describe(backup) {
  const parts = [`${backup.status} backup`, `requested ${formatTime(Date.parse(backup.requestedAt))}`];
  if (backup.expiresAt) parts.push(`expires ${formatTime(Date.parse(backup.expiresAt))}`);
  if (backup.description) parts.push(backup.description);
  parts.push(`(${backup.requestedAt} UTC)`);
  return parts.join(" \u00b7 ");
}

/**
 * Draw into `container`: {now, span, lanes: [{key, label, runs: [iso]}], backups, laneOf}.
 * `laneOf(backup)` names the lane key of a backup.
 */
export function drawTimeline(container, { now, span, lanes, backups, laneOf, note }) {
  const width = Math.max(container.clientWidth, 280);
  const from = now - span.past;
  const until = now + span.future;
  const all = [...lanes, { key: "expiries", label: "Expiries", runs: [] }];
  const height = all.length * LANE + AXIS + 6;
  const x = (ms) => SIDE + ((ms - from) / (until - from)) * (width - 2 * SIDE);
  const laneIndex = new Map(all.map((lane, index) => [lane.key, index]));
  const laneTop = (index) => 4 + index * LANE;

  const grid = [];
  const labels = [];
  const step = TICK_STEPS.find((s) => ((width - 2 * SIDE) * s) / (until - from) >= 64) || 28 * DAY;
  for (const at of ticks(from, until, step)) {
    const date = new Date(at);
    const midnight = date.getHours() === 0 && date.getMinutes() === 0;
    grid.push(svg("line", { class: "grid", x1: x(at), x2: x(at), y1: 4, y2: height - AXIS }));
    labels.push(
      svg("text", { class: "tick", x: x(at), y: height - 8, "text-anchor": "middle" },
        step >= DAY || midnight ? dayLabel.format(date) : hourLabel.format(date)),
    );
  }

  const lanesDrawn = all.map((lane, index) =>
    svg("g", { class: `lane${lane.key === "expiries" ? " expiries" : ""}` },
      svg("line", { class: "lane-line", x1: SIDE, x2: width - SIDE, y1: laneTop(index) + 20, y2: laneTop(index) + 20 }),
      svg("text", { class: "lane-label", x: SIDE + 2, y: laneTop(index) + 10 }, lane.label),
    ),
  );

  const marks = [];
  const expiries = [];
  let shown = 0;
  let planned = 0;
  for (const backup of backups) {
    const requested = Date.parse(backup.requestedAt);
    const index = laneIndex.get(laneOf(backup));
    if (requested >= from && requested <= until && index !== undefined) {
      shown += 1;
      marks.push(
        svg("circle", {
          class: `mark ${STATUS_CLASS[backup.status] || "other"}`,
          cx: x(requested), cy: laneTop(index) + 20, r: 4.5,
          "data-id": backup.id,
        }, svg("title", {}, describe(backup))),
      );
    }
    const expires = backup.expiresAt ? Date.parse(backup.expiresAt) : NaN;
    if (expires >= from && expires <= until) {
      const cx = x(expires);
      const cy = laneTop(laneIndex.get("expiries")) + 20;
      expiries.push(
        svg("path", { class: "expiry", d: `M${cx - 4} ${cy - 4} L${cx + 4} ${cy + 4} M${cx + 4} ${cy - 4} L${cx - 4} ${cy + 4}` },
          svg("title", {}, `expires ${formatTime(expires)}: ${describe(backup)}`)),
      );
    }
  }
  for (const lane of lanes) {
    const index = laneIndex.get(lane.key);
    for (const iso of lane.runs || []) {
      const at = Date.parse(iso);
      if (at <= now || at > until) continue;
      planned += 1;
      marks.push(
        svg("circle", { class: "mark planned", cx: x(at), cy: laneTop(index) + 20, r: 4 },
          svg("title", {}, `planned run ${formatTime(at)} (${iso} UTC)`)),
      );
    }
  }

  const nowX = x(now);
  const summary =
    `Timeline from ${formatTime(from)} to ${formatTime(until)}: ${shown} backups, ` +
    `${planned} planned runs, ${expiries.length} expiries; now is ${formatClock(now)}.` +
    (note ? ` ${note}` : "");
  const picture = svg("svg", {
    class: "timeline-svg", width, height, viewBox: `0 0 ${width} ${height}`,
    role: "img", "aria-label": summary,
  },
    svg("rect", { class: "future", x: nowX, y: 0, width: Math.max(width - SIDE - nowX, 0), height: height - AXIS }),
    grid, lanesDrawn, expiries, marks,
    svg("line", { class: "now", x1: nowX, x2: nowX, y1: 0, y2: height - AXIS + 4 }),
    svg("text", { class: "now-label", x: nowX + 4, y: height - AXIS - 4 }, "now"),
    svg("line", { class: "axis", x1: SIDE, x2: width - SIDE, y1: height - AXIS, y2: height - AXIS }),
    labels,
  );
  container.replaceChildren(picture);
  container.dataset.backups = String(shown);
  container.dataset.planned = String(planned);
  container.dataset.expiries = String(expiries.length);
  return { shown, planned, expiries: expiries.length };
}
