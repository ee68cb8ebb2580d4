//! The app's real commands for the UI's tests: one JSON request per line on
//! stdin, one answer per line on stdout, against a store in a fresh
//! temporary directory. The commands run through Tauri's IPC on the mock
//! runtime with the app's real context (capability and ACL), as in
//! `src-tauri/tests/ipc.rs`, so the UI's tests exercise the product and no
//! rule of it exists twice.
//!
//! Request: `{"cmd": "list_contacts", "args": {...}}`. Answer:
//! `{"ok": value, "events": [...]}` or `{"err": {code, message, field,
//! from, to}, "events": [...]}`, with the events the command emitted
//! (`automation`, `tasks-changed` ...) as `{"event", "payload"}`, for the
//! UI to receive as from the app.
//! Besides the app's commands: `__clock` `{"at": RFC 3339}` fixes the time
//! every command sees, and `__forced_stage` `{"id", "stage"}` puts a seeded
//! contact into a stage by a forced correction; `__import` `{"name",
//! "text", "options"}` imports a file as if the rep had picked it;
//! `__stage_import` `{"name", "text"}` (or `null`) is the file the next
//! native open dialog of `choose_import_file` picks (none: cancelled). A
//! native save dialog has
//! no window system here: `save_quote` answers as if the rep had accepted
//! the proposed name in the temporary directory.

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};

use kontor_desktop::{app_builder, context, AppState};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, Manager};

/// The events the app emits to its window.
const EVENTS: [&str; 5] =
    ["automation", "tasks-changed", "import-progress", "index-rebuilt", "store-checked"];

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app =
        app_builder(mock_builder()).manage(AppState::open(dir.path())).build(context()).expect("the app");
    let window =
        tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a window");
    let emitted: Arc<Mutex<Vec<Value>>> = Arc::default();
    for event in EVENTS {
        let emitted = emitted.clone();
        app.listen_any(event, move |e| {
            let payload = serde_json::from_str::<Value>(e.payload()).unwrap_or(Value::Null);
            emitted
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(json!({ "event": event, "payload": payload }));
        });
    }
    let invoke = |cmd: &str, args: Value| -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("a url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&window, request).map(|body| body.deserialize::<Value>().unwrap_or(Value::Null))
    };
    let mut staged_import: Option<std::path::PathBuf> = None;
    let stdout = std::io::stdout();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let request: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        let cmd = request["cmd"].as_str().unwrap_or_default();
        let args = request.get("args").cloned().unwrap_or_else(|| json!({}));
        let answer = match cmd {
            "__clock" => {
                let at = args["at"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
                kontor_desktop::state::fix_clock(at.map(|t| t.with_timezone(&chrono::Utc)));
                Ok(Value::Null)
            }
            "save_quote" => invoke("get_deal", json!({ "id": args["dealId"] })).and_then(|deal| {
                let quote = deal["quotes"].as_array().into_iter().flatten().find(|q| q["id"] == args["quoteId"]);
                let quote = quote.ok_or_else(|| json!({ "code": "not_found", "message": "no such quote" }))?;
                let name = format!("{}.html", quote["number"].as_str().unwrap_or("quote"));
                let _ = std::fs::write(dir.path().join(&name), quote["html"].as_str().unwrap_or_default());
                Ok(json!({ "name": name, "count": 1 }))
            }),
            "__import" => {
                let path = dir.path().join(args["name"].as_str().unwrap_or("import.csv"));
                let _ = std::fs::write(&path, args["text"].as_str().unwrap_or_default());
                app.state::<AppState>().picked.set_import(path);
                invoke("import_run", json!({ "options": args["options"] }))
            }
            "__stage_import" => {
                staged_import = args["name"].as_str().map(|name| {
                    let path = dir.path().join(name);
                    let _ = std::fs::write(&path, args["text"].as_str().unwrap_or_default());
                    path
                });
                Ok(Value::Null)
            }
            "choose_import_file" => Ok(match &staged_import {
                Some(path) => {
                    app.state::<AppState>().picked.set_import(path.clone());
                    json!({ "name": path.file_name().map(|n| n.to_string_lossy().into_owned()) })
                }
                None => Value::Null,
            }),
            "__forced_stage" => {
                let change = json!({ "to": args["stage"], "reason": "seeded", "force": true });
                invoke("change_stage", json!({ "id": args["id"], "change": change }))
            }
            _ => invoke(cmd, args),
        };
        let events: Vec<Value> = std::mem::take(&mut *emitted.lock().unwrap_or_else(|p| p.into_inner()));
        let reply = match answer {
            Ok(value) => json!({ "ok": value, "events": events }),
            Err(error) => json!({ "err": error, "events": events }),
        };
        let mut out = stdout.lock();
        let _ = writeln!(out, "{reply}");
        let _ = out.flush();
    }
}
