//! iCalendar (RFC 5545) for the rep's own calendar: appointments written
//! as a calendar that Outlook, Google Calendar and Thunderbird import, and
//! calendars those programs write read back as events.
//!
//! Writing: CRLF lines folded at 75 octets (never inside a UTF-8
//! character), text escaped, a `VTIMEZONE` with the zone's real
//! transitions for the years the events span, times in that zone, all-day
//! events as dates, `VALARM`s for reminders, a stable `UID` per event and a
//! `DTSTAMP`.
//!
//! Reading: folded lines, quoted parameters, `TZID` as an IANA name, a
//! Windows zone name (Outlook) or a `VTIMEZONE` of the file, UTC and
//! floating times (`X-WR-TIMEZONE`, else the rep's zone), dates, `DTEND`
//! or `DURATION`, alarms relative to the start or end, attendees' emails.
//! An event that cannot be read is reported with its line and the reason;
//! the others are still read.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// When an event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// From `start` to `end`.
    Timed {
        /// Start.
        start: DateTime<Utc>,
        /// End (not before the start).
        end: DateTime<Utc>,
    },
    /// Whole days, `first` to `last` inclusive.
    AllDay {
        /// First day.
        first: NaiveDate,
        /// Last day.
        last: NaiveDate,
    },
}

/// One calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Stable id across exports and imports.
    pub uid: String,
    /// Title.
    pub summary: String,
    /// When.
    pub when: When,
    /// Where.
    pub location: Option<String>,
    /// Notes.
    pub description: Option<String>,
    /// Reminders, in minutes before the start.
    pub alarms: Vec<u32>,
    /// Attendees' email addresses.
    pub attendees: Vec<String>,
}

// ---- writing ---------------------------------------------------------------------

/// Escapes TEXT values (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets with CRLF + space, never inside a
/// character.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// The zone's offset changes between the start of `from` and the end of `to`
/// (years): (UTC instant, offset before, offset after, name after).
fn transitions(tz: Tz, from: i32, to: i32) -> Vec<(DateTime<Utc>, i32, i32, String)> {
    let offset = |t: DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc();
    let mut out = Vec::new();
    let (Some(mut t), Some(end)) = (
        Utc.with_ymd_and_hms(from, 1, 1, 0, 0, 0).single(),
        Utc.with_ymd_and_hms(to + 1, 1, 1, 0, 0, 0).single(),
    ) else {
        return out;
    };
    let mut before = offset(t);
    while t < end {
        let next = t + Duration::hours(1);
        let after = offset(next);
        if after != before {
            // The exact minute within the hour.
            let mut at = t;
            while offset(at) == before {
                at += Duration::minutes(1);
            }
            let name = tz.offset_from_utc_datetime(&at.naive_utc()).to_string();
            out.push((at, before, after, name));
            before = after;
        }
        t = next;
    }
    out
}

fn push_timezone(out: &mut String, tz: Tz, from: i32, to: i32) {
    push_line(out, "BEGIN:VTIMEZONE");
    push_line(out, &format!("TZID:{}", tz.name()));
    let changes = transitions(tz, from - 1, to + 1);
    if changes.is_empty() {
        let jan = Utc.with_ymd_and_hms(from, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let off = tz.offset_from_utc_datetime(&jan.naive_utc());
        let seconds = off.fix().local_minus_utc();
        push_line(out, "BEGIN:STANDARD");
        push_line(out, "DTSTART:19700101T000000");
        push_line(out, &format!("TZOFFSETFROM:{}", offset_text(seconds)));
        push_line(out, &format!("TZOFFSETTO:{}", offset_text(seconds)));
        push_line(out, &format!("TZNAME:{off}"));
        push_line(out, "END:STANDARD");
    }
    for (at, before, after, name) in changes {
        let kind = if after > before { "DAYLIGHT" } else { "STANDARD" };
        // DTSTART is the local time, in the offset before the change.
        let local = at.naive_utc() + Duration::seconds(i64::from(before));
        push_line(out, &format!("BEGIN:{kind}"));
        push_line(out, &format!("DTSTART:{}", local.format("%Y%m%dT%H%M%S")));
        push_line(out, &format!("TZOFFSETFROM:{}", offset_text(before)));
        push_line(out, &format!("TZOFFSETTO:{}", offset_text(after)));
        push_line(out, &format!("TZNAME:{name}"));
        push_line(out, &format!("END:{kind}"));
    }
    push_line(out, "END:VTIMEZONE");
}

/// A calendar named `name` of `events`, times in `tz`, stamped `now`.
pub fn write_calendar(events: &[IcsEvent], tz: Tz, name: &str, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kontor//Kontor CRM//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    push_line(&mut out, &format!("X-WR-TIMEZONE:{}", tz.name()));
    let years = events.iter().map(|e| match e.when {
        When::Timed { start, .. } => start.with_timezone(&tz).naive_local().date(),
        When::AllDay { first, .. } => first,
    });
    let (from, to) = years.fold((i32::MAX, i32::MIN), |(a, b), d| {
        let y = chrono::Datelike::year(&d);
        (a.min(y), b.max(y))
    });
    let (from, to) = if from > to {
        (chrono::Datelike::year(&now.date_naive()), chrono::Datelike::year(&now.date_naive()))
    } else {
        (from, to)
    };
    push_timezone(&mut out, tz, from, to);
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).naive_local().format("%Y%m%dT%H%M%S").to_string();
    for e in events {
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", escape(&e.uid)));
        push_line(&mut out, &format!("DTSTAMP:{}", utc_stamp(now)));
        match e.when {
            When::Timed { start, end } => {
                push_line(&mut out, &format!("DTSTART;TZID={}:{}", tz.name(), local(start)));
                push_line(&mut out, &format!("DTEND;TZID={}:{}", tz.name(), local(end.max(start))));
            }
            When::AllDay { first, last } => {
                let after = last.max(first).succ_opt().unwrap_or(last);
                push_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", first.format("%Y%m%d")));
                push_line(&mut out, &format!("DTEND;VALUE=DATE:{}", after.format("%Y%m%d")));
            }
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if let Some(l) = e.location.as_deref().filter(|l| !l.is_empty()) {
            push_line(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        if let Some(d) = e.description.as_deref().filter(|d| !d.is_empty()) {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(d)));
        }
        for a in &e.attendees {
            push_line(&mut out, &format!("ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:{a}"));
        }
        for m in &e.alarms {
            push_line(&mut out, "BEGIN:VALARM");
            push_line(&mut out, "ACTION:DISPLAY");
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&e.summary)));
            push_line(&mut out, &format!("TRIGGER:-PT{m}M"));
            push_line(&mut out, "END:VALARM");
        }
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

// ---- reading ---------------------------------------------------------------------

/// What a calendar file yields: its events (each with the line it starts
/// on), and the events it could not read, with their line and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Events read, with the line of their `BEGIN:VEVENT`.
    pub events: Vec<(usize, IcsEvent)>,
    /// Events left out: (line, reason).
    pub rejected: Vec<(usize, String)>,
    /// Events read with a caveat: (line, note), e.g. a repeating series of
    /// which only the first date is taken.
    pub notes: Vec<(usize, String)>,
    /// Cancelled events (`STATUS:CANCELLED`, also among `rejected`): their
    /// line and UID, so an import can remove what it took before.
    pub cancelled: Vec<(usize, String)>,
}

/// One content line: name, parameters (names upper-cased), value; and the
/// physical line it started on.
#[derive(Debug, Clone)]
struct Line {
    at: usize,
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Line {
    fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Unfolds and splits into content lines.
fn lines(text: &str) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut logical: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix(' ').or_else(|| raw.strip_prefix('\t')), logical.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ if raw.is_empty() => {}
            _ => logical.push((i + 1, raw.to_owned())),
        }
    }
    logical.into_iter().filter_map(|(at, l)| parse_line(at, &l)).collect()
}

fn parse_line(at: usize, l: &str) -> Option<Line> {
    // The name and parameters end at the first ':' outside quotes.
    let mut quoted = false;
    let mut split = None;
    for (i, c) in l.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let split = split?;
    let (head, value) = (&l[..split], &l[split + 1..]);
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in head.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    let name = parts.remove(0).trim().to_ascii_uppercase();
    let params = parts
        .into_iter()
        .filter_map(|p| p.split_once('=').map(|(k, v)| (k.trim().to_ascii_uppercase(), v.trim().to_owned())))
        .collect();
    Some(Line { at, name, params, value: value.to_owned() })
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Outlook's Windows zone names for the zones reps meet most.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("UTC", "UTC"),
    ("Coordinated Universal Time", "UTC"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("India Standard Time", "Asia/Kolkata"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
];

/// A zone for a `TZID`: an IANA name, a Windows name, or (for a custom
/// `VTIMEZONE`) the IANA zone with its standard and summer offsets.
fn zone(tzid: &str, custom: &[(String, (i32, Option<i32>))]) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"');
    // "/mozilla.org/20050126_1/Europe/Berlin" and the like end in the IANA name.
    let tail = tzid.rsplit('/').take(2).collect::<Vec<_>>();
    let iana = if tail.len() == 2 { format!("{}/{}", tail[1], tail[0]) } else { tzid.to_owned() };
    if let Ok(tz) = tzid.parse::<Tz>().or_else(|_| iana.parse::<Tz>()) {
        return Some(tz);
    }
    if let Some((_, iana)) = WINDOWS_ZONES.iter().find(|(w, _)| w.eq_ignore_ascii_case(tzid)) {
        return iana.parse().ok();
    }
    let (_, (standard, summer)) = custom.iter().find(|(id, _)| id == tzid)?;
    let by_offsets: &[((i32, Option<i32>), &str)] = &[
        ((3600, Some(7200)), "Europe/Berlin"),
        ((0, Some(3600)), "Europe/London"),
        ((7200, Some(10800)), "Europe/Helsinki"),
        ((-18000, Some(-14400)), "America/New_York"),
        ((-28800, Some(-25200)), "America/Los_Angeles"),
        ((0, None), "UTC"),
        ((3600, None), "Africa/Lagos"),
    ];
    by_offsets.iter().find(|(o, _)| *o == (*standard, *summer)).and_then(|(_, iana)| iana.parse().ok())
}

fn offset_seconds(v: &str) -> Option<i32> {
    let v = v.trim();
    let (sign, rest) = match v.as_bytes().first()? {
        b'-' => (-1, &v[1..]),
        b'+' => (1, &v[1..]),
        _ => (1, v),
    };
    let h: i32 = rest.get(0..2)?.parse().ok()?;
    let m: i32 = rest.get(2..4)?.parse().ok()?;
    Some(sign * (h * 3600 + m * 60))
}

/// An ISO 8601 duration ("PT1H30M", "-P1D", "P1W") in minutes.
fn duration_minutes(v: &str) -> Option<i64> {
    let v = v.trim();
    let (sign, v) = match v.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, v.strip_prefix('+').unwrap_or(v)),
    };
    let v = v.strip_prefix('P')?;
    let mut minutes = 0i64;
    let mut num = String::new();
    let mut time = false;
    for c in v.chars() {
        match c {
            'T' => time = true,
            '0'..='9' => num.push(c),
            unit => {
                let n: i64 = num.parse().ok()?;
                num.clear();
                minutes += match (unit, time) {
                    ('W', false) => n * 7 * 1440,
                    ('D', false) => n * 1440,
                    ('H', true) => n * 60,
                    ('M', true) => n,
                    ('S', true) => n / 60,
                    _ => return None,
                };
            }
        }
    }
    num.is_empty().then_some(sign * minutes)
}

/// A DATE or DATE-TIME property: a date, or an instant (UTC, in a zone, or
/// floating in `floating`).
enum Stamp {
    Date(NaiveDate),
    At(DateTime<Utc>),
}

fn stamp(line: &Line, custom: &[(String, (i32, Option<i32>))], floating: Tz) -> Result<Stamp, String> {
    let v = line.value.trim();
    if line.param("VALUE").is_some_and(|x| x.eq_ignore_ascii_case("DATE")) || v.len() == 8 {
        return NaiveDate::parse_from_str(v, "%Y%m%d")
            .map(Stamp::Date)
            .map_err(|_| format!("{} {v:?} is no date", line.name));
    }
    if let Some(utc) = v.strip_suffix('Z').or_else(|| v.strip_suffix('z')) {
        let t = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .map_err(|_| format!("{} {v:?} is no time", line.name))?;
        return Ok(Stamp::At(Utc.from_utc_datetime(&t)));
    }
    let t = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
        .map_err(|_| format!("{} {v:?} is no time", line.name))?;
    let tz = match line.param("TZID") {
        Some(id) => zone(id, custom).ok_or_else(|| format!("unknown time zone {id:?}"))?,
        None => floating,
    };
    // A time skipped by a clock change counts from the earlier offset; a
    // repeated one is the first.
    let at = tz
        .from_local_datetime(&t)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(t + Duration::hours(1))).earliest())
        .ok_or_else(|| format!("{} {v:?} does not exist in {}", line.name, tz.name()))?;
    Ok(Stamp::At(at.with_timezone(&Utc)))
}

/// Reads a calendar; floating times are in the file's `X-WR-TIMEZONE`, else in `home`.
pub fn parse_calendar(text: &str, home: Tz) -> Parsed {
    let all = lines(text);
    let mut out = Parsed::default();
    // First the file's own zones: TZID → (standard offset, summer offset).
    let mut custom: Vec<(String, (i32, Option<i32>))> = Vec::new();
    let mut in_tz: Option<(String, i32, Option<i32>)> = None;
    let mut part = "";
    for l in &all {
        match (l.name.as_str(), l.value.as_str()) {
            ("BEGIN", "VTIMEZONE") => in_tz = Some((String::new(), 0, None)),
            ("END", "VTIMEZONE") => {
                if let Some((id, std, dst)) = in_tz.take() {
                    custom.push((id, (std, dst)));
                }
            }
            ("BEGIN", "STANDARD") => part = "STANDARD",
            ("BEGIN", "DAYLIGHT") => part = "DAYLIGHT",
            ("TZID", id) => {
                if let Some(tz) = in_tz.as_mut() {
                    tz.0 = id.trim().to_owned();
                }
            }
            ("TZOFFSETTO", v) => {
                if let (Some(tz), Some(s)) = (in_tz.as_mut(), offset_seconds(v)) {
                    if part == "DAYLIGHT" {
                        tz.2 = Some(s);
                    } else {
                        tz.1 = s;
                    }
                }
            }
            _ => {}
        }
    }
    let floating =
        all.iter().find(|l| l.name == "X-WR-TIMEZONE").and_then(|l| zone(&l.value, &custom)).unwrap_or(home);
    // Then the events.
    let mut event: Option<Vec<&Line>> = None;
    let mut depth_alarm = false;
    let mut alarms: Vec<Vec<&Line>> = Vec::new();
    for l in &all {
        match (l.name.as_str(), l.value.trim().to_ascii_uppercase().as_str()) {
            ("BEGIN", "VEVENT") => {
                event = Some(vec![l]);
                alarms.clear();
            }
            ("BEGIN", "VALARM") if event.is_some() => {
                depth_alarm = true;
                alarms.push(Vec::new());
            }
            ("END", "VALARM") => depth_alarm = false,
            ("END", "VEVENT") => {
                if let Some(lines) = event.take() {
                    let at = lines[0].at;
                    let value = |name: &str| lines.iter().find(|l| l.name == name).map(|l| l.value.trim());
                    if value("STATUS").is_some_and(|v| v.eq_ignore_ascii_case("CANCELLED")) {
                        if let Some(uid) = value("UID").filter(|u| !u.is_empty()) {
                            out.cancelled.push((at, uid.to_owned()));
                        }
                    }
                    match read_event(&lines, &alarms, &custom, floating) {
                        Ok((e, note)) => {
                            if let Some(n) = note {
                                out.notes.push((at, n));
                            }
                            out.events.push((at, e));
                        }
                        Err(reason) => out.rejected.push((at, reason)),
                    }
                }
            }
            _ => {
                if depth_alarm {
                    if let Some(a) = alarms.last_mut() {
                        a.push(l);
                    }
                } else if let Some(e) = event.as_mut() {
                    e.push(l);
                }
            }
        }
    }
    out
}

fn read_event(
    lines: &[&Line],
    alarms: &[Vec<&Line>],
    custom: &[(String, (i32, Option<i32>))],
    floating: Tz,
) -> Result<(IcsEvent, Option<String>), String> {
    let get = |name: &str| lines.iter().find(|l| l.name == name).copied();
    if get("STATUS").is_some_and(|l| l.value.trim().eq_ignore_ascii_case("CANCELLED")) {
        return Err("cancelled".into());
    }
    let start = get("DTSTART").ok_or("no start (DTSTART)")?;
    let summary = get("SUMMARY").map(|l| unescape(&l.value)).unwrap_or_default();
    let when = match stamp(start, custom, floating)? {
        Stamp::Date(first) => {
            let last = match get("DTEND").map(|l| stamp(l, custom, floating)) {
                Some(Ok(Stamp::Date(after))) => after.pred_opt().unwrap_or(after).max(first),
                Some(Err(e)) => return Err(e),
                _ => match get("DURATION").and_then(|l| duration_minutes(&l.value)) {
                    Some(m) if m >= 1440 => first + Duration::days(m / 1440 - 1),
                    _ => first,
                },
            };
            When::AllDay { first, last }
        }
        Stamp::At(s) => {
            let end = match get("DTEND").map(|l| stamp(l, custom, floating)) {
                Some(Ok(Stamp::At(e))) => e,
                Some(Ok(Stamp::Date(d))) => {
                    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                }
                Some(Err(e)) => return Err(e),
                None => {
                    s + Duration::minutes(
                        get("DURATION").and_then(|l| duration_minutes(&l.value)).unwrap_or(0),
                    )
                }
            };
            if end < s {
                return Err("it ends before it starts".into());
            }
            When::Timed { start: s, end }
        }
    };
    let uid = match get("UID").map(|l| unescape(l.value.trim())).filter(|u| !u.is_empty()) {
        Some(uid) => uid,
        // Without a UID: one made from what it says, the same on every import.
        None => {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (summary.as_str(), start.value.as_str()).hash(&mut h);
            format!("kontor-{:016x}", h.finish())
        }
    };
    let event_start = match when {
        When::Timed { start, .. } => start,
        When::AllDay { first, .. } => Utc.from_utc_datetime(&first.and_hms_opt(9, 0, 0).unwrap_or_default()),
    };
    let event_end = match when {
        When::Timed { end, .. } => end,
        When::AllDay { .. } => event_start,
    };
    let mut minutes: Vec<u32> = Vec::new();
    for alarm in alarms {
        let Some(trigger) = alarm.iter().find(|l| l.name == "TRIGGER") else { continue };
        let before = if trigger.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE-TIME")) {
            match stamp(trigger, custom, floating) {
                Ok(Stamp::At(t)) => Some((event_start - t).num_minutes()),
                _ => None,
            }
        } else {
            duration_minutes(&trigger.value).map(|m| {
                if trigger.param("RELATED").is_some_and(|r| r.eq_ignore_ascii_case("END")) {
                    (event_start - event_end).num_minutes() - m
                } else {
                    -m
                }
            })
        };
        if let Some(m) = before.filter(|m| *m >= 0).and_then(|m| u32::try_from(m).ok()) {
            if !minutes.contains(&m) {
                minutes.push(m);
            }
        }
    }
    let attendees = lines
        .iter()
        .filter(|l| l.name == "ATTENDEE")
        .filter_map(|l| {
            let v = l.value.trim();
            v.get(..7).filter(|p| p.eq_ignore_ascii_case("mailto:")).map(|_| v[7..].trim().to_owned())
        })
        .filter(|e| e.contains('@'))
        .collect();
    let note = get("RRULE").map(|_| "a repeating series: only its first date is imported".to_owned());
    let text = |name: &str| get(name).map(|l| unescape(&l.value)).filter(|t| !t.trim().is_empty());
    Ok((
        IcsEvent {
            uid,
            summary,
            when,
            location: text("LOCATION"),
            description: text("DESCRIPTION"),
            alarms: minutes,
            attendees,
        },
        note,
    ))
}

#[cfg(test)]
mod tests {
    use chrono_tz::Europe::Berlin;

    use super::*;

    fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Berlin.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn sample() -> Vec<IcsEvent> {
        vec![
            IcsEvent {
                uid: "01a-visit@kontor".into(),
                summary: "Besuch: Müller, Kassen; Wartung".into(),
                when: When::Timed { start: berlin(2026, 12, 8, 10, 0), end: berlin(2026, 12, 8, 11, 30) },
                location: Some("Hafenstraße 1, 20457 Hamburg".into()),
                description: Some("Erste Zeile\nZweite Zeile mit \\ und einem sehr langen Text, der über die fünfundsiebzig Oktette einer Zeile hinausgeht, gefaltet".into()),
                alarms: vec![15, 1440],
                attendees: vec!["anna@mueller.de".into()],
            },
            IcsEvent {
                uid: "01b-fair@kontor".into(),
                summary: "Messe Hannover".into(),
                when: When::AllDay { first: NaiveDate::from_ymd_opt(2027, 4, 20).unwrap(), last: NaiveDate::from_ymd_opt(2027, 4, 23).unwrap() },
                location: None,
                description: None,
                alarms: vec![],
                attendees: vec![],
            },
            // In summer time, across the change in March.
            IcsEvent {
                uid: "01c-summer@kontor".into(),
                summary: "Sommertermin".into(),
                when: When::Timed { start: berlin(2027, 7, 1, 14, 0), end: berlin(2027, 7, 1, 15, 0) },
                location: None,
                description: None,
                alarms: vec![0],
                attendees: vec![],
            },
        ]
    }

    #[test]
    fn lines_are_folded_at_75_octets_and_never_inside_a_character() {
        let mut out = String::new();
        push_line(&mut out, &format!("DESCRIPTION:{}", "ä".repeat(100)));
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let back = lines(&out);
        assert_eq!(back[0].value, "ä".repeat(100));
    }

    #[test]
    fn a_written_calendar_reads_back_as_it_was() {
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 6, 0, 0).unwrap();
        let text = write_calendar(&sample(), Berlin, "Kontor", now);
        assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"));
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"));
        assert!(text.contains("DTSTART;TZID=Europe/Berlin:20261208T100000\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20270420\r\nDTEND;VALUE=DATE:20270424\r\n"));
        assert!(text.contains("SUMMARY:Besuch: Müller\\, Kassen\\; Wartung\r\n"));
        assert!(text.contains("TRIGGER:-PT1440M"));
        assert!(text.contains("DTSTAMP:20261207T060000Z"));
        let parsed = parse_calendar(&text, chrono_tz::UTC);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let events: Vec<IcsEvent> = parsed.events.into_iter().map(|(_, e)| e).collect();
        assert_eq!(events, sample());
    }

    #[test]
    fn durations_and_triggers_are_read() {
        assert_eq!(duration_minutes("PT1H30M"), Some(90));
        assert_eq!(duration_minutes("-P1D"), Some(-1440));
        assert_eq!(duration_minutes("P1W"), Some(7 * 1440));
        assert_eq!(duration_minutes("-PT15M"), Some(-15));
        assert_eq!(duration_minutes("1H"), None);
    }

    #[test]
    fn an_event_without_a_start_is_rejected_with_its_line_and_the_others_are_read() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:ohne Start\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART:20261208T090000Z\r\nSUMMARY:gut\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:c\r\nDTSTART;TZID=Mars/Olympus:20261208T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let parsed = parse_calendar(text, Berlin);
        assert_eq!(parsed.events.len(), 1);
        assert_eq!(parsed.events[0].1.summary, "gut");
        assert_eq!(
            parsed.rejected,
            [(2, "no start (DTSTART)".to_string()), (11, "unknown time zone \"Mars/Olympus\"".to_string())]
        );
    }
}
