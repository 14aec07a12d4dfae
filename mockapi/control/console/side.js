// The journal (live, newest first, the body on click), the fault rules and the rate limit:
// all read and changed through the control API.

import { $, formatTimeOfDay, h, plural, replaceKeepingFocus, timeElement } from "./dom.js";
import { control, isOwnRead } from "./http.js";
import { notify, showProblem } from "./notices.js";

const SHOWN = 200; // journal entries kept on the page; the journal itself keeps more
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

function statusClass(status) {
  if (status === 0 || status >= 500) return "bad";
  if (status >= 400) return "warn";
  return "good";
}

function entryElement(entry, seq) {
  const target = entry.query ? `${entry.path}?${entry.query}` : entry.path;
  const own = isOwnRead(entry.method, target);
  const hasBody = entry.body !== undefined && entry.body !== null;
  const shown = hasBody
    ? typeof entry.body === "string" ? entry.body : JSON.stringify(entry.body, null, 2)
    : null;
  return h("li", {
    class: `entry ${statusClass(entry.status)} ${READS.has(entry.method) ? "read" : "write"}${own ? " own" : ""}`,
    "data-seq": seq, "data-status": entry.status,
  },
  h("details", {},
    h("summary", { "data-key": `entry:${seq}` },
      timeElement(entry.time, formatTimeOfDay),
      h("span", { class: "method" }, entry.method),
      h("span", { class: "target", title: target }, target),
      h("span", { class: "code" }, entry.status === 0 ? "dropped" : String(entry.status)),
      own ? h("span", { class: "tag own-tag", title: "This console read it to stay current" }, "console") : null),
    h("div", { class: "entry-body" },
      shown === null
        ? h("p", { class: "muted" }, READS.has(entry.method) ? "No body (a read)." : "No body.")
        : h("pre", { class: "body" }, shown))));
}

function faultText(rule) {
  let outcome;
  if (rule.drop) outcome = "no answer (dropped)";
  else if (rule.status !== undefined) outcome = `${rule.status}`;
  else outcome = "answered";
  if (rule.delayMs || rule.delayMaxMs) {
    outcome += rule.delayMaxMs ? ` after ${rule.delayMs}\u2013${rule.delayMaxMs} ms` : ` after ${rule.delayMs} ms`;
  }
  const scope = rule.project ? rule.project : "every project";
  let count = "every request";
  if (rule.count) count = `next ${rule.count}, ${rule.remaining} left`;
  const share = rule.probability !== undefined && rule.probability < 1
    ? `, ${Math.round(rule.probability * 1000) / 10}% of them` : "";
  return `${scope}: ${outcome} \u00b7 ${count}${share}`;
}

export function initSide(ctx) {
  const list = $("#journal-list");
  let seen = 0; // journal entries seen since its last clear (dropped ones included)
  let newest = ""; // the newest entry shown, to notice a journal cleared and refilled

  function signature(entry) {
    return `${entry.time} ${entry.method} ${entry.path} ${entry.query} ${entry.status}`;
  }

  async function refreshJournal() {
    if (ctx.readOnly) return;
    try {
      const { data } = await control("GET", "/_mockapi/journal");
      const { entries, dropped } = data;
      const total = dropped + entries.length;
      const lastShown = seen - 1 - dropped;
      const continues =
        total >= seen && (seen === 0 || lastShown < 0 || signature(entries[lastShown]) === newest);
      if (!continues) {
        list.replaceChildren();
        seen = 0;
      }
      const start = Math.max(seen - dropped, 0, entries.length - SHOWN);
      const fresh = [];
      for (let index = start; index < entries.length; index += 1) {
        fresh.push(entryElement(entries[index], dropped + index));
      }
      list.prepend(...fresh.reverse());
      while (list.children.length > SHOWN) list.lastElementChild.remove();
      seen = total;
      newest = entries.length ? signature(entries[entries.length - 1]) : "";
      $("#journal-count").textContent =
        plural(entries.length, "request") + (dropped ? `, ${dropped.toLocaleString()} dropped` : "");
      const own = list.querySelectorAll(".entry.own").length;
      $("#journal-own-count").textContent = own ? ` (${own.toLocaleString()})` : "";
      showEmpty();
      showProblem($("#journal-error"), null);
    } catch (problem) {
      showProblem($("#journal-error"), problem);
    }
  }

  /** Say so when the filters leave nothing to show. */
  function showEmpty() {
    let shown = ".entry";
    if (list.classList.contains("writes-only")) shown += ".write";
    if (list.classList.contains("hide-own")) shown += ":not(.own)";
    $("#journal-empty").hidden = list.querySelector(shown) !== null;
  }

  $("#journal-writes").addEventListener("change", (event) => {
    list.classList.toggle("writes-only", event.target.checked);
    showEmpty();
  });
  $("#journal-own").addEventListener("change", (event) => {
    list.classList.toggle("hide-own", !event.target.checked);
    showEmpty();
  });
  $("#journal-clear").addEventListener("click", async () => {
    try {
      await control("DELETE", "/_mockapi/journal");
      ctx.changed();
    } catch (problem) {
      notify(problem);
    }
  });

  // --- faults ------------------------------------------------------------------------

  async function refreshFaults() {
    if (ctx.readOnly) return;
    try {
      const { data } = await control("GET", "/_mockapi/faults");
      const items = data.map((rule) =>
        h("li", { class: "fault", "data-id": rule.id },
          h("span", { class: "fault-text" }, h("strong", {}, `#${rule.id} `), faultText(rule)),
          h("button", {
            type: "button", class: "quiet", "data-key": `fault:${rule.id}`,
            "aria-label": `Remove fault rule ${rule.id}`,
            onclick: () => removeFault(rule.id),
          }, "Remove")));
      if (!items.length) items.push(h("li", { class: "muted empty" }, "None: every request is answered normally."));
      replaceKeepingFocus($("#fault-list"), items);
      $("#faults-clear").hidden = data.length === 0;
    } catch (problem) {
      notify(problem);
    }
  }

  async function removeFault(id) {
    try {
      await control("DELETE", `/_mockapi/faults/${id}`);
      ctx.changed();
    } catch (problem) {
      notify(problem);
    }
  }

  $("#faults-clear").addEventListener("click", async () => {
    try {
      await control("DELETE", "/_mockapi/faults");
      ctx.changed();
    } catch (problem) {
      notify(problem);
    }
  });

  $("#add-fault").addEventListener("submit", async (event) => {
    event.preventDefault();
    const rule = {};
    if ($("#fault-scope").value === "project" && ctx.project) rule.project = ctx.project.shortId;
    const outcome = $("#fault-outcome").value;
    if (outcome === "drop") rule.drop = true;
    else if (outcome === "delay") rule.delayMs = 2000;
    else rule.status = Number(outcome);
    const count = $("#fault-count").value.trim();
    if (count) rule.count = Number(count);
    const share = Number($("#fault-probability").value || 100);
    if (share < 100) rule.probability = share / 100;
    try {
      const { data } = await control("POST", "/_mockapi/faults", rule);
      notify(`Fault rule #${data.id} added: ${faultText({ ...rule, remaining: rule.count })}.`, "ok");
      ctx.changed();
    } catch (problem) {
      notify(problem);
    }
  });

  // --- rate limit --------------------------------------------------------------------

  async function refreshRateLimit() {
    try {
      const { data } = await control("GET", "/_mockapi/rate-limit");
      $("#rate-now").textContent = data.limit
        ? `${data.limit.toLocaleString()} per ${data.windowSeconds} s per token`
        : "off";
      // Not while someone is typing into the form.
      if (!$("#rate-limit").contains(document.activeElement)) {
        $("#rate-limit-value").value = data.limit;
        $("#rate-window").value = data.windowSeconds;
      }
    } catch (problem) {
      notify(problem);
    }
  }

  $("#rate-limit").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      limit: Number($("#rate-limit-value").value || 0),
      windowSeconds: Number($("#rate-window").value || 60),
    };
    try {
      await control("PUT", "/_mockapi/rate-limit", body);
      notify(body.limit ? `Rate limit: ${body.limit} per ${body.windowSeconds} s.` : "Rate limit off.", "ok");
      document.activeElement.blur();
      ctx.changed();
    } catch (problem) {
      notify(problem);
    }
  });

  return { refreshJournal, refreshFaults, refreshRateLimit };
}
