// Messages to the user: errors as the API words them, and short confirmations.

import { $, h } from "./dom.js";

/** An error answer as the API sent it: status and type, message, each validation error. */
export function problemElement(problem) {
  const where = problem.method ? `${problem.method} ${problem.path}` : "";
  const heading = problem.status ? `${problem.status} ${problem.type}` : problem.type || "Error";
  return h("div", { class: "problem" },
    h("p", { class: "problem-head" },
      h("strong", { class: "problem-type" }, heading),
      where ? h("span", { class: "problem-where" }, where) : null),
    h("p", { class: "problem-message" }, problem.message),
    problem.validationErrors && problem.validationErrors.length
      ? h("ul", { class: "validation" },
        problem.validationErrors.map((item) =>
          h("li", {}, item.path ? h("code", {}, item.path) : null, item.path ? ": " : "", item.message,
            item.type ? h("span", { class: "muted" }, ` (${item.type})`) : null)))
      : null,
    problem.traceId ? h("p", { class: "trace muted" }, `trace id ${problem.traceId}`) : null,
  );
}

/** Show an error in `area` (an element with role=alert), or clear it with null. */
export function showProblem(area, problem) {
  if (!problem) {
    area.replaceChildren();
    return;
  }
  area.replaceChildren(problemElement(problem));
}

function openDialogArea() {
  const dialog = document.querySelector("dialog[open]");
  return dialog ? dialog.querySelector(".inline-error") : null;
}

/** A message at the top of the page (or in the open dialog, which covers the page). */
export function notify(message, kind = "info") {
  const inDialog = openDialogArea();
  const isProblem = typeof message === "object";
  if (inDialog && isProblem) {
    showProblem(inDialog, message);
    return;
  }
  const area = inDialog || $("#notices");
  const body = isProblem ? problemElement(message) : h("p", {}, message);
  const notice = h("div", { class: `notice ${isProblem ? "error" : kind}`, role: isProblem ? "alert" : "status" },
    body,
    h("button", { type: "button", class: "quiet dismiss", "aria-label": "Dismiss", onclick: () => notice.remove() }, "\u00d7"),
  );
  if (inDialog) {
    area.replaceChildren(notice);
  } else {
    // One error at a time of each kind is enough: a newer one replaces an older.
    for (const old of area.querySelectorAll(`.notice.${isProblem ? "error" : kind}`)) old.remove();
    area.append(notice);
  }
  if (!isProblem) setTimeout(() => notice.remove(), 5000);
}
