// Building elements (never from HTML strings), showing times, keeping focus across updates.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An HTML element: h("td", {class: "x"}, "text", child). */
export function h(tag, attributes, ...children) {
  return build(document.createElement(tag), attributes, children);
}

/** An SVG element. */
export function svg(tag, attributes, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

export const $ = (selector) => document.querySelector(selector);

// Times are shown in the browser's time zone; the API's UTC value is the hover text.
const sameYear = new Intl.DateTimeFormat(undefined, {
  day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
});
const withYear = new Intl.DateTimeFormat(undefined, {
  day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
});
const clockFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short", day: "numeric", month: "short", year: "numeric",
  hour: "2-digit", minute: "2-digit", second: "2-digit",
});
const timeOfDay = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit", minute: "2-digit", second: "2-digit",
});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
export const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

let referenceYear = new Date().getUTCFullYear();

/** The year times are shown without (the mock clock's). */
export function setReferenceYear(ms) {
  referenceYear = new Date(ms).getFullYear();
}

/** "30 Jan, 04:00" (the year only when it is not the mock clock's). */
export function formatTime(ms) {
  const date = new Date(ms);
  return (date.getFullYear() === referenceYear ? sameYear : withYear).format(date);
}

export function formatClock(ms) {
  return clockFormat.format(new Date(ms));
}

export function formatTimeOfDay(ms) {
  return timeOfDay.format(new Date(ms));
}

/** "in 3 hours", "5 minutes ago". */
export function formatRelative(ms, nowMs) {
  const seconds = (ms - nowMs) / 1000;
  const units = [["day", 86400], ["hour", 3600], ["minute", 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds), "second");
}

/** A <time> in the browser's zone, with the API's own (UTC) value on hover. */
export function timeElement(iso, format = formatTime) {
  if (!iso) return h("span", { class: "muted", "aria-label": "none" }, "\u2014");
  const ms = Date.parse(iso);
  return h("time", { datetime: iso, title: `${iso} (UTC)` }, format(ms));
}

/** Replace a container's content, keeping the focus on the element with the same key. */
export function replaceKeepingFocus(container, children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : undefined;
  container.replaceChildren(...children);
  if (key !== undefined) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

export function plural(count, word) {
  return `${count.toLocaleString()} ${word}${count === 1 ? "" : "s"}`;
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Whether a view's answer still belongs to the project shown (the object may be fresher). */
export function sameProject(project, ctx) {
  return Boolean(project && ctx.project && project.id === ctx.project.id);
}
