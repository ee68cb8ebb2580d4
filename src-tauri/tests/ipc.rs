//! The shell's commands through Tauri's IPC on the mock runtime, with the
//! app's real context (config, capability and ACL), against a store on disk.

use kontor_desktop::{app_builder, context, AppState};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let app = app_builder(mock_builder()).manage(AppState::open(dir.path())).build(context()).unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    App { _app: app, window, _dir: dir }
}

fn invoke(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&app.window, request).map(|body| body.deserialize::<Value>().unwrap())
}

fn anna() -> Value {
    json!({ "first_name": "Anna", "last_name": "Schmidt", "display_name": null, "organization": "Acme AG",
            "title": null, "emails": ["anna@acme.de"], "phones": ["0170 1234567"], "tags": [], "source": null, "notes": null })
}

#[test]
fn create_list_and_count_through_ipc() {
    let app = app();
    let detail = invoke(&app, "create_contact", json!({ "input": anna() })).unwrap();
    assert_eq!(detail["contact"]["stage"], "lead");
    assert_eq!(detail["contact"]["phones"], json!(["+491701234567"]));
    let to: Vec<&str> =
        detail["transitions"].as_array().unwrap().iter().map(|t| t["to"].as_str().unwrap()).collect();
    assert_eq!(to, ["prospect", "opportunity", "customer", "disqualified"]);
    assert_eq!(detail["transitions"][0]["requirement"], "none");
    assert_eq!(detail["transitions"][1]["requirement"], "forced");
    assert_eq!(detail["transitions"][3]["requirement"], "reason");

    let query = json!({ "stage": null, "search": "acme", "sort": "name", "offset": 0, "limit": 50 });
    let page = invoke(&app, "list_contacts", json!({ "query": query })).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["display_name"], "Anna Schmidt");
    let counts = invoke(&app, "stage_counts", json!({ "search": null })).unwrap();
    assert_eq!(counts["all"], 1);
    assert_eq!(counts["lead"], 1);
    let orgs = invoke(&app, "list_organizations", json!({ "search": "ac" })).unwrap();
    assert_eq!(orgs[0]["name"], "Acme AG");
}

#[test]
fn errors_arrive_as_code_and_message() {
    let app = app();
    let id = invoke(&app, "create_contact", json!({ "input": anna() })).unwrap()["contact"]["id"].clone();
    let err = invoke(
        &app,
        "change_stage",
        json!({ "id": id, "change": { "to": "customer", "reason": null, "force": false } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_transition");
    assert_eq!(err["from"], "lead");
    assert_eq!(err["to"], "customer");
    assert!(err["message"].as_str().unwrap().contains("not allowed"));

    let err = invoke(
        &app,
        "change_stage",
        json!({ "id": id, "change": { "to": "disqualified", "reason": " ", "force": false } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "reason_required");

    let mut bad = anna();
    bad["emails"] = json!(["no-at-sign"]);
    let err = invoke(&app, "create_contact", json!({ "input": bad })).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_email"), Some("emails")));

    let moved = invoke(
        &app,
        "change_stage",
        json!({ "id": id, "change": { "to": "prospect", "reason": "Budget", "force": false } }),
    )
    .unwrap();
    assert_eq!(moved["contact"]["stage_history"][1]["reason"], "Budget");
}

#[test]
fn settings_and_demo_data_round_trip() {
    let app = app();
    let mut settings = invoke(&app, "get_settings", json!({})).unwrap();
    assert_eq!(settings["language"], Value::Null);
    assert_eq!(settings["scoring"]["half_life_days"], 30.0);
    assert_eq!(settings["scoring"]["engagement_points"]["webinar_attended"], 15);
    settings["language"] = json!("de");
    invoke(&app, "set_settings", json!({ "settings": settings })).unwrap();
    assert_eq!(invoke(&app, "get_settings", json!({})).unwrap()["language"], "de");
    settings["scoring"]["half_life_days"] = json!(0);
    let err = invoke(&app, "set_settings", json!({ "settings": settings })).unwrap_err();
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("invalid_settings"), Some("half_life_days"))
    );
    let counts = invoke(&app, "load_demo_data", json!({})).unwrap();
    assert_eq!(counts["all"], 12);
    let info = invoke(&app, "app_info", json!({})).unwrap();
    assert!(!info["locale"].as_str().unwrap().is_empty());
}

#[test]
fn a_held_store_makes_every_command_report_store_locked() {
    let dir = tempfile::tempdir().unwrap();
    let _held = kontor_core::Store::open(dir.path()).unwrap();
    let app = app_builder(mock_builder()).manage(AppState::open(dir.path())).build(context()).unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    let app = App { _app: app, window, _dir: tempfile::tempdir().unwrap() };
    let err = invoke(&app, "stage_counts", json!({ "search": null })).unwrap_err();
    assert_eq!(err["code"], "store_locked");
}

#[test]
fn commands_outside_the_capability_are_refused() {
    let app = app();
    assert!(invoke(&app, "no_such_command", json!({})).is_err());
}

#[test]
fn windows_without_the_capability_cannot_call_commands() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_builder(mock_builder()).manage(AppState::open(dir.path())).build(context()).unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "other", Default::default()).build().unwrap();
    let app = App { _app: app, window, _dir: dir };
    assert!(invoke(&app, "stage_counts", json!({ "search": null })).is_err());
}

#[test]
fn qualification_through_ipc() {
    let app = app();
    let id = invoke(&app, "create_contact", json!({ "input": anna() })).unwrap()["contact"]["id"].clone();
    let input = json!({ "kind": "webinar_attended", "at": null, "summary": "Webinar", "text": null, "outcome": null, "concerns": "Preis?" });
    let detail = invoke(&app, "log_activity", json!({ "id": id, "input": input })).unwrap();
    assert_eq!(detail["contact"]["score"], 15);
    assert_eq!(detail["score"]["engagement"], 15);
    assert_eq!(detail["organization"]["name"], "Acme AG");
    let page = invoke(
        &app,
        "list_activities",
        json!({ "id": id, "query": { "kinds": null, "offset": 0, "limit": 50 } }),
    )
    .unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["concerns"], "Preis?");

    let criteria =
        json!({ "target_group": "yes", "budget": "yes", "authority": "yes", "need": null, "timeline": null });
    let detail = invoke(&app, "set_criteria", json!({ "id": id, "criteria": criteria })).unwrap();
    assert_eq!(detail["contact"]["proposal"], "prospect");
    assert_eq!(invoke(&app, "stage_counts", json!({ "search": null })).unwrap()["ready_to_qualify"], 1);
    let score = invoke(&app, "get_score", json!({ "id": id })).unwrap();
    assert_eq!(score["fit"], 35);
    let accepted = invoke(&app, "accept_proposal", json!({ "id": id })).unwrap();
    assert_eq!(accepted["contact"]["stage"], "prospect");
    assert_eq!(accepted["contact"]["stage_history"][1]["by"], "rule");
    let err = invoke(&app, "accept_proposal", json!({ "id": id })).unwrap_err();
    assert_eq!(err["code"], "no_proposal");

    let activity = page["items"][0]["id"].clone();
    let detail = invoke(&app, "delete_activity", json!({ "id": activity })).unwrap();
    assert_eq!(detail["score"]["engagement"], 0);
    let org = detail["organization"]["id"].clone();
    let data = json!({ "name": "Acme AG", "industry": "Maschinenbau", "size": 120, "postcode": "30159", "region": null });
    let updated = invoke(&app, "update_organization", json!({ "id": org, "input": data })).unwrap();
    assert_eq!(updated["size"], 120);
}

#[test]
fn tasks_through_ipc() {
    let app = app();
    let contact =
        invoke(&app, "create_contact", json!({ "input": anna() })).unwrap()["contact"]["id"].clone();
    let input = json!({ "title": "Angebot nachfassen", "contact_id": contact, "deal_id": null, "due": "2099-01-31T09:00:00Z",
                        "priority": "high", "notes": null, "reminders": [0, 15], "repeat": "monthly" });
    let item = invoke(&app, "create_task", json!({ "input": input })).unwrap();
    assert_eq!(item["contact_name"], "Anna Schmidt");
    assert_eq!(item["task"]["repeat"], "monthly");
    assert_eq!(item["task"]["reminders"].as_array().unwrap().len(), 2);
    let id = item["task"]["id"].clone();
    assert_eq!(invoke(&app, "contact_tasks", json!({ "id": contact })).unwrap().as_array().unwrap().len(), 1);
    assert_eq!(invoke(&app, "list_tasks", json!({ "view": "open" })).unwrap()[0]["task"]["id"], id);
    let snoozed = invoke(&app, "snooze_task", json!({ "id": id, "preset": "one_hour" })).unwrap();
    assert!(snoozed["task"]["snoozed_until"].is_string());
    let done = invoke(&app, "complete_task", json!({ "id": id })).unwrap();
    assert_eq!(done["done"]["task"]["done"], true);
    assert_eq!(done["next"]["task"]["due"], "2099-02-28T09:00:00Z");
    let counts = invoke(&app, "task_counts", json!({})).unwrap();
    assert_eq!(counts["overdue"], 0);
    let bad = json!({ "title": "", "contact_id": null, "deal_id": null, "due": "2099-01-01", "priority": "normal",
                      "notes": null, "reminders": [], "repeat": null });
    let err = invoke(&app, "create_task", json!({ "input": bad })).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_input"), Some("title")));
    invoke(&app, "delete_task", json!({ "id": done["next"]["task"]["id"] })).unwrap();
    assert_eq!(invoke(&app, "list_tasks", json!({ "view": "open" })).unwrap(), json!([]));
}

#[test]
fn import_preview_then_run_on_the_picked_file() {
    use tauri::Manager;
    let app = app();
    let file = app._dir.path().join("messe.csv");
    std::fs::write(
        &file,
        "Vorname;Nachname;Firma;E-Mail\nAnna;Schmidt;Acme AG;anna@acme.de\n;;;\nBen;;;kaputt\n",
    )
    .unwrap();
    // Without a picked file the commands say so.
    let err = invoke(&app, "import_preview", json!({ "options": {} })).unwrap_err();
    assert_eq!(err["field"], "file");
    app.window.state::<AppState>().picked.set_import(file);
    let preview = invoke(&app, "import_preview", json!({ "options": {} })).unwrap();
    assert_eq!(preview["delimiter"], ";");
    assert_eq!(preview["preset"], "generic");
    assert_eq!(preview["columns"][2]["field"], "organization");
    assert_eq!(preview["total"], 2);
    assert_eq!(
        invoke(&app, "stage_counts", json!({ "search": null })).unwrap()["all"],
        0,
        "a preview writes nothing"
    );
    // The user maps the third column away and names the source.
    let options =
        json!({ "mapping": ["first_name", "last_name", "ignore", "email"], "source": "Messe 2026" });
    let report = invoke(&app, "import_run", json!({ "options": options })).unwrap();
    assert_eq!(report["imported"], 2);
    assert_eq!(report["skipped"], 1);
    assert_eq!(report["warnings"][0]["line"], 4);
    let page = invoke(&app, "list_contacts", json!({ "query": { "search": "anna", "limit": 5 } })).unwrap();
    assert_eq!(page["items"][0]["source"], "Messe 2026");
    assert_eq!(page["items"][0]["organization"], Value::Null);
}

#[test]
fn a_won_deal_makes_a_customer_and_creates_the_referral_task() {
    let app = app();
    let id = invoke(&app, "create_contact", json!({ "input": anna() })).unwrap()["contact"]["id"].clone();
    let input = json!({ "contact_id": id, "title": "Wartungsvertrag", "value": 1234.5 });
    let saved = invoke(&app, "create_deal", json!({ "input": input })).unwrap();
    assert_eq!(saved["contact"]["contact"]["stage"], "opportunity");
    assert_eq!(saved["deal"]["probability"], 10);
    let deal = saved["deal"]["id"].clone();
    let err = invoke(&app, "move_deal", json!({ "id": deal, "stage": "lost", "reason": null })).unwrap_err();
    assert_eq!(err["code"], "reason_required");
    let won = invoke(&app, "move_deal", json!({ "id": deal, "stage": "won", "reason": null })).unwrap();
    assert_eq!(won["contact"]["contact"]["stage"], "customer");
    let created: Vec<&Value> =
        won["automation"].as_array().unwrap().iter().filter(|o| o["type"] == "task_created").collect();
    assert_eq!(created.len(), 1, "{}", won["automation"]);
    let board = invoke(&app, "pipeline", json!({})).unwrap();
    let won_column =
        board["columns"].as_array().unwrap().iter().find(|c| c["stage"]["key"] == "won").unwrap();
    assert_eq!(won_column["count"], 1);
    let funnel =
        invoke(&app, "report", json!({ "kind": "funnel", "period": { "from": null, "to": null } })).unwrap();
    assert!(funnel.to_string().contains("customer"));
}

#[test]
fn follow_up_email_and_quote_are_logged_on_the_contact() {
    let app = app();
    let id = invoke(&app, "create_contact", json!({ "input": anna() })).unwrap()["contact"]["id"].clone();
    let input = json!({ "contact_id": id, "title": "Kassensystem", "value": 0.0, "value_from_items": true,
        "line_items": [{ "product": "Kasse K5", "quantity": 2.0, "unit_price": 1000.0, "discount_percent": 10.0 }] });
    let deal = invoke(&app, "create_deal", json!({ "input": input })).unwrap()["deal"].clone();
    assert_eq!(deal["value"], 1800.0);

    let email = invoke(
        &app,
        "render_email",
        json!({ "templateId": "follow_up_de", "contactId": id, "dealId": deal["id"] }),
    )
    .unwrap();
    assert_eq!(email["to"], "anna@acme.de");
    assert!(email["body"].as_str().unwrap().contains("Anna"), "{email}");
    // The rep edits the subject before sending; the mailto follows the edit.
    let edited = json!({ "to": email["to"], "subject": "Kurz nachgefragt", "body": email["body"], "mailto": email["mailto"] });
    let detail = invoke(&app, "send_email", json!({ "contactId": id, "email": edited })).unwrap();
    assert!(detail["contact"]["last_activity_at"].is_string());
    // No quote before the company's details are in.
    let err = invoke(&app, "create_quote", json!({ "dealId": deal["id"], "language": "de" })).unwrap_err();
    assert_eq!(err["code"], "company_incomplete");
    assert_eq!(
        invoke(&app, "company_missing", json!({})).unwrap(),
        json!(["name", "address", "vat_id", "iban"])
    );
    let mut settings = invoke(&app, "get_settings", json!({})).unwrap();
    settings["company"] = json!({ "name": "Vertrieb GmbH", "address": "Hafenstr. 1\n20457 Hamburg",
        "vat_id": "DE123456789", "iban": "DE89 3704 0044 0532 0130 00" });
    invoke(&app, "set_settings", json!({ "settings": settings })).unwrap();
    let quote = invoke(&app, "create_quote", json!({ "dealId": deal["id"], "language": "de" })).unwrap();
    assert!(quote["number"].as_str().unwrap().starts_with("A-"));
    assert!(quote["html"].as_str().unwrap().contains("1.800,00"), "German money in the quote");
    let stored = invoke(&app, "get_deal", json!({ "id": deal["id"] })).unwrap();
    assert_eq!(stored["quotes"][0]["number"], quote["number"]);
    let timeline = invoke(
        &app,
        "list_activities",
        json!({ "id": id, "query": { "kinds": null, "offset": 0, "limit": 10 } }),
    )
    .unwrap();
    let summaries: Vec<&str> =
        timeline["items"].as_array().unwrap().iter().filter_map(|a| a["summary"].as_str()).collect();
    assert!(summaries.iter().any(|s| s.contains("Kurz nachgefragt")), "{summaries:?}");
    assert!(summaries.iter().any(|s| s.contains(quote["number"].as_str().unwrap())), "{summaries:?}");
}

#[test]
fn the_window_may_listen_to_the_apps_events() {
    // Rule outcomes, changed tasks and import progress reach the UI as
    // events; a capability without the listen permission silences them.
    let app = app();
    for event in ["automation", "tasks-changed", "import-progress"] {
        let args = json!({ "event": event, "target": { "kind": "Any" }, "handler": 7 });
        let answer = invoke(&app, "plugin:event|listen", args);
        assert!(answer.is_ok(), "listening to {event} was refused: {answer:?}");
    }
}
