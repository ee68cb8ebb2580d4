//! Generates the Tauri context. The app's own commands get permissions, so
//! the capability in `src-tauri/capabilities/` grants exactly what the UI uses.

/// The commands the UI may call (keep in step with `cmd.rs`).
const COMMANDS: &[&str] = &[
    "app_info",
    "list_contacts",
    "stage_counts",
    "search",
    "get_contact",
    "create_contact",
    "update_contact",
    "change_stage",
    "list_organizations",
    "get_settings",
    "set_settings",
    "load_demo_data",
    "update_organization",
    "log_activity",
    "list_activities",
    "delete_activity",
    "set_criteria",
    "get_score",
    "accept_proposal",
    "list_tasks",
    "task_counts",
    "contact_tasks",
    "create_task",
    "update_task",
    "complete_task",
    "snooze_task",
    "delete_task",
    "find_duplicates",
    "merge_contacts",
    "choose_import_file",
    "import_preview",
    "import_run",
    "cancel_import",
    "export_contacts",
    "backup_store",
    "list_backups",
    "restore_backup",
    "recover_latest",
    "check_store",
    "repair_store",
    "choose_backup_file",
    "restore_store",
    "export_person",
    "erase_person",
    "export_report",
    "save_quote",
    "list_deals",
    "get_deal",
    "contact_deals",
    "create_deal",
    "update_deal",
    "move_deal",
    "delete_deal",
    "pipeline",
    "report",
    "render_email",
    "send_email",
    "create_quote",
    "open_quote",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {e:#}");
    }
}
