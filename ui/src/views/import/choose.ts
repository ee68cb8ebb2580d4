// Step 1: what can be imported, and the button that opens the native file dialog.
import { h, type Child } from "../../dom";
import { t } from "../../i18n";
import { button } from "../common";
import type { Wizard } from "./model";

/** The file button (and the chosen file's name); steps 1 and 2 show it. */
export function chooseBlock(w: Wizard): HTMLElement {
  return h(
    "div",
    { class: "import-file" },
    button(w.file ? t("import.choose_other") : t("import.choose"), {
      testid: "import-choose", kind: w.file ? "plain" : "primary", onclick: () => void w.choose(),
    }),
    w.file ? h("span", { class: "import-file-name", "data-testid": "import-file-name" }, w.file.name) : null,
  );
}

export function chooseStep(w: Wizard): Child[] {
  return [
    h("p", null, t("import.intro")),
    h("ul", { class: "plain import-formats" },
      h("li", null, t("import.formats_csv")),
      h("li", null, t("import.formats_vcard")),
      h("li", null, t("import.formats_json"))),
    chooseBlock(w),
  ];
}
