// Starts GOV.UK Frontend's components. A module file, not an inline script, so the CSP can forbid those.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

// A radio (or checkbox) that opens more questions under it is given aria-expanded by GOV.UK Frontend, which ARIA
// does not allow on a radio or a checkbox: axe rates it critical, and GOV.UK keeps it knowingly (govuk-frontend
// issue 979). The questions follow their choice in the page and aria-controls still names them, so the attribute
// is taken off whenever the component sets it.
new MutationObserver((changes) => {
  for (const { target } of changes) {
    if (target instanceof HTMLInputElement && (target.type === "radio" || target.type === "checkbox")) {
      target.removeAttribute("aria-expanded");
    }
  }
}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-expanded"] });

initAll();
