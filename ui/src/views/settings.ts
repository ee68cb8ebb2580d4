// Settings dialog: language choice (applied at once and persisted), plus the
// data directory and version from app_info.
import type { App } from "../app";
import { h, replace } from "../dom";
import { t, type Lang } from "../i18n";
import { button } from "./common";

export function settingsDialog(app: App): void {
  const dialog = h("dialog", { class: "dialog narrow", "data-testid": "settings-dialog", "aria-labelledby": "settings-title" });

  const render = () => {
    const current = app.settings.language ?? "auto";
    const select = h(
      "select",
      {
        id: "language-select", "data-testid": "language-select",
        onchange: () => {
          const v = select.value;
          void app.setLanguageChoice(v === "de" || v === "en" ? (v as Lang) : null);
          dialog.querySelector<HTMLSelectElement>('[data-testid="language-select"]')?.focus();
        },
      },
      h("option", { value: "auto", selected: current === "auto" }, t("settings.language_auto")),
      h("option", { value: "de", selected: current === "de", lang: "de" }, "Deutsch"),
      h("option", { value: "en", selected: current === "en", lang: "en" }, "English"),
    );
    replace(
      dialog,
      h(
        "div",
        { class: "dialog-form" },
        h("h2", { id: "settings-title" }, t("settings.title")),
        h("label", { class: "field", for: "language-select" }, h("span", { class: "label" }, t("settings.language")), select),
        h(
          "dl",
          { class: "fields compact" },
          h("dt", null, t("settings.data_dir")),
          h("dd", null, h("code", { "data-testid": "data-dir", class: "path" }, app.info?.data_dir ?? "—")),
          h("dt", null, t("settings.version")),
          h("dd", { "data-testid": "version" }, app.info?.version ?? "—"),
          h("dt", null, t("settings.shortcuts")),
          h("dd", null, h("ul", { class: "plain shortcuts" },
            t("settings.shortcut_list").split(" · ").map((item) => h("li", null, item)))),
        ),
        h("div", { class: "error-slot", "data-slot": "settings" }),
        h(
          "footer",
          { class: "dialog-actions" },
          button(t("action.close"), { testid: "settings-close", kind: "primary", onclick: () => app.closeModal() }),
        ),
      ),
    );
  };

  render();
  app.openModal(dialog, render);
  dialog.querySelector<HTMLSelectElement>("select")?.focus();
}
