//! Generates the Tauri context. The app's own commands get permissions, so
//! the capability in `src-tauri/capabilities/` grants exactly what the UI uses.

/// The commands the UI may call (keep in step with `cmd.rs`).
const COMMANDS: &[&str] = &[
    "app_info",
    "list_contacts",
    "stage_counts",
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
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {e:#}");
    }
}
