//! Black-box tests of the `kontor` binary against a real data directory.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{fails, kontor, ok_json};
use serde_json::Value;

fn add_anna(dir: &Path) -> Value {
    ok_json(
        dir,
        &[
            "contacts",
            "add",
            "--first-name",
            "Anna",
            "--last-name",
            "Schmidt",
            "--email",
            "Anna@Example.DE",
            "--phone",
            "0170 1234567",
            "--organization",
            "Acme AG",
            "--title",
            "Einkauf",
            "--source",
            "Messe",
            "--json",
        ],
    )
}

#[test]
fn add_then_list_prints_the_spec_keys() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path());
    assert_eq!(anna["stage"], "lead");
    let list = ok_json(dir.path(), &["contacts", "list", "--json"]);
    let c = &list.as_array().unwrap()[0];
    for key in [
        "id",
        "first_name",
        "last_name",
        "display_name",
        "organization",
        "title",
        "emails",
        "phones",
        "stage",
        "score",
        "tags",
        "source",
    ] {
        assert!(c.get(key).is_some(), "missing key {key} in {c}");
    }
    assert_eq!(c["id"], anna["id"]);
    assert_eq!(c["emails"], serde_json::json!(["anna@example.de"]));
    assert_eq!(c["phones"], serde_json::json!(["+491701234567"]));
    assert_eq!(c["organization"], "Acme AG");
    assert_eq!(c["title"], "Einkauf");
    assert_eq!(c["source"], "Messe");
    assert!(c["score"].as_u64().unwrap() <= 100);
}

#[test]
fn list_filters_by_stage_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path());
    ok_json(dir.path(), &["contacts", "add", "--first-name", "Bert", "--last-name", "Brauer", "--json"]);
    let id = anna["id"].as_str().unwrap();
    ok_json(dir.path(), &["contacts", "stage", id, "prospect", "--reason", "Budget ok", "--json"]);

    let prospects = ok_json(dir.path(), &["contacts", "list", "--stage", "prospect", "--json"]);
    assert_eq!(prospects.as_array().unwrap().len(), 1);
    assert_eq!(prospects[0]["display_name"], "Anna Schmidt");
    let leads = ok_json(dir.path(), &["contacts", "list", "--stage", "lead", "--json"]);
    assert_eq!(leads[0]["display_name"], "Bert Brauer");
    for q in ["schm", "acme", "anna@example", "0170-123 4567", "+49 170 1234567"] {
        let hits = ok_json(dir.path(), &["contacts", "list", "--search", q, "--json"]);
        assert_eq!(hits.as_array().unwrap().len(), 1, "search {q}");
    }
    let none = ok_json(dir.path(), &["contacts", "list", "--search", "nobody", "--json"]);
    assert_eq!(none, serde_json::json!([]));
}

#[test]
fn show_has_the_stage_history() {
    let dir = tempfile::tempdir().unwrap();
    let id = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    ok_json(dir.path(), &["contacts", "stage", &id, "disqualified", "--reason", "kein Budget", "--json"]);
    let shown = ok_json(dir.path(), &["contacts", "show", &id, "--json"]);
    let history = shown["stage_history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["from"], "lead");
    assert_eq!(history[1]["to"], "disqualified");
    assert_eq!(history[1]["reason"], "kein Budget");
    assert_eq!(history[1]["by"], "hand");
    let text = kontor(dir.path(), &["contacts", "show", &id]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("lead → disqualified  by hand: kein Budget"));
}

#[test]
fn invalid_transitions_fail_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let id = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    let err = fails(dir.path(), &["contacts", "stage", &id, "customer"]);
    assert!(err.contains("not allowed"), "{err}");
    let err = fails(dir.path(), &["contacts", "stage", &id, "disqualified"]);
    assert!(err.contains("needs a reason"), "{err}");
    let err = fails(dir.path(), &["contacts", "stage", &id, "customer", "--force"]);
    assert!(err.contains("needs a reason"), "{err}");
    let err = fails(dir.path(), &["contacts", "stage", &id, "lead"]);
    assert!(err.contains("already"), "{err}");
    let shown = ok_json(dir.path(), &["contacts", "show", &id, "--json"]);
    assert_eq!(shown["stage"], "lead");
    assert_eq!(shown["stage_history"].as_array().unwrap().len(), 1);

    let forced = ok_json(
        dir.path(),
        &["contacts", "stage", &id, "customer", "--force", "--reason", "Altkunde", "--json"],
    );
    assert_eq!(forced["stage"], "customer");
}

#[test]
fn invalid_input_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(dir.path(), &["contacts", "add", "--first-name", "A", "--email", "not-an-email"]);
    assert!(err.contains("not a valid email address: not-an-email"), "{err}");
    let fresh = dir.path().join("new");
    fails(&fresh, &["contacts", "add", "--first-name", "A", "--email", "not-an-email"]);
    assert!(!fresh.exists(), "a failed first command leaves no data directory behind");
    let err = fails(dir.path(), &["contacts", "add", "--first-name", "A", "--phone", "call me"]);
    assert!(err.contains("not a valid phone number"), "{err}");
    fails(dir.path(), &["contacts", "add", "--email", "a@b.de"]);
    fails(dir.path(), &["contacts", "show", "nonsense"]);
    fails(dir.path(), &["contacts", "show", "0190b5c4-0000-7000-8000-000000000000"]);
    let bad_stage = kontor(dir.path(), &["contacts", "list", "--stage", "kunde"]);
    assert!(!bad_stage.status.success());
    assert_eq!(ok_json(dir.path(), &["contacts", "list", "--json"]), serde_json::json!([]));
}

#[test]
fn a_held_store_is_reported_clearly_and_left_intact() {
    let dir = tempfile::tempdir().unwrap();
    add_anna(dir.path());
    let held = kontor_core::Store::open(dir.path()).unwrap();
    let err = fails(dir.path(), &["contacts", "add", "--first-name", "Bert", "--json"]);
    assert!(err.contains("in use by another Kontor process"), "{err}");
    drop(held);
    let list = ok_json(dir.path(), &["contacts", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn data_dir_comes_from_the_environment_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kontor"))
        .args(["contacts", "add", "--first-name", "Env", "--json"])
        .env("KONTOR_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(ok_json(dir.path(), &["contacts", "list", "--json"])[0]["display_name"], "Env");
}

/// `kill -9` at any moment: every contact whose creation was reported
/// survives, and the store opens cleanly afterwards.
#[cfg(unix)]
#[test]
fn reported_writes_survive_kill_9() {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let script = r#"i=0; while true; do i=$((i+1)); "$KONTOR" contacts add --first-name "P$i" --email "p$i@example.de" --json || exit 1; done"#;
    let mut child = Command::new("bash")
        .args(["-c", script])
        .env("KONTOR", env!("CARGO_BIN_EXE_kontor"))
        .env("KONTOR_DATA_DIR", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let group = format!("-{}", child.id());
    assert!(Command::new("kill").args(["-KILL", "--", &group]).status().unwrap().success());
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    child.wait().unwrap();

    // Each complete JSON object printed is a contact the CLI reported as saved.
    let reported: Vec<Value> = serde_json::Deserializer::from_str(&out)
        .into_iter::<Value>()
        .take_while(Result::is_ok)
        .map(Result::unwrap)
        .collect();
    assert!(reported.len() >= 3, "too few writes before the kill: {}", reported.len());

    let store = kontor_core::Store::open(dir.path()).expect("the store opens after kill -9");
    for c in &reported {
        let id = uuid::Uuid::parse_str(c["id"].as_str().unwrap()).unwrap();
        let stored =
            store.contact(id, chrono::DateTime::UNIX_EPOCH).expect("a reported contact must survive");
        assert_eq!(stored.display_name, c["display_name"].as_str().unwrap());
    }
    assert!(store.contact_count().unwrap() >= reported.len());
}

#[test]
fn activities_criteria_and_score_explain_the_proposal() {
    let dir = tempfile::tempdir().unwrap();
    let id = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    let three_days_ago = "2026-05-01T10:00:00Z";
    let activity = ok_json(
        dir.path(),
        &[
            "activity",
            "add",
            &id,
            "--kind",
            "webinar_attended",
            "--at",
            three_days_ago,
            "--summary",
            "Webinar",
            "--concerns",
            "Preis?",
            "--json",
        ],
    );
    assert_eq!(activity["kind"], "webinar_attended");
    assert_eq!(activity["concerns"], "Preis?");

    let score = ok_json(dir.path(), &["score", &id, "--at", "2026-05-04T10:00:00Z", "--json"]);
    assert_eq!(score["score"], 14);
    assert_eq!(score["fit"], 0);
    assert_eq!(score["engagement"], 14);
    assert_eq!(score["proposal"], Value::Null);
    let reasons: Vec<&str> =
        score["lines"].as_array().unwrap().iter().map(|l| l["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"+14 webinar attended, 3 days ago"), "{reasons:?}");
    assert!(reasons.contains(&"+0 budget unknown"), "{reasons:?}");
    assert!(score["lines"][0]["points"].is_number());
    // Whole points read as integers, not 14.0.
    let raw = kontor(dir.path(), &["score", &id, "--at", "2026-05-04T10:00:00Z", "--json"]);
    let raw = String::from_utf8_lossy(&raw.stdout);
    assert!(raw.contains("\"points\": 14,") && raw.contains("\"points\": 0,"), "{raw}");
    assert!(!raw.contains(".0,"), "{raw}");

    let none = ok_json(dir.path(), &["contacts", "list", "--ready-to-qualify", "--json"]);
    assert_eq!(none, serde_json::json!([]));
    let c = ok_json(
        dir.path(),
        &["qualify", &id, "--target-group", "yes", "--budget", "yes", "--authority", "yes", "--json"],
    );
    assert_eq!(c["criteria"]["budget"], "yes");
    assert_eq!(c["proposal"], "prospect");
    let ready = ok_json(dir.path(), &["contacts", "list", "--ready-to-qualify", "--json"]);
    assert_eq!(ready[0]["id"], id.as_str());
    let out = kontor(dir.path(), &["contacts", "list", "--ready-to-qualify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let row = text.lines().find(|l| l.starts_with(id.as_str())).expect("a row for the contact");
    assert!(
        row.contains(&format!("score {:>3} — ready for prospect", ready[0]["score"].as_u64().unwrap())),
        "{row}"
    );
    let score = ok_json(dir.path(), &["score", &id, "--at", "2026-05-04T10:00:00Z", "--json"]);
    assert_eq!((score["fit"].as_u64(), score["proposal"].as_str()), (Some(35), Some("prospect")));

    let accepted = ok_json(dir.path(), &["qualify", &id, "--accept", "--json"]);
    assert_eq!(accepted["stage"], "prospect");
    assert_eq!(accepted["stage_history"][1]["by"], "rule");

    let listed = ok_json(dir.path(), &["activity", "list", &id, "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn bad_activity_and_criteria_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let id = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    let out = kontor(dir.path(), &["activity", "add", &id, "--kind", "telegram"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown activity kind"));
    let out = kontor(dir.path(), &["activity", "add", &id, "--kind", "call", "--at", "yesterday"]);
    assert!(!out.status.success());
    let out = kontor(dir.path(), &["qualify", &id, "--budget", "maybe"]);
    assert!(!out.status.success());
    let err = fails(dir.path(), &["qualify", &id, "--accept"]);
    assert!(err.contains("no qualification proposal"), "{err}");
    assert_eq!(ok_json(dir.path(), &["activity", "list", &id, "--json"]), serde_json::json!([]));
}

fn kontor_tz(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kontor"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("TZ", "Europe/Berlin")
        .output()
        .expect("run kontor")
}

fn tz_json(dir: &Path, args: &[&str]) -> Value {
    let out = kontor_tz(dir, args);
    assert!(out.status.success(), "kontor {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn tasks_remind_at_due_by_default_as_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    // Without --remind: at due, an all-day task at 09:00 local (Europe/Berlin
    // here: 08:00 UTC in winter); --no-remind: none.
    let day = tz_json(dir.path(), &["tasks", "add", "--title", "Messe", "--due", "2030-01-15", "--json"]);
    assert_eq!(day["reminders"].as_array().unwrap().len(), 1);
    assert_eq!(day["reminders"][0]["fire_at"], "2030-01-15T08:00:00Z");
    let timed = tz_json(
        dir.path(),
        &["tasks", "add", "--title", "Anruf", "--due", "2030-01-16T14:30:00+01:00", "--json"],
    );
    assert_eq!(timed["reminders"].as_array().unwrap().len(), 1);
    assert_eq!(timed["reminders"][0]["fire_at"], "2030-01-16T13:30:00Z");
    let quiet = tz_json(
        dir.path(),
        &["tasks", "add", "--title", "Still", "--due", "2030-01-17", "--no-remind", "--json"],
    );
    assert_eq!(quiet["reminders"], serde_json::json!([]));
    let out = kontor_tz(
        dir.path(),
        &["tasks", "add", "--title", "X", "--due", "2030-01-17", "--no-remind", "--remind", "1h"],
    );
    assert!(!out.status.success(), "--no-remind and --remind together are refused");
}

#[test]
fn tasks_add_due_done_snooze() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    let task = tz_json(
        dir.path(),
        &[
            "tasks",
            "add",
            "--title",
            "Angebot nachfassen",
            "--due",
            "2030-01-31T09:00:00+01:00",
            "--contact",
            &anna,
            "--remind",
            "15m",
            "--remind",
            "1d",
            "--repeat",
            "monthly",
            "--priority",
            "high",
            "--json",
        ],
    );
    for key in ["id", "title", "due", "contact_id", "priority", "done", "repeat", "reminders"] {
        assert!(task.get(key).is_some(), "missing {key} in {task}");
    }
    assert_eq!(task["due"], "2030-01-31T08:00:00Z");
    assert_eq!(task["contact_id"], anna.as_str());
    assert_eq!(task["priority"], "high");
    assert_eq!(task["repeat"], "monthly");
    assert_eq!(task["done"], false);
    assert_eq!(task["reminders"].as_array().unwrap().len(), 2);
    assert_eq!(task["reminders"][0]["fire_at"], "2030-01-31T07:45:00Z");

    let day = tz_json(dir.path(), &["tasks", "add", "--title", "Messe", "--due", "2030-01-15", "--json"]);
    assert_eq!(day["due"], "2030-01-15T00:00:00Z", "midnight UTC of the day, in every zone");
    assert_eq!(day["due_date"], "2030-01-15", "the day as the rep's calendar shows it");
    assert_eq!(task["due_date"], Value::Null);
    // A date as --until means up to the end of that (local) day.
    let due = tz_json(dir.path(), &["tasks", "due", "--until", "2030-01-15", "--json"]);
    assert_eq!(due.as_array().unwrap().len(), 1);
    let due = tz_json(dir.path(), &["tasks", "due", "--until", "2030-01-14", "--json"]);
    assert_eq!(due, serde_json::json!([]));
    // A date as snooze time means 09:00 local on that day.
    let messe = day["id"].as_str().unwrap();
    let snoozed = tz_json(dir.path(), &["tasks", "snooze", messe, "--until", "2030-01-16", "--json"]);
    assert_eq!(snoozed["snoozed_until"], "2030-01-16T08:00:00Z");

    let due = tz_json(dir.path(), &["tasks", "due", "--until", "2030-01-20T00:00:00Z", "--json"]);
    assert_eq!(due.as_array().unwrap().len(), 1);
    assert_eq!(due[0]["title"], "Messe");
    let due = tz_json(dir.path(), &["tasks", "due", "--until", "2030-02-01T00:00:00Z", "--json"]);
    assert_eq!(due.as_array().unwrap().len(), 2);

    let id = task["id"].as_str().unwrap();
    let snoozed = tz_json(dir.path(), &["tasks", "snooze", id, "--until", "2030-01-31T10:00:00Z", "--json"]);
    assert_eq!(snoozed["snoozed_until"], "2030-01-31T10:00:00Z");
    let done = tz_json(dir.path(), &["tasks", "done", id, "--json"]);
    assert_eq!(done["done"]["done"], true);
    assert_eq!(done["next"]["due"], "2030-02-28T08:00:00Z", "Jan 31 → Feb 28");
    let mine = tz_json(dir.path(), &["tasks", "list", "--contact", &anna, "--json"]);
    assert_eq!(mine.as_array().unwrap().len(), 2);
}

#[test]
fn bad_task_input_is_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["tasks", "add", "--title", "X", "--due", "next friday"],
        vec!["tasks", "add", "--title", "X", "--due", "2030-01-01", "--remind", "soon"],
        vec!["tasks", "add", "--title", "X", "--due", "2030-01-01", "--repeat", "hourly"],
        vec!["tasks", "add", "--title", " ", "--due", "2030-01-01"],
        vec![
            "tasks",
            "add",
            "--title",
            "X",
            "--due",
            "2030-01-01",
            "--contact",
            "0190b5c4-0000-7000-8000-000000000000",
        ],
    ] {
        let out = kontor_tz(dir.path(), &args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim().lines().count(), 1, "{args:?}");
        assert!(!dir.path().join("store").exists(), "{args:?} left a store behind in an empty directory");
    }
    assert_eq!(tz_json(dir.path(), &["tasks", "list", "--json"]), serde_json::json!([]));
}

#[test]
fn a_task_can_be_about_a_deal() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    let deal = add_deal(dir.path(), &anna, &[])["id"].as_str().unwrap().to_owned();
    let task = tz_json(
        dir.path(),
        &["tasks", "add", "--title", "Angebot nachfassen", "--due", "2030-01-15", "--deal", &deal, "--json"],
    );
    assert_eq!(task["deal_id"], deal.as_str());
    assert_eq!(task["contact_id"], anna.as_str(), "the deal's contact");
    let err = fails(
        dir.path(),
        &[
            "tasks",
            "add",
            "--title",
            "X",
            "--due",
            "2030-01-15",
            "--deal",
            "0190b5c4-0000-7000-8000-000000000000",
        ],
    );
    assert!(err.contains("deal"), "{err}");
}

fn add_deal(dir: &Path, contact: &str, extra: &[&str]) -> Value {
    let mut args = vec!["deals", "add", "--contact", contact, "--title", "Pumpe XL", "--value", "1234.50"];
    args.extend_from_slice(extra);
    args.push("--json");
    ok_json(dir, &args)
}

#[test]
fn deals_add_list_and_stage_couple_the_contact() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    let deal = add_deal(dir.path(), &anna, &["--close", "2026-06-30"]);
    assert_eq!(deal["value"], 1234.5);
    assert_eq!(deal["currency"], "EUR");
    assert_eq!(deal["stage"], "qualification");
    assert_eq!(deal["probability"], 10);
    assert_eq!(deal["close_date"], "2026-06-30");
    assert_eq!(deal["contact_id"], anna.as_str());
    let shown = ok_json(dir.path(), &["contacts", "show", &anna, "--json"]);
    assert_eq!(shown["stage"], "opportunity");
    assert_eq!(shown["stage_history"][1]["by"], "rule");

    let usd = add_deal(dir.path(), &anna, &["--currency", "usd", "--stage", "proposal"]);
    assert_eq!((usd["currency"].as_str(), usd["probability"].as_u64()), (Some("USD"), Some(50)));
    let all = ok_json(dir.path(), &["deals", "list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let proposals = ok_json(dir.path(), &["deals", "list", "--stage", "proposal", "--json"]);
    assert_eq!(proposals.as_array().unwrap().len(), 1);
    assert_eq!(proposals[0]["id"], usd["id"]);

    let id = deal["id"].as_str().unwrap();
    let won = ok_json(dir.path(), &["deals", "stage", id, "won", "--json"]);
    assert_eq!((won["stage"].as_str(), won["probability"].as_u64()), (Some("won"), Some(100)));
    let shown = ok_json(dir.path(), &["contacts", "show", &anna, "--json"]);
    assert_eq!(shown["stage"], "customer");
    let lost = ok_json(
        dir.path(),
        &["deals", "stage", usd["id"].as_str().unwrap(), "lost", "--reason", "Preis", "--json"],
    );
    assert_eq!(lost["lost_reason"], "Preis");
    let text = kontor(dir.path(), &["deals", "list"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Pumpe XL"));
}

#[test]
fn deals_errors_are_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    let id = add_deal(dir.path(), &anna, &[])["id"].as_str().unwrap().to_owned();
    let err = fails(dir.path(), &["deals", "stage", &id, "lost"]);
    assert!(err.contains("needs a reason"), "{err}");
    let err = fails(dir.path(), &["deals", "stage", &id, "gewonnen"]);
    assert!(err.contains("unknown deal stage") && err.contains("negotiation"), "{err}");
    assert_eq!(kontor(dir.path(), &["deals", "stage", &id, "lost"]).status.code(), Some(1));
    let shown = ok_json(dir.path(), &["deals", "list", "--json"]);
    assert_eq!(shown[0]["stage"], "qualification", "nothing written");
    let err = fails(
        dir.path(),
        &["deals", "add", "--contact", &anna, "--title", "T", "--value", "1", "--currency", "EURO"],
    );
    assert!(err.contains("currency"), "{err}");
    let err = fails(dir.path(), &["deals", "add", "--contact", &anna, "--title", "T", "--value", "viel"]);
    assert_eq!(
        kontor(dir.path(), &["deals", "add", "--contact", &anna, "--title", "T", "--value", "viel"])
            .status
            .code(),
        Some(2)
    );
    assert!(err.contains("viel"), "{err}");
    let err = fails(
        dir.path(),
        &["deals", "add", "--contact", &anna, "--title", "T", "--value", "1", "--close", "30.06.2026"],
    );
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    let err = fails(dir.path(), &["deals", "list", "--stage", "nope", "--json"]);
    assert!(err.contains("unknown deal stage"), "{err}");
}

#[test]
fn reports_print_json_tables_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path())["id"].as_str().unwrap().to_owned();
    let id = add_deal(dir.path(), &anna, &["--stage", "proposal"])["id"].as_str().unwrap().to_owned();
    let funnel = ok_json(dir.path(), &["report", "funnel", "--json"]);
    let stages = funnel["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 5);
    assert_eq!(stages[2]["stage"], "opportunity");
    assert_eq!(stages[2]["count"], 1);
    let pipeline = ok_json(dir.path(), &["report", "pipeline", "--json"]);
    assert_eq!(pipeline["total"], serde_json::json!([{"currency": "EUR", "amount": 1234.5}]));
    assert_eq!(pipeline["weighted"], serde_json::json!([{"currency": "EUR", "amount": 617.25}]));
    ok_json(dir.path(), &["deals", "stage", &id, "won", "--json"]);
    let pipeline =
        ok_json(dir.path(), &["report", "pipeline", "--from", "2000-01-01", "--to", "2999-12-31", "--json"]);
    assert_eq!((pipeline["won_count"].as_u64(), pipeline["win_rate"].as_f64()), (Some(1), Some(1.0)));
    let conversion = ok_json(dir.path(), &["report", "conversion", "--json"]);
    assert_eq!(conversion["steps"].as_array().unwrap().len(), 3);
    assert_eq!(conversion["steps"][2]["converted"], 1);
    let activities = ok_json(dir.path(), &["report", "activities", "--json"]);
    assert!(activities["weeks"].is_array());
    let csv = kontor(dir.path(), &["report", "funnel", "--csv"]);
    assert!(String::from_utf8_lossy(&csv.stdout).starts_with("Phase;Anzahl;Neu im Zeitraum\r\n"));
    let table = kontor(dir.path(), &["report", "pipeline"]);
    let table = String::from_utf8_lossy(&table.stdout).to_string();
    assert!(table.contains("Win rate (%)") && table.contains("100.0"), "{table}");
    let err = fails(dir.path(), &["report", "umsatz", "--json"]);
    assert!(err.contains("unknown report"), "{err}");
    assert_eq!(kontor(dir.path(), &["report", "funnel", "--from", "1.3.2026"]).status.code(), Some(2));
    let err = fails(dir.path(), &["report", "funnel", "--from", "2026-03-02", "--to", "2026-03-01"]);
    assert!(err.contains("after"), "{err}");
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/import").join(name)
}

fn import_json(dir: &Path, file: &Path, extra: &[&str]) -> Value {
    let file = file.to_str().unwrap();
    let mut args = vec!["import", file];
    args.extend_from_slice(extra);
    args.push("--json");
    ok_json(dir, &args)
}

#[test]
fn import_reports_the_contract_keys_and_every_rejected_line() {
    let dir = tempfile::tempdir().unwrap();
    let report = import_json(dir.path(), &fixture("excel_de.csv"), &[]);
    assert_eq!(report["imported"], 2);
    assert_eq!(report["merged"], 0);
    assert_eq!(report["skipped"], 1);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.iter().map(|e| e["line"].as_u64().unwrap()).collect::<Vec<_>>(), [6, 7]);
    assert!(errors.iter().all(|e| !e["reason"].as_str().unwrap().is_empty()));
    // Again: the same people are recognised, not doubled.
    let again = import_json(dir.path(), &fixture("excel_de.csv"), &[]);
    assert_eq!((again["imported"].as_u64(), again["skipped"].as_u64()), (Some(0), Some(3)));
    let list = ok_json(dir.path(), &["contacts", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[test]
fn import_presets_formats_and_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let dry = import_json(dir.path(), &fixture("hubspot.csv"), &["--dry-run"]);
    assert_eq!(dry["imported"], 5);
    assert_eq!(
        ok_json(dir.path(), &["contacts", "list", "--json"]).as_array().unwrap().len(),
        0,
        "dry run writes nothing"
    );
    import_json(dir.path(), &fixture("hubspot.csv"), &["--preset", "hubspot"]);
    let customers = ok_json(dir.path(), &["contacts", "list", "--stage", "customer", "--json"]);
    assert_eq!(customers[0]["display_name"], "Tom Wagner");
    assert_eq!(customers[0]["source"], "hubspot.csv");
    let v = import_json(dir.path(), &fixture("android.vcf"), &["--format", "vcard", "--source", "Handy"]);
    assert_eq!(v["imported"], 2);
    let boehm = ok_json(dir.path(), &["contacts", "list", "--search", "Böhm", "--json"]);
    assert_eq!(boehm[0]["phones"], serde_json::json!(["+4917612345678", "+4312345678"]));
    assert_eq!(boehm[0]["source"], "Handy");
    // A file that is neither: one clear line, exit 1.
    let junk = dir.path().join("bild.png");
    std::fs::write(&junk, b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    let err = fails(dir.path(), &["import", junk.to_str().unwrap(), "--json"]);
    assert!(err.contains("cannot import"), "{err}");
    let err = fails(dir.path(), &["import", "/nonexistent/list.csv"]);
    assert!(err.contains("/nonexistent/list.csv"), "{err}");
}

#[test]
fn export_backup_restore_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    import_json(dir.path(), &fixture("google_contacts.csv"), &[]);
    import_json(dir.path(), &fixture("outlook.csv"), &[]);
    let zoe = ok_json(
        dir.path(),
        &[
            "contacts",
            "add",
            "--first-name",
            "Zoe",
            "--last-name",
            "Zimmer",
            "--email",
            "zoe@zimmer.example",
            "--json",
        ],
    );
    let id = zoe["id"].as_str().unwrap();
    ok_json(dir.path(), &["activity", "add", id, "--kind", "call", "--summary", "Erstgespräch", "--json"]);
    ok_json(
        dir.path(),
        &["deals", "add", "--contact", id, "--title", "Wartung", "--value", "99.5", "--json"],
    );

    // vCard and CSV exports re-import to the same people.
    for (format, name) in [("vcard", "all.vcf"), ("csv", "all.csv"), ("json", "all.json")] {
        let out = dir.path().join(name);
        let o = kontor(dir.path(), &["export", "--format", format, "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let other = tempfile::tempdir().unwrap();
        let report = import_json(other.path(), &out, &[]);
        assert_eq!(report["imported"], 6, "{format}: {report}");
        assert_eq!(report["errors"], serde_json::json!([]), "{format}");
    }
    let stdout = kontor(dir.path(), &["export", "--format", "vcard"]);
    assert!(String::from_utf8_lossy(&stdout.stdout).starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"));

    let backup = dir.path().join("backup.json");
    let manifest = ok_json(dir.path(), &["backup", "--out", backup.to_str().unwrap(), "--json"]);
    assert_eq!(manifest["format"], "kontor-backup");
    assert_eq!(manifest["counts"]["contacts"], 6);
    assert_eq!(manifest["counts"]["activities"], 1);
    assert_eq!(manifest["counts"]["deals"], 1);

    let target = tempfile::tempdir().unwrap();
    let counts = ok_json(target.path(), &["restore", backup.to_str().unwrap(), "--json"]);
    assert_eq!(counts["contacts"], 6);
    let a = ok_json(dir.path(), &["contacts", "list", "--json"]);
    let b = ok_json(target.path(), &["contacts", "list", "--json"]);
    assert_eq!(a, b, "the restored store lists the same contacts");
    assert_eq!(
        ok_json(target.path(), &["deals", "list", "--json"]),
        ok_json(dir.path(), &["deals", "list", "--json"])
    );
    // Not over data without --force; with it, yes.
    let err = fails(target.path(), &["restore", backup.to_str().unwrap()]);
    assert!(err.contains("--force"), "{err}");
    ok_json(target.path(), &["restore", backup.to_str().unwrap(), "--force", "--json"]);
    // A damaged backup is refused before anything changes.
    let text = std::fs::read_to_string(&backup).unwrap().replace("Schmidt", "Schmitt");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, text).unwrap();
    let err = fails(target.path(), &["restore", bad.to_str().unwrap(), "--force"]);
    assert!(err.contains("checksum"), "{err}");
    assert_eq!(ok_json(target.path(), &["contacts", "list", "--json"]), a);
}

#[test]
fn gdpr_export_and_erase_one_person() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path());
    let id = anna["id"].as_str().unwrap();
    ok_json(dir.path(), &["activity", "add", id, "--kind", "visit", "--json"]);
    let out = kontor(
        dir.path(),
        &["tasks", "add", "--title", "Anrufen", "--due", "2026-12-01", "--contact", id, "--json"],
    );
    assert!(out.status.success());
    let export = ok_json(dir.path(), &["person", "export", id]);
    assert_eq!(export["contact"]["emails"], serde_json::json!(["anna@example.de"]));
    assert_eq!(export["activities"].as_array().unwrap().len(), 1);
    assert_eq!(export["tasks"].as_array().unwrap().len(), 1);
    assert!(export["score"]["lines"].is_array());

    let erased = ok_json(dir.path(), &["person", "erase", id, "--json"]);
    assert_eq!(erased["display_name"], "Anna Schmidt");
    assert_eq!(ok_json(dir.path(), &["contacts", "list", "--json"]), serde_json::json!([]));
    assert_eq!(ok_json(dir.path(), &["tasks", "list", "--view", "open", "--json"]), serde_json::json!([]));
    let err = fails(dir.path(), &["person", "export", id]);
    assert!(err.contains("no contact"), "{err}");
}

#[test]
fn duplicates_lists_pairs_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    add_anna(dir.path());
    ok_json(
        dir.path(),
        &[
            "contacts",
            "add",
            "--first-name",
            "Ana",
            "--last-name",
            "Schmidt",
            "--organization",
            "acme ag",
            "--phone",
            "+49 170 1234567",
            "--json",
        ],
    );
    let pairs = ok_json(dir.path(), &["duplicates", "--json"]);
    assert_eq!(pairs.as_array().unwrap().len(), 1);
    let kinds: Vec<&str> =
        pairs[0]["reasons"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["phone", "name"]);
    assert_eq!(pairs[0]["a"]["first_name"], "Anna");
}

#[test]
fn search_finds_contacts_organisations_and_deals_best_first() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path());
    let id = anna["id"].as_str().unwrap();
    ok_json(
        dir.path(),
        &["deals", "add", "--contact", id, "--title", "Acme Rahmenvertrag", "--value", "9000", "--json"],
    );
    let csv = dir.path().join("liste.csv");
    std::fs::write(
        &csv,
        "Vorname;Nachname;Firma;Ort;Bemerkung\nJürgen;Müller;Bäckerei Rauch;Würzburg;Messe Nürnberg\n",
    )
    .unwrap();
    ok_json(dir.path(), &["import", csv.to_str().unwrap(), "--json"]);

    let hits = ok_json(dir.path(), &["search", "acme", "--json"]);
    let hits = hits.as_array().unwrap();
    // Every hit has exactly the contract's keys.
    for h in hits {
        let mut keys: Vec<&str> = h.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["id", "kind", "matched", "subtitle", "title"]);
    }
    let kinds: Vec<&str> = hits.iter().map(|h| h["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 3, "{hits:?}");
    assert!(kinds.contains(&"contact") && kinds.contains(&"organization") && kinds.contains(&"deal"));
    let anna_hit = hits.iter().find(|h| h["kind"] == "contact").unwrap();
    assert_eq!(anna_hit["id"], id);
    assert_eq!(anna_hit["title"], "Anna Schmidt");
    assert_eq!(anna_hit["matched"], serde_json::json!(["organization"]));

    // Typos, umlauts, a kind and a limit.
    let hits = ok_json(dir.path(), &["search", "wurzbrug", "--json"]);
    assert_eq!(hits[0]["title"], "Jürgen Müller");
    assert_eq!(hits[0]["matched"], serde_json::json!(["city"]));
    let hits = ok_json(dir.path(), &["search", "mueller", "--kind", "contact", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 1);
    let hits =
        ok_json(dir.path(), &["search", "backerei", "--kind", "organization", "--limit", "1", "--json"]);
    assert_eq!(hits[0]["title"], "Bäckerei Rauch");
    assert_eq!(ok_json(dir.path(), &["search", "niemand", "--json"]), serde_json::json!([]));
    let err = fails(dir.path(), &["search", "x", "--kind", "people"]);
    assert!(err.contains("people"), "{err}");
    // contacts list --search uses the same index.
    let list = ok_json(dir.path(), &["contacts", "list", "--search", "wurzbrug", "--json"]);
    assert_eq!(list[0]["display_name"], "Jürgen Müller");
}

/// `kill -9` at any moment of imports (each ends by merging into a new
/// search segment), additions (the delta) and erasures: every contact the
/// store holds is found by its email, no erased one is, and nothing
/// reported as written is lost. `KONTOR_CRASH_ROUNDS` runs more rounds,
/// `KONTOR_CRASH_ROWS` imports more rows at a time (over 2000, an import
/// writes several batches, planned and written on two threads).
#[cfg(unix)]
#[test]
fn kill_9_during_index_merges_loses_nothing_and_search_stays_right() {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let rounds: u64 = std::env::var("KONTOR_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(6);
    let rows: u64 = std::env::var("KONTOR_CRASH_ROWS").ok().and_then(|r| r.parse().ok()).unwrap_or(40);
    let script = r#"
        i=0
        while true; do
          i=$((i+1))
          f="$WORK/batch$i.csv"
          printf 'Vorname;Nachname;E-Mail\n' > "$f"
          for j in $(seq 1 "$ROWS"); do printf 'V%s;N%s;imp%s-%s@example.de\n' "$i" "$j" "$i" "$j"; done >> "$f"
          "$KONTOR" import "$f" --json > /dev/null || exit 1
          "$KONTOR" contacts add --first-name "Add$i" --email "add$i@example.de" --json > /dev/null || exit 1
          id=$("$KONTOR" contacts list --search "imp$i-1@example.de" --json | sed -n 's/.*"id": "\([^"]*\)".*/\1/p' | head -1)
          if [ -n "$id" ]; then "$KONTOR" person erase "$id" --json > /dev/null && echo "erased $id imp$i-1@example.de"; fi
        done"#;
    for round in 0..rounds {
        let child = Command::new("bash")
            .args(["-c", script])
            .env("KONTOR", env!("CARGO_BIN_EXE_kontor"))
            .env("KONTOR_DATA_DIR", dir.path())
            .env("WORK", dir.path())
            .env("ROWS", rows.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap();
        // Different moments each round.
        std::thread::sleep(std::time::Duration::from_millis(700 + 397 * (round % 7)));
        let group = format!("-{}", child.id());
        assert!(Command::new("kill").args(["-KILL", "--", &group]).status().unwrap().success());
        let out = child.wait_with_output().unwrap();
        let erased: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("erased ")?.split_once(' '))
            .map(|(id, email)| (id.to_owned(), email.to_owned()))
            .collect();

        // The next command finds the store whole (rebuilding what it must).
        let all = ok_json(dir.path(), &["contacts", "list", "--json"]);
        let all = all.as_array().unwrap();
        // Each contact by its own email (a sample: a CLI run each), and all
        // of them by the word their emails share.
        for c in all.iter().rev().take(8) {
            let email = c["emails"][0].as_str().unwrap();
            let found = ok_json(dir.path(), &["search", email, "--kind", "contact", "--json"]);
            let ids: Vec<&str> =
                found.as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
            assert!(ids.contains(&c["id"].as_str().unwrap()), "round {round}: {email} not found");
        }
        for (id, email) in &erased {
            let found = ok_json(dir.path(), &["search", email, "--json"]);
            assert!(
                found.as_array().unwrap().iter().all(|h| h["id"] != id.as_str()),
                "round {round}: erased {email} found"
            );
            assert!(all.iter().all(|c| c["id"] != id.as_str()), "round {round}: erased {email} listed");
        }
        let counted =
            ok_json(dir.path(), &["search", "example", "--kind", "contact", "--limit", "10000000", "--json"]);
        let mut found: Vec<&str> =
            counted.as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
        let mut listed: Vec<&str> = all.iter().map(|c| c["id"].as_str().unwrap()).collect();
        found.sort_unstable();
        listed.sort_unstable();
        assert_eq!(found, listed, "round {round}: search and list disagree");
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("viele.csv");
    let mut text = String::from("Vorname,Nachname,Firma,E-Mail\n");
    for i in 0..400 {
        text.push_str(&format!("Anna{i},Schmidt{i},Acme {i} GmbH,anna{i}@acme.example\n"));
    }
    std::fs::write(&csv, text).unwrap();
    ok_json(dir.path(), &["import", csv.to_str().unwrap(), "--json"]);
    for args in [&["contacts", "list", "--json"][..], &["contacts", "list"][..]] {
        // Like `kontor contacts list | head -c 100`: more output than a pipe holds, read a little.
        let mut child = Command::new(env!("CARGO_BIN_EXE_kontor"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn contacts_edit_changes_what_it_names_prints_as_show_and_a_refusal_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path());
    let id = anna["id"].as_str().unwrap();
    let edited = ok_json(
        dir.path(),
        &[
            "contacts",
            "edit",
            id,
            "--last-name",
            "Schmidt-Weber",
            "--title",
            "Leitung Einkauf",
            "--organization",
            "Müller AG",
            "--add-email",
            "anna@mueller.de",
            "--remove-email",
            "ANNA@example.de",
            "--add-phone",
            "+44 7700 900123",
            "--remove-phone",
            "0170 123 4567",
            "--add-tag",
            "messe-2026",
            "--notes",
            "Rückruf",
            "--json",
        ],
    );
    let shown = ok_json(dir.path(), &["contacts", "show", id, "--json"]);
    assert_eq!(edited, shown, "edit prints the contact as show does");
    assert_eq!(edited["display_name"], "Anna Schmidt-Weber");
    assert_eq!(edited["title"], "Leitung Einkauf");
    assert_eq!(edited["organization"], "Müller AG");
    assert_eq!(edited["emails"], serde_json::json!(["anna@mueller.de"]));
    assert_eq!(edited["phones"], serde_json::json!(["+447700900123"]));
    assert_eq!(edited["tags"], serde_json::json!(["messe-2026"]));
    assert_eq!(edited["source"], "Messe", "not named: unchanged");
    // "" clears an optional field
    let cleared = ok_json(dir.path(), &["contacts", "edit", id, "--title", "", "--json"]);
    assert_eq!(cleared["title"], Value::Null);

    // Refusals: exit 1, one line, nothing written.
    let before = ok_json(dir.path(), &["contacts", "show", id, "--json"]);
    let err =
        fails(dir.path(), &["contacts", "edit", id, "--title", "Chef", "--remove-email", "nobody@x.de"]);
    assert!(err.contains("nobody@x.de is not one of this contact's email addresses"), "{err}");
    let err = fails(dir.path(), &["contacts", "edit", id, "--title", "Chef", "--add-email", "kaputt"]);
    assert!(err.contains("kaputt"), "{err}");
    let err = fails(dir.path(), &["contacts", "edit", id, "--first-name", "", "--last-name", ""]);
    assert!(err.to_lowercase().contains("name"), "{err}");
    fails(dir.path(), &["contacts", "edit", "00000000-0000-0000-0000-000000000000", "--title", "X"]);
    assert_eq!(ok_json(dir.path(), &["contacts", "show", id, "--json"]), before);
    let out = kontor(dir.path(), &["contacts", "edit", id, "--title", "Chef", "--add-email", "kaputt"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn organizations_list_and_show_count_contacts_and_open_deals() {
    let dir = tempfile::tempdir().unwrap();
    let anna = add_anna(dir.path());
    let bert = ok_json(
        dir.path(),
        &[
            "contacts",
            "add",
            "--first-name",
            "Bert",
            "--last-name",
            "Brauer",
            "--organization",
            "Acme AG",
            "--json",
        ],
    );
    ok_json(
        dir.path(),
        &["contacts", "add", "--first-name", "Carl", "--organization", "Zeta GmbH", "--json"],
    );
    let anna_id = anna["id"].as_str().unwrap();
    ok_json(
        dir.path(),
        &["deals", "add", "--contact", anna_id, "--title", "Lizenz", "--value", "1200", "--json"],
    );
    let lost = ok_json(
        dir.path(),
        &[
            "deals",
            "add",
            "--contact",
            bert["id"].as_str().unwrap(),
            "--title",
            "Alt",
            "--value",
            "50",
            "--json",
        ],
    );
    ok_json(
        dir.path(),
        &["deals", "stage", lost["id"].as_str().unwrap(), "lost", "--reason", "zu teuer", "--json"],
    );

    let list = ok_json(dir.path(), &["organizations", "list", "--json"]);
    let rows: Vec<(String, u64, u64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let keys: Vec<&str> = o.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["contacts", "id", "name", "open_deals"], "the contract's keys");
            (
                o["name"].as_str().unwrap().to_owned(),
                o["contacts"].as_u64().unwrap(),
                o["open_deals"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [("Acme AG".to_owned(), 2, 1), ("Zeta GmbH".to_owned(), 1, 0)]);
    let found = ok_json(dir.path(), &["organizations", "list", "--search", "acme", "--json"]);
    assert_eq!(found[0]["name"], "Acme AG");
    let acme = ok_json(dir.path(), &["organizations", "show", list[0]["id"].as_str().unwrap(), "--json"]);
    assert_eq!(acme["name"], "Acme AG");
    assert_eq!(acme["contacts"].as_array().unwrap().len(), 2);
    assert_eq!(acme["deals"].as_array().unwrap().len(), 2);
    assert_eq!(acme["open_deals"], 1);
    let text = kontor(dir.path(), &["organizations", "list"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Acme AG"));
}

#[test]
fn contacts_list_sorts_by_every_order_the_contract_names() {
    let dir = tempfile::tempdir().unwrap();
    let add = |first: &str, last: &str, org: Option<&str>| -> String {
        let mut args = vec!["contacts", "add", "--first-name", first, "--last-name", last, "--json"];
        if let Some(org) = org {
            args.extend(["--organization", org]);
        }
        ok_json(dir.path(), &args)["id"].as_str().unwrap().to_owned()
    };
    let zoe = add("Zoe", "Adler", Some("Zeta GmbH"));
    let anna = add("Anna", "Zimmer", Some("Alpha AG"));
    let max = add("Max", "Müller", None);
    ok_json(dir.path(), &["contacts", "stage", &anna, "prospect", "--json"]);
    ok_json(dir.path(), &["activity", "add", &max, "--kind", "webinar_attended", "--json"]);
    ok_json(
        dir.path(),
        &["activity", "add", &zoe, "--kind", "call", "--at", "2020-01-01T10:00:00Z", "--json"],
    );
    ok_json(
        dir.path(),
        &["tasks", "add", "--title", "soon", "--due", "2031-01-01", "--contact", &max, "--json"],
    );
    ok_json(
        dir.path(),
        &["tasks", "add", "--title", "later", "--due", "2032-01-01", "--contact", &zoe, "--json"],
    );
    let names = |sort: &str| -> Vec<String> {
        let list = ok_json(dir.path(), &["contacts", "list", "--sort", sort, "--json"]);
        list.as_array().unwrap().iter().map(|c| c["display_name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names("name"), ["Anna Zimmer", "Max Müller", "Zoe Adler"], "the display name");
    assert_eq!(names("last-name"), ["Zoe Adler", "Max Müller", "Anna Zimmer"]);
    assert_eq!(names("company"), ["Anna Zimmer", "Zoe Adler", "Max Müller"], "no company last");
    assert_eq!(names("score")[0], "Max Müller", "the webinar scores highest");
    assert_eq!(
        names("stage"),
        ["Zoe Adler", "Max Müller", "Anna Zimmer"],
        "leads by last name, then the prospect"
    );
    // Anna's first call (made by the rule when she became a prospect) is soonest.
    assert_eq!(names("next-task"), ["Anna Zimmer", "Max Müller", "Zoe Adler"]);
    assert_eq!(names("last-activity"), ["Max Müller", "Zoe Adler", "Anna Zimmer"], "no activity last");
    ok_json(dir.path(), &["contacts", "edit", &zoe, "--title", "Inhaberin", "--json"]);
    assert_eq!(names("last-change")[0], "Zoe Adler", "the last one changed");
    let bad = fails(dir.path(), &["contacts", "list", "--sort", "shoe-size"]);
    assert!(bad.contains("last-name"), "the error names the orders: {bad}");
}

#[test]
fn contacts_list_shows_a_saved_view_by_name() {
    let dir = tempfile::tempdir().unwrap();
    for (first, tag) in [("Anna", "Messe"), ("Bert", "VIP"), ("Carl", "messe")] {
        ok_json(dir.path(), &["contacts", "add", "--first-name", first, "--tag", tag, "--json"]);
    }
    assert!(fails(dir.path(), &["contacts", "list", "--view", "Messe"]).contains("none are saved"));
    {
        // The window saves views in the settings; here the store is written directly.
        let store = kontor_core::Store::open(dir.path()).unwrap();
        let mut settings = store.settings();
        settings.saved_views = vec![kontor_core::filter::SavedView {
            id: "view-1".into(),
            name: "Messe-Kontakte".into(),
            stage: None,
            filter: kontor_core::filter::ContactFilter { tag: Some("messe".into()), ..Default::default() },
        }];
        store
            .set_settings(
                &settings,
                chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 2, 9, 0, 0).unwrap(),
            )
            .unwrap();
    }
    let listed = ok_json(dir.path(), &["contacts", "list", "--view", "messe-kontakte", "--json"]);
    let names: Vec<&str> =
        listed.as_array().unwrap().iter().map(|c| c["first_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Anna", "Carl"]);
    let err = fails(dir.path(), &["contacts", "list", "--view", "Nope"]);
    assert!(err.contains("Messe-Kontakte"), "{err}");
}
