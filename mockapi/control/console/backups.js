// A project's backups: the paged table (through the API's own paging), the timeline, the
// "back up now" form and the dialog of one backup with its export, restore and delete.

import { $, DAY, formatTime, h, plural, replaceKeepingFocus, sameProject, svg, timeElement } from "./dom.js";
import { api, paging } from "./http.js";
import { notify, showProblem } from "./notices.js";
import { SPANS, drawTimeline } from "./timeline.js";

// The timeline reads the newest backups in one page of at most this many: never all of them.
const TIMELINE_LIMIT = 1000;
const STATUS_CLASS = { Completed: "ok", InProgress: "running", Failed: "failed" };

function lock() {
  // Drawn, not a glyph: no font on the machine has to have it.
  return svg("svg", { class: "lock", viewBox: "0 0 12 14", width: 11, height: 13, role: "img", "aria-label": "kept (deletable: false)" },
    svg("title", {}, "Kept: deletable is false (the newest backup is kept)"),
    svg("rect", { x: 1, y: 6, width: 10, height: 7.5, rx: 1.5 }),
    svg("path", { d: "M3.3 6V4.2a2.7 2.7 0 0 1 5.4 0V6", fill: "none" }));
}

function statusBadge(backup) {
  return h("span", { class: "status-cell" },
    h("span", { class: `status ${STATUS_CLASS[backup.status] || "other"}` }, backup.status),
    backup.deletable === false ? lock() : null);
}

function phaseBadge(phase) {
  return h("span", { class: `phase phase-${String(phase).toLowerCase()}` }, phase);
}

function suffix(format) {
  return format === "zip" ? "zip" : "tar.gz";
}

function exportCell(backup) {
  const exported = backup.export;
  if (!exported) return h("span", { class: "muted", "aria-label": "none" }, "\u2014");
  if (exported.downloadURL) {
    // Only a completed export has a download: the link says its phase.
    return h("span", { class: "export-cell" },
      h("a", {
        class: "download", href: exported.downloadURL, download: "", title: `phase: ${exported.phase}`,
        "aria-label": `Download the ${suffix(exported.format)} export`,
      }, "Download"),
      h("span", { class: "muted" }, suffix(exported.format)));
  }
  return h("span", { class: "export-cell" }, phaseBadge(exported.phase), h("span", { class: "muted" }, suffix(exported.format)));
}

function restoreCell(backup) {
  const restore = backup.restore || backup.restorePath;
  if (!restore) return h("span", { class: "muted", "aria-label": "none" }, "\u2014");
  return phaseBadge(restore.phase);
}

export function initBackups(ctx) {
  const table = { skip: 0, limit: 25, sort: "newestFirst", search: "", running: false, total: 0 };
  const line = { span: "month", backups: [], total: 0 };
  const rows = $("#backup-rows");
  const dialog = $("#backup-dialog");
  let openId = null;
  let tableRead = 0; // answers that arrive after a newer question are dropped
  let firstTable = true;

  // --- the table --------------------------------------------------------------------

  // One cell; `empty` ones are left out of the narrow layout's cards.
  function cell(label, content, empty, extra = "") {
    return h("td", { role: "cell", "data-label": label, class: `${empty ? "none " : ""}${extra}` },
      h("span", { class: "value" }, content));
  }

  function renderTable(items) {
    const built = items.map((backup) =>
      h("tr", { role: "row", "data-id": backup.id, class: `row-${STATUS_CLASS[backup.status] || "other"}` },
        cell("Status", statusBadge(backup)),
        cell("Requested", timeElement(backup.requestedAt)),
        cell("Created", timeElement(backup.createdAt), !backup.createdAt),
        cell("Expires", timeElement(backup.expiresAt), !backup.expiresAt),
        cell("Description", [
          backup.description ? h("span", {}, backup.description) : backup.parentId ? null : h("span", { class: "muted" }, "\u2014"),
          backup.parentId ? h("span", { class: "tag", title: `parentId ${backup.parentId}` }, "scheduled") : null,
        ], !backup.description && !backup.parentId, "description"),
        cell("Export", exportCell(backup), !backup.export),
        cell("Restore", restoreCell(backup), !backup.restore && !backup.restorePath),
        h("td", { role: "cell", class: "actions" },
          h("button", {
            type: "button", class: "quiet open", "data-key": `open:${backup.id}`,
            "aria-label": `Open the backup requested ${formatTime(Date.parse(backup.requestedAt))}`,
            onclick: () => openBackup(backup.id),
          }, "Open"))));
    if (!built.length) {
      const empty = table.search || table.running ? "No backup matches." : "No backups yet.";
      built.push(h("tr", { role: "row", class: "empty" }, h("td", { role: "cell", colspan: 8 }, empty)));
    }
    replaceKeepingFocus(rows, built);
    const first = table.total ? table.skip + 1 : 0;
    const last = Math.min(table.skip + table.limit, table.total);
    $("#backup-range").textContent = table.total
      ? `${first.toLocaleString()}\u2013${last.toLocaleString()} of ${plural(table.total, "backup")}`
      : "";
    const pages = Math.max(Math.ceil(table.total / table.limit), 1);
    const page = Math.floor(table.skip / table.limit) + 1;
    $("#page-label").textContent = `Page ${page.toLocaleString()} of ${pages.toLocaleString()}`;
    $("#page-first").disabled = $("#page-prev").disabled = page <= 1;
    $("#page-next").disabled = $("#page-last").disabled = page >= pages;
    if (firstTable) {
      firstTable = false;
      performance.mark("console:backups");
    }
  }

  async function refreshTable() {
    const project = ctx.project;
    if (!project) return;
    const query = new URLSearchParams({ limit: table.limit, skip: table.skip, sortOrder: table.sort });
    if (table.search) query.set("searchTerm", table.search);
    if (table.running) query.set("runningBackupsOnly", "true");
    const asked = ++tableRead;
    rows.parentElement.setAttribute("aria-busy", "true");
    try {
      const { data, headers } = await api("GET", `/v2/projects/${project.shortId}/backups?${query}`);
      if (asked !== tableRead || !sameProject(project, ctx)) return;
      const page = paging(headers);
      table.total = page.total;
      if (page.total > 0 && table.skip >= page.total) {
        // Backups went away (deleted, expired): show the last page there is.
        table.skip = Math.floor((page.total - 1) / table.limit) * table.limit;
        return refreshTable();
      }
      renderTable(data);
      showProblem($("#backups-error"), null);
    } catch (problem) {
      if (asked === tableRead) showProblem($("#backups-error"), problem);
    } finally {
      if (asked === tableRead) rows.parentElement.removeAttribute("aria-busy");
    }
  }

  function goTo(skip) {
    table.skip = Math.max(0, skip);
    refreshTable();
  }

  $("#page-first").addEventListener("click", () => goTo(0));
  $("#page-prev").addEventListener("click", () => goTo(table.skip - table.limit));
  $("#page-next").addEventListener("click", () => goTo(table.skip + table.limit));
  $("#page-last").addEventListener("click", () =>
    goTo(Math.floor(Math.max(table.total - 1, 0) / table.limit) * table.limit));
  $("#page-size").addEventListener("change", (event) => {
    table.limit = Number(event.target.value);
    goTo(0);
  });
  $("#backup-sort").addEventListener("change", (event) => {
    table.sort = event.target.value;
    goTo(0);
  });
  $("#backup-running").addEventListener("change", (event) => {
    table.running = event.target.checked;
    goTo(0);
  });
  let searchTimer = 0;
  $("#backup-search").addEventListener("input", (event) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      table.search = event.target.value.trim();
      goTo(0);
    }, 300);
  });

  // --- the timeline -----------------------------------------------------------------

  function laneOf(backup) {
    if (!backup.parentId) return "manual";
    return ctx.schedules.some((s) => s.id === backup.parentId) ? backup.parentId : "other";
  }

  function lanes() {
    const found = ctx.schedules.map((schedule) => ({
      key: schedule.id,
      label: `${schedule.description || (schedule.isSystemBackup ? "System schedule" : "Schedule")} \u00b7 ${schedule.schedule}`,
      runs: (ctx.runs.get(schedule.id) || {}).runs || [],
    }));
    found.push({ key: "manual", label: "Manual", runs: [] });
    if (line.backups.some((backup) => laneOf(backup) === "other")) {
      found.push({ key: "other", label: "Deleted schedules", runs: [] });
    }
    return found;
  }

  let drawn = false;
  let drawnNow = 0;

  /** The clock moved: draw again once the now line has moved by a pixel (a tooltip being
   * read would vanish if the picture were drawn anew every second of a running clock). */
  function clockMoved() {
    const span = SPANS[line.span];
    const pixel = (span.past + span.future) / Math.max($("#timeline").clientWidth, 1);
    if (Math.abs(ctx.now - drawnNow) >= pixel) redrawTimeline();
  }

  function redrawTimeline() {
    if (!ctx.project || !ctx.now) return;
    drawnNow = ctx.now;
    const span = SPANS[line.span];
    let note = "";
    const oldest = line.backups.length ? Date.parse(line.backups[line.backups.length - 1].requestedAt) : 0;
    if (line.total > line.backups.length && oldest > ctx.now - span.past) {
      note = `Only the newest ${line.backups.length.toLocaleString()} of ${line.total.toLocaleString()} backups are drawn.`;
    }
    drawTimeline($("#timeline"), { now: ctx.now, span, lanes: lanes(), backups: line.backups, laneOf, note });
    if (!drawn) {
      drawn = true;
      performance.mark("console:timeline");
    }
  }

  async function refreshTimeline() {
    const project = ctx.project;
    if (!project) return;
    try {
      const { data, headers } = await api(
        "GET", `/v2/projects/${project.shortId}/backups?limit=${TIMELINE_LIMIT}&sortOrder=newestFirst`);
      if (!sameProject(project, ctx)) return;
      line.backups = data;
      line.total = paging(headers).total;
      redrawTimeline();
    } catch (problem) {
      showProblem($("#backups-error"), problem);
    }
  }

  for (const button of document.querySelectorAll("[data-span]")) {
    button.addEventListener("click", () => {
      line.span = button.dataset.span;
      for (const other of document.querySelectorAll("[data-span]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      redrawTimeline();
      ctx.spanChanged(SPANS[line.span]);
    });
  }
  new ResizeObserver(() => redrawTimeline()).observe($("#timeline"));

  // --- create ------------------------------------------------------------------------

  $("#create-backup").addEventListener("submit", async (event) => {
    event.preventDefault();
    const project = ctx.project;
    if (!project) return;
    const description = $("#create-description").value.trim();
    // Checked against the mock's clock, so it is computed from it, not the browser's.
    const body = { expirationTime: new Date(ctx.now + Number($("#create-keep").value) * DAY).toISOString() };
    if (description) body.description = description;
    try {
      const { data } = await api("POST", `/v2/projects/${project.shortId}/backups`, body);
      $("#create-description").value = "";
      notify(`Backup requested: ${data.status}${description ? ` (\u201c${description}\u201d)` : ""}.`, "ok");
      if (table.sort === "newestFirst") table.skip = 0;
      ctx.changed();
    } catch (problem) {
      notify(problem);
    }
  });

  // --- one backup --------------------------------------------------------------------

  function detail(term, ...value) {
    return [h("dt", {}, term), h("dd", {}, ...value)];
  }

  function madeBy(backup) {
    if (!backup.parentId) return "by hand (manual)";
    const schedule = ctx.schedules.find((s) => s.id === backup.parentId);
    if (!schedule) return `a schedule no longer there (${backup.parentId})`;
    return `${schedule.description || (schedule.isSystemBackup ? "the system schedule" : "a schedule")} (${schedule.schedule})`;
  }

  function renderDialog(backup) {
    $("#backup-dialog-title").textContent = `Backup of ${formatTime(Date.parse(backup.requestedAt))}`;
    const exported = backup.export;
    const restore = backup.restore || backup.restorePath;
    const items = [
      ...detail("ID", h("code", {}, backup.id)),
      ...detail("Status", statusBadge(backup), backup.deletable === false ? " newest: kept" : ""),
      ...detail("Requested", timeElement(backup.requestedAt)),
      ...detail("Created", timeElement(backup.createdAt)),
      ...detail("Expires", timeElement(backup.expiresAt)),
      ...detail("Description", backup.description || h("span", { class: "muted" }, "\u2014")),
      ...detail("Made", madeBy(backup)),
    ];
    if (exported) {
      items.push(...detail("Export", phaseBadge(exported.phase), ` ${suffix(exported.format)}`,
        exported.withPassword ? ", with password" : "",
        exported.expiresAt ? [", link expires ", timeElement(exported.expiresAt)] : ""));
      if (exported.downloadURL) {
        items.push(...detail("Download",
          h("a", { href: exported.downloadURL, download: "", class: "download", id: "dialog-download" },
            `backup.${suffix(exported.format)}`)));
      }
      if (exported.sha256Checksum) {
        items.push(...detail("SHA-256", h("code", { class: "checksum", id: "dialog-checksum" }, exported.sha256Checksum)));
      }
    }
    if (restore) {
      const paths = restore.pathRestore ? restore.pathRestore.sourcePaths.join(", ") : restore.sourcePath || "";
      items.push(...detail("Restore", phaseBadge(restore.phase), paths ? ` ${paths}` : ""));
    }
    items.push(...detail("JSON", h("details", { class: "raw" },
      h("summary", {}, "As the API answered"),
      h("pre", {}, JSON.stringify(backup, null, 2)))));
    const raw = $("#backup-details details.raw");
    const wasOpen = raw ? raw.open : false;
    replaceKeepingFocus($("#backup-details"), items);
    if (wasOpen) $("#backup-details details.raw").open = true;
    $("#export-delete").hidden = !exported;
    dialog.dataset.status = backup.status;
    dialog.dataset.exportPhase = exported ? exported.phase : "";
  }

  async function loadDialog() {
    const id = openId;
    if (!id) return;
    try {
      const { data } = await api("GET", `/v2/project-backups/${id}`);
      if (id === openId) renderDialog(data);
    } catch (problem) {
      if (id === openId) showProblem($("#backup-dialog-error"), problem);
    }
  }

  async function openBackup(id) {
    openId = id;
    showProblem($("#backup-dialog-error"), null);
    $("#backup-details").replaceChildren();
    $("#backup-dialog-title").textContent = "Backup";
    dialog.showModal();
    await loadDialog();
  }

  dialog.addEventListener("close", () => {
    openId = null;
  });

  async function act(method, suffixPath, body, done) {
    const id = openId;
    if (!id) return;
    try {
      await api(method, `/v2/project-backups/${id}${suffixPath}`, body);
      showProblem($("#backup-dialog-error"), null);
      notify(done, "ok");
      ctx.changed();
    } catch (problem) {
      showProblem($("#backup-dialog-error"), problem);
    }
  }

  $("#export-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { format: $("#export-format").value };
    const password = $("#export-password").value;
    if (password) body.password = password;
    $("#export-password").value = "";
    act("POST", "/export", body, "Export requested.");
  });
  $("#export-delete").addEventListener("click", () => act("DELETE", "/export", undefined, "Export deleted."));
  $("#restore-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = {
      pathRestore: { sourcePaths: [$("#restore-path").value.trim()], clearTargetPath: $("#restore-clear").checked },
    };
    act("POST", "/restore", body, "Restore requested.");
  });
  $("#backup-delete").addEventListener("click", async () => {
    const id = openId;
    try {
      await api("DELETE", `/v2/project-backups/${id}`);
      dialog.close();
      notify("Backup deleted.", "ok");
      ctx.changed();
    } catch (problem) {
      showProblem($("#backup-dialog-error"), problem);
    }
  });

  return {
    /** The project's backups changed: read the page, the timeline and the open backup. */
    refresh() {
      return Promise.all([refreshTable(), refreshTimeline(), loadDialog()]);
    },
    redrawTimeline,
    clockMoved,
    /** Another project: start at its first page. */
    reset() {
      table.skip = 0;
      line.backups = [];
      line.total = 0;
      rows.replaceChildren(h("tr", { role: "row" }, h("td", { role: "cell", colspan: 8, class: "muted" }, "Loading\u2026")));
      $("#timeline").replaceChildren();
      if (dialog.open) dialog.close();
    },
    span: () => SPANS[line.span],
  };
}
