// Starts GOV.UK Frontend's components. A module file, not an inline script, so the CSP can forbid those.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
