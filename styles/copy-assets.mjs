// Copies the GOV.UK Frontend script next to the built stylesheet, so both are served from /assets/.
import { copyFileSync } from "node:fs";

const from = "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js";
copyFileSync(from, "layers/shared/safeplace/static/govuk-frontend.min.js");
