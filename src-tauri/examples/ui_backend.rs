//! The app's real commands for the UI's tests: one JSON request per line on
//! stdin, one answer per line on stdout, against a store in a fresh
//! temporary directory. The commands run through Tauri's IPC on the mock
//! runtime with the app's real context (capability and ACL), as in
//! `src-tauri/tests/ipc.rs`, so the UI's tests exercise the product and no
//! rule of it exists twice.
//!
//! Request: `{"id": N, "cmd": "list_contacts", "args": {...}}`. Answer:
//! `{"id": N, "ok": value}` or `{"id": N, "err": {code, message, field,
//! from, to}}`. Every event the app emits (`automation`, `tasks-changed`,
//! `import-progress` ...) is written as it happens, as `{"id", "event",
//! "payload"}` with the id of the request that caused it (null for none),
//! before that request's answer, for the UI to receive as from the app.
//! Requests are answered in order, except an import: it runs beside the
//! others, as in the app, so a cancel can reach it.
//! Besides the app's commands: `__clock` `{"at": RFC 3339}` fixes the time
//! every command sees, and `__forced_stage` `{"id", "stage"}` puts a seeded
//! contact into a stage by a forced correction; `__import` `{"name",
//! "text", "options"}` imports a file as if the rep had picked it;
//! `__dialog` answers the next native file dialog (`{"cancel": true}`,
//! `{"file": NAME, "text"?: TEXT}` in the temporary directory, or `{}` for
//! the proposed name); one nobody answered is cancelled (open) or takes
//! the proposed name (save). `__hold_import` makes a running import wait
//! after each batch's progress event until `__step_import` lets it go on
//! (one batch per step). `__dir` is the temporary directory.

use std::io::{BufRead, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use kontor_desktop::state::DialogAnswer;
use kontor_desktop::{app_builder, context, AppState};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, Manager};

/// Commands that open a native save dialog, and those that open an open dialog.
const SAVES: [&str; 8] = [
    "export_contacts",
    "backup_store",
    "export_person",
    "export_report",
    "save_quote",
    "export_calendar",
    "export_mileage",
    "pick_calendar_file",
];
const PICKS: [&str; 3] = ["choose_import_file", "choose_backup_file", "import_calendar"];

/// The events the app emits to its window.
const EVENTS: [&str; 6] =
    ["automation", "tasks-changed", "import-progress", "index-rebuilt", "store-checked", "open-contact"];

const PROGRESS: &str = "import-progress";

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One line on stdout (answers and events come from several threads).
fn write_line(line: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Lets a held import go on one batch per step.
#[derive(Default)]
struct Gate {
    /// (held, steps granted and not yet taken)
    state: Mutex<(bool, u32)>,
    moved: Condvar,
}

impl Gate {
    fn hold(&self) {
        lock(&self.state).0 = true;
    }

    fn step(&self) {
        lock(&self.state).1 += 1;
        self.moved.notify_all();
    }

    /// Waits for a step when held.
    fn pass(&self) {
        let mut state = lock(&self.state);
        while state.0 && state.1 == 0 {
            state = self.moved.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        state.1 = state.1.saturating_sub(1);
    }
}

/// The request whose events are being emitted: the one being answered in
/// order, and the running import.
#[derive(Default)]
struct Causes {
    current: Mutex<Value>,
    import: Mutex<Value>,
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app =
        app_builder(mock_builder()).manage(AppState::open(dir.path())).build(context()).expect("the app");
    let window =
        tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a window");
    let causes = Arc::new(Causes::default());
    let gate = Arc::new(Gate::default());
    for event in EVENTS {
        let (causes, gate) = (causes.clone(), gate.clone());
        app.listen_any(event, move |e| {
            let payload = serde_json::from_str::<Value>(e.payload()).unwrap_or(Value::Null);
            let id = lock(if event == PROGRESS { &causes.import } else { &causes.current }).clone();
            write_line(&json!({ "id": id, "event": event, "payload": payload }));
            if event == PROGRESS {
                gate.pass();
            }
        });
    }
    let invoke = move |cmd: &str, args: Value| -> Result<Value, Value> {
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
    let answer = |id: &Value, answer: Result<Value, Value>| match answer {
        Ok(value) => write_line(&json!({ "id": id, "ok": value })),
        Err(error) => write_line(&json!({ "id": id, "err": error })),
    };
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let request: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        let id = request["id"].clone();
        let cmd = request["cmd"].as_str().unwrap_or_default();
        let args = request.get("args").cloned().unwrap_or_else(|| json!({}));
        if cmd == "import_run" || cmd == "__import" {
            if cmd == "__import" {
                let path = dir.path().join(args["name"].as_str().unwrap_or("import.csv"));
                let _ = std::fs::write(&path, args["text"].as_str().unwrap_or_default());
                app.state::<AppState>().picked.set_import(path);
            }
            *lock(&causes.import) = id.clone();
            let invoke = invoke.clone();
            std::thread::spawn(move || {
                answer(&id, invoke("import_run", json!({ "options": args["options"] })))
            });
            continue;
        }
        *lock(&causes.current) = id.clone();
        let result = match cmd {
            "__clock" => {
                let at = args["at"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
                kontor_desktop::state::fix_clock(at.map(|t| t.with_timezone(&chrono::Utc)));
                Ok(Value::Null)
            }
            "__dialog" => {
                // {"cancel": true} | {"file": NAME, "text"?: TEXT} (in the temporary directory) | {} (the proposed name)
                let answer = if args["cancel"] == true {
                    DialogAnswer::Cancel
                } else if let Some(name) = args["file"].as_str() {
                    if let Some(text) = args["text"].as_str() {
                        let _ = std::fs::write(dir.path().join(name), text);
                    }
                    DialogAnswer::File(dir.path().join(name))
                } else {
                    DialogAnswer::ProposedIn(dir.path().to_owned())
                };
                app.state::<AppState>().picked.answer_next_dialog(answer);
                Ok(Value::Null)
            }
            "__dir" => Ok(json!(dir.path())),
            "__hold_import" => {
                gate.hold();
                Ok(Value::Null)
            }
            "__step_import" => {
                gate.step();
                Ok(Value::Null)
            }
            "__forced_stage" => {
                let change = json!({ "to": args["stage"], "reason": "seeded", "force": true });
                invoke("change_stage", json!({ "id": args["id"], "change": change }))
            }
            _ => {
                // Without a window system a dialog nobody answered is cancelled
                // (an open dialog) or takes the proposed name (a save dialog).
                let picked = &app.state::<AppState>().picked;
                if !picked.dialog_answered() {
                    if SAVES.contains(&cmd) {
                        picked.answer_next_dialog(DialogAnswer::ProposedIn(dir.path().to_owned()));
                    } else if PICKS.contains(&cmd) {
                        picked.answer_next_dialog(DialogAnswer::Cancel);
                    }
                }
                invoke(cmd, args)
            }
        };
        answer(&id, result);
        *lock(&causes.current) = Value::Null;
    }
}
