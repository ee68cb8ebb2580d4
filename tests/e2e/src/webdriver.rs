//! A minimal W3C WebDriver client over plain HTTP/1.1 on localhost: just the
//! calls the end-to-end tests make.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

/// One WebDriver session.
pub struct Session {
    port: u16,
    id: String,
}

/// A found element.
#[derive(Clone, Debug)]
pub struct Element(String);

/// A WebDriver failure, with the driver's message.
#[derive(Debug)]
pub struct DriverError(pub String);

impl std::fmt::Display for DriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The driver's result type.
pub type Result<T> = std::result::Result<T, DriverError>;

/// The Shift key, for [`Session::click_holding`] and key sequences (W3C WebDriver).
pub const SHIFT: &str = "\u{E008}";
/// The Control key, for [`Session::click_holding`] and key sequences (W3C WebDriver).
pub const CONTROL: &str = "\u{E009}";
/// The Enter key.
pub const ENTER: &str = "\u{E007}";
/// The down arrow key.
pub const ARROW_DOWN: &str = "\u{E015}";
/// The Escape key.
pub const ESCAPE: &str = "\u{E00C}";

/// Sends one HTTP request to the driver and returns the `value` of its JSON
/// answer. tauri-driver now and then closes a connection without answering
/// or resets it (its pooled connection to WebKitWebDriver went stale, or the
/// native driver was not up yet); such a request never reached the browser,
/// so it is sent again.
pub fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
    for _ in 0..3 {
        let raw = exchange(port, method, path, body)?;
        if !raw.is_empty() {
            return parse_answer(method, path, &raw);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(DriverError(format!("{method} {path}: no answer from the driver")))
}

fn exchange(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Vec<u8>> {
    let err = |e: std::io::Error| DriverError(format!("{method} {path}: {e}"));
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(err)?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(err)?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(format!("{head}{body}").as_bytes()).map_err(err)?;
    let mut raw = Vec::new();
    match stream.read_to_end(&mut raw) {
        Ok(_) => Ok(raw),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && raw.is_empty() => Ok(raw),
        Err(e) => Err(err(e)),
    }
}

fn parse_answer(method: &str, path: &str, raw: &[u8]) -> Result<Value> {
    let text = String::from_utf8_lossy(raw);
    let (head, payload) =
        text.split_once("\r\n\r\n").ok_or_else(|| DriverError(format!("bad answer: {text}")))?;
    let payload = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(payload)
    } else {
        payload.to_owned()
    };
    let value: Value = serde_json::from_str(&payload)
        .map_err(|e| DriverError(format!("{method} {path}: {e}: {payload}")))?;
    let value = value.get("value").cloned().unwrap_or(Value::Null);
    if let Some(error) = value.get("error") {
        return Err(DriverError(format!("{method} {path}: {error}: {}", value["message"])));
    }
    Ok(value)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

impl Session {
    /// Starts a session that launches `application` (tauri-driver's capability).
    pub fn start(port: u16, application: &str) -> Result<Session> {
        let caps =
            json!({ "capabilities": { "alwaysMatch": { "tauri:options": { "application": application } } } });
        let value = request(port, "POST", "/session", Some(&caps))?;
        let id = value["sessionId"].as_str().ok_or_else(|| DriverError(format!("no session id: {value}")))?;
        Ok(Session { port, id: id.to_owned() })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        request(self.port, method, &format!("/session/{}{path}", self.id), body.as_ref())
    }

    /// Ends the session (and with it the app).
    pub fn quit(self) -> Result<()> {
        self.call("DELETE", "", None).map(|_| ())
    }

    /// Sizes the window (outer size, in CSS pixels).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.call("POST", "/window/rect", Some(json!({ "width": width, "height": height }))).map(|_| ())
    }

    /// Closes the current window (as the window's close button does).
    pub fn close_window(&self) -> Result<()> {
        self.call("DELETE", "/window", None).map(|_| ())
    }

    /// All elements matching a CSS selector, now.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let found = self.call("POST", "/elements", Some(json!({ "using": "css selector", "value": css })))?;
        Ok(found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e.as_object()?.values().next()?.as_str().map(|id| Element(id.to_owned())))
            .collect())
    }

    /// Waits up to `timeout` for an element matching `css`.
    pub fn wait(&self, css: &str, timeout: Duration) -> Result<Element> {
        let start = Instant::now();
        loop {
            if let Some(e) = retry_stale(self.find_all(css))?.into_iter().flatten().next() {
                return Ok(e);
            }
            if start.elapsed() > timeout {
                return Err(DriverError(format!("no element {css} after {timeout:?}")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `check` holds for the text of the first element matching `css`.
    pub fn wait_text(&self, css: &str, timeout: Duration, check: impl Fn(&str) -> bool) -> Result<String> {
        let start = Instant::now();
        let mut last = String::new();
        loop {
            if let Some(e) = retry_stale(self.find_all(css))?.into_iter().flatten().next() {
                if let Ok(text) = self.text(&e) {
                    if check(&text) {
                        return Ok(text);
                    }
                    last = text;
                }
            }
            if start.elapsed() > timeout {
                return Err(DriverError(format!("{css} never had the expected text; last: {last:?}")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Clicks an element.
    pub fn click(&self, e: &Element) -> Result<()> {
        self.call("POST", &format!("/element/{}/click", e.0), Some(json!({}))).map(|_| ())
    }

    /// Clears an input and types `text` into it.
    pub fn type_into(&self, e: &Element, text: &str) -> Result<()> {
        self.call("POST", &format!("/element/{}/clear", e.0), Some(json!({})))?;
        if text.is_empty() {
            return Ok(());
        }
        self.call("POST", &format!("/element/{}/value", e.0), Some(json!({ "text": text }))).map(|_| ())
    }

    /// Drags `from` onto `to` with the mouse, as a hand would: press on the
    /// first, move in steps, release over the second (W3C pointer actions).
    pub fn drag(&self, from: &Element, to: &Element) -> Result<()> {
        let origin = |e: &Element| json!({ "element-6066-11e4-a52e-4f735466cecf": e.0 });
        let mut steps = vec![
            json!({ "type": "pointerMove", "duration": 0, "origin": origin(from), "x": 0, "y": 0 }),
            json!({ "type": "pointerDown", "button": 0 }),
            json!({ "type": "pause", "duration": 100 }),
        ];
        for dx in [5, 10, 20, 40] {
            steps
                .push(json!({ "type": "pointerMove", "duration": 50, "origin": "pointer", "x": dx, "y": 2 }));
        }
        steps.push(json!({ "type": "pointerMove", "duration": 300, "origin": origin(to), "x": 0, "y": 0 }));
        steps.push(json!({ "type": "pause", "duration": 100 }));
        steps.push(json!({ "type": "pointerUp", "button": 0 }));
        let actions = json!({ "actions": [{
            "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" }, "actions": steps
        }]});
        self.call("POST", "/actions", Some(actions))?;
        self.call("DELETE", "/actions", None).map(|_| ())
    }

    /// Clicks an element while holding a modifier key (W3C key and pointer
    /// actions): `SHIFT` or `CONTROL`.
    pub fn click_holding(&self, e: &Element, modifier: &str) -> Result<()> {
        let origin = json!({ "element-6066-11e4-a52e-4f735466cecf": e.0 });
        let keys = json!({ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": modifier },
            { "type": "pause", "duration": 0 }, { "type": "pause", "duration": 0 }, { "type": "pause", "duration": 0 },
            { "type": "keyUp", "value": modifier },
        ]});
        let mouse = json!({ "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" }, "actions": [
            { "type": "pause", "duration": 0 },
            { "type": "pointerMove", "duration": 0, "origin": origin, "x": 0, "y": 0 },
            { "type": "pointerDown", "button": 0 },
            { "type": "pointerUp", "button": 0 },
            { "type": "pause", "duration": 0 },
        ]});
        self.call("POST", "/actions", Some(json!({ "actions": [keys, mouse] })))?;
        self.call("DELETE", "/actions", None).map(|_| ())
    }

    /// Sends keys to an element without clearing it first.
    pub fn send_keys(&self, e: &Element, text: &str) -> Result<()> {
        self.call("POST", &format!("/element/{}/value", e.0), Some(json!({ "text": text }))).map(|_| ())
    }

    /// The rendered text of an element (`innerText` with whitespace collapsed; WebKitWebDriver's own
    /// "element text" comes back empty for text in `overflow: hidden` boxes).
    pub fn text(&self, e: &Element) -> Result<String> {
        let text = self.execute("return arguments[0].innerText;", vec![e.as_arg()])?;
        // Whitespace collapsed, as one reads it: "+15\nwebinar" is "+15 webinar".
        Ok(text.as_str().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// Runs a script in the page and returns its result.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Makes the page paint a few more times over the next two seconds.
    /// WebKitGTK's snapshot (without compositing, as under Xvfb) waits for
    /// the next paint, which a page at rest never makes. The change (opacity
    /// 0.999 and back) cannot be seen.
    pub fn repaint_soon(&self) -> Result<()> {
        let script = "const s = document.documentElement.style; \
            for (let i = 1; i <= 10; i++) setTimeout(() => { s.opacity = i % 2 ? '0.999' : ''; }, i * 200); \
            return true;";
        self.execute(script, vec![]).map(|_| ())
    }

    /// A PNG screenshot of the window.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        self.repaint_soon()?;
        let b64 = self.call("GET", "/screenshot", None)?;
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .map_err(|e| DriverError(format!("screenshot: {e}")))
    }
}

/// The UI re-renders while it is queried; a stale element is "not yet", not
/// a failure: `Ok(None)` asks the caller to look again.
pub fn retry_stale<T>(result: Result<T>) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(DriverError(message)) if message.contains("stale element") => Ok(None),
        Err(e) => Err(e),
    }
}

impl Element {
    /// The element reference as a script argument.
    pub fn as_arg(&self) -> Value {
        json!({ "element-6066-11e4-a52e-4f735466cecf": self.0 })
    }
}
