//! Reports over a chosen period (SPEC §8): funnel, conversion and time in
//! stage from the contacts' stage history, pipeline value and win rate from
//! the deals, activities per week, lead sources that convert, overdue tasks.
//! Each one exports as CSV.
//!
//! Pure functions over data the store reads ([`crate::Store::report`]).
//! A period is a pair of inclusive local dates in the rep's time zone; a
//! missing bound is open. Definitions (the UI's help texts should say them):
//! - funnel `count`: contacts in each stage at the end of the period (from
//!   the history); `entered`: contacts that entered the stage in the period;
//! - conversion A → B: of the contacts that entered A in the period, those
//!   that later (before the period's end) reached B or a later stage on the
//!   main path (so lead → opportunity counts as lead → prospect converted);
//! - time in stage: stays that ended in the period, in days;
//! - pipeline: open deals now by stage; won/lost, win rate and average won
//!   size over deals that were closed in the period; money per currency;
//! - activities: per week (Monday start), per kind;
//! - sources: contacts created in the period by source, and how many of
//!   them became customers by the period's end;
//! - overdue: open tasks overdue now (due in the period when one is given).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::ActivityKind;
use crate::contact::Contact;
use crate::deal::{outcome_of, Deal};
use crate::deal::{DealStageSetting, StageOutcome};
use crate::email::stage_label;
use crate::error::{Error, Result};
use crate::lang::Language;
use crate::money::{from_cents, Money, Totals};
use crate::stage::Stage;
use crate::task::{local_day_start, Task};
use crate::texts::Text;

/// Most weeks an activities report lists.
const MAX_WEEKS: usize = 1000;

/// A report period: inclusive local dates; `None` = open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Period {
    /// First day.
    pub from: Option<NaiveDate>,
    /// Last day.
    pub to: Option<NaiveDate>,
}

impl Period {
    /// [start, end) as instants: midnight of `from`, midnight after `to`.
    pub fn bounds(&self, tz: Tz) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = self.from.map(|d| local_day_start(d, tz));
        let end = self.to.and_then(|d| d.succ_opt()).map(|d| local_day_start(d, tz));
        (start, end)
    }

    /// Checks that `from` is not after `to`.
    pub fn validate(&self) -> Result<()> {
        match (self.from, self.to) {
            (Some(f), Some(t)) if f > t => {
                Err(Error::InvalidInput { field: "from", reason: format!("{f} is after {t}") })
            }
            _ => Ok(()),
        }
    }
}

struct Window {
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
}

impl Window {
    fn new(period: &Period, tz: Tz) -> Self {
        let (start, end) = period.bounds(tz);
        Window { start, end }
    }
    fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start.is_none_or(|s| at >= s) && self.end.is_none_or(|e| at < e)
    }
    fn before_end(&self, at: DateTime<Utc>) -> bool {
        self.end.is_none_or(|e| at < e)
    }
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportKind {
    /// [`Funnel`].
    Funnel,
    /// [`Conversion`].
    Conversion,
    /// [`PipelineReport`].
    Pipeline,
    /// [`ActivitiesReport`].
    Activities,
    /// [`SourcesReport`].
    Sources,
    /// [`OverdueReport`].
    Overdue,
}

impl ReportKind {
    /// All kinds.
    pub const ALL: [ReportKind; 6] = [
        ReportKind::Funnel,
        ReportKind::Conversion,
        ReportKind::Pipeline,
        ReportKind::Activities,
        ReportKind::Sources,
        ReportKind::Overdue,
    ];

    /// The snake_case key.
    pub fn key(self) -> &'static str {
        match self {
            ReportKind::Funnel => "funnel",
            ReportKind::Conversion => "conversion",
            ReportKind::Pipeline => "pipeline",
            ReportKind::Activities => "activities",
            ReportKind::Sources => "sources",
            ReportKind::Overdue => "overdue",
        }
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for ReportKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_lowercase();
        Self::ALL.into_iter().find(|k| k.key() == s).ok_or_else(|| Error::InvalidInput {
            field: "kind",
            reason: format!("unknown report {s:?} (expected {})", Self::ALL.map(ReportKind::key).join(", ")),
        })
    }
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FunnelStage {
    /// The stage.
    pub stage: Stage,
    /// Contacts in it at the end of the period.
    pub count: u32,
    /// Contacts that entered it during the period.
    pub entered: u32,
}

/// Contacts per lifecycle stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Funnel {
    /// Lead, prospect, opportunity, customer, disqualified.
    pub stages: Vec<FunnelStage>,
}

/// One step of the conversion report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConversionStep {
    /// From stage.
    pub from: Stage,
    /// To stage.
    pub to: Stage,
    /// Contacts that entered `from` in the period.
    pub entered: u32,
    /// Of those, how many reached `to` (or later) before the period's end.
    pub converted: u32,
    /// converted / entered (0–1; 0 when none entered).
    pub rate: f64,
}

/// Average time in one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StageDuration {
    /// The stage.
    pub stage: Stage,
    /// Average days (one decimal); `None` without stays.
    pub days: Option<f64>,
    /// Stays that ended in the period.
    pub samples: u32,
}

/// Conversion rates and time in stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Conversion {
    /// lead → prospect → opportunity → customer.
    pub steps: Vec<ConversionStep>,
    /// Per stage.
    pub avg_days_in_stage: Vec<StageDuration>,
}

/// Open pipeline in one deal stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PipelineStageRow {
    /// Deal stage key.
    pub stage: String,
    /// The stage's German name.
    pub name_de: String,
    /// The stage's English name.
    pub name_en: String,
    /// Deals.
    pub count: u32,
    /// Sum of values per currency.
    pub total: Vec<Money>,
    /// Sum of weighted values per currency.
    pub weighted: Vec<Money>,
}

/// Pipeline value and win rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PipelineReport {
    /// Open stages, in board order.
    pub by_stage: Vec<PipelineStageRow>,
    /// Open total per currency.
    pub total: Vec<Money>,
    /// Open weighted total per currency.
    pub weighted: Vec<Money>,
    /// won / (won + lost) over deals closed in the period (0–1).
    pub win_rate: f64,
    /// Average won deal per currency.
    pub avg_won_size: Vec<Money>,
    /// Sum of won deals per currency.
    pub won_total: Vec<Money>,
    /// Deals won in the period.
    pub won_count: u32,
    /// Deals lost in the period.
    pub lost_count: u32,
}

/// Activities of one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityWeek {
    /// The Monday.
    pub week_start: NaiveDate,
    /// Per activity kind key (kinds with none are left out).
    pub counts: BTreeMap<String, u32>,
}

/// Activities per week by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivitiesReport {
    /// Every week of the period, oldest first (empty weeks included).
    pub weeks: Vec<ActivityWeek>,
}

/// One lead source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceRow {
    /// The source ("" for none).
    pub source: String,
    /// Contacts created in the period with it.
    pub leads: u32,
    /// Of those, customers by the period's end.
    pub customers: u32,
    /// customers / leads (0–1).
    pub rate: f64,
}

/// Lead sources by conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourcesReport {
    /// Most customers first.
    pub sources: Vec<SourceRow>,
}

/// Overdue tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OverdueReport {
    /// Oldest due first.
    pub tasks: Vec<Task>,
    /// How many.
    pub count: u32,
}

/// Any report; JSON is the report itself (untagged).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Report {
    /// Funnel.
    Funnel(Funnel),
    /// Conversion.
    Conversion(Conversion),
    /// Pipeline.
    Pipeline(PipelineReport),
    /// Activities.
    Activities(ActivitiesReport),
    /// Sources.
    Sources(SourcesReport),
    /// Overdue tasks.
    Overdue(OverdueReport),
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        0.0
    } else {
        (f64::from(a) / f64::from(b) * 10_000.0).round() / 10_000.0
    }
}

fn rank(stage: Stage) -> Option<u8> {
    match stage {
        Stage::Lead => Some(0),
        Stage::Prospect => Some(1),
        Stage::Opportunity => Some(2),
        Stage::Customer => Some(3),
        Stage::Disqualified => None,
    }
}

/// The stage a contact was in at the end of the window (`None`: not yet created).
fn stage_at_end(c: &Contact, w: &Window) -> Option<Stage> {
    if c.stage_history.is_empty() {
        return w.before_end(c.created_at).then_some(c.stage);
    }
    c.stage_history.iter().take_while(|h| w.before_end(h.at)).last().map(|h| h.to)
}

/// Funnel counts per lifecycle stage.
pub fn funnel(contacts: &[Contact], period: &Period, tz: Tz) -> Funnel {
    let w = Window::new(period, tz);
    let mut counts: HashMap<Stage, u32> = HashMap::new();
    let mut entered: HashMap<Stage, u32> = HashMap::new();
    for c in contacts {
        if let Some(s) = stage_at_end(c, &w) {
            *counts.entry(s).or_default() += 1;
        }
        let mut seen = Vec::new();
        for h in c.stage_history.iter().filter(|h| w.contains(h.at)) {
            if !seen.contains(&h.to) {
                seen.push(h.to);
                *entered.entry(h.to).or_default() += 1;
            }
        }
    }
    Funnel {
        stages: Stage::ALL
            .into_iter()
            .map(|stage| FunnelStage {
                stage,
                count: counts.get(&stage).copied().unwrap_or(0),
                entered: entered.get(&stage).copied().unwrap_or(0),
            })
            .collect(),
    }
}

/// Conversion rates along the main path and average time in stage.
pub fn conversion(contacts: &[Contact], period: &Period, tz: Tz) -> Conversion {
    let w = Window::new(period, tz);
    let path = [Stage::Lead, Stage::Prospect, Stage::Opportunity, Stage::Customer];
    let steps = path
        .windows(2)
        .map(|pair| {
            let (from, to) = (pair[0], pair[1]);
            let target = rank(to).unwrap_or(u8::MAX);
            let mut entered = 0;
            let mut converted = 0;
            for c in contacts {
                let Some(i) = c.stage_history.iter().position(|h| h.to == from && w.contains(h.at)) else {
                    continue;
                };
                entered += 1;
                let reached = c.stage_history[i + 1..]
                    .iter()
                    .take_while(|h| w.before_end(h.at))
                    .any(|h| rank(h.to).is_some_and(|r| r >= target));
                if reached {
                    converted += 1;
                }
            }
            ConversionStep { from, to, entered, converted, rate: ratio(converted, entered) }
        })
        .collect();
    let mut stays: HashMap<Stage, (i64, u32)> = HashMap::new();
    for c in contacts {
        for pair in c.stage_history.windows(2) {
            if w.contains(pair[1].at) {
                let e = stays.entry(pair[0].to).or_default();
                e.0 += (pair[1].at - pair[0].at).num_seconds();
                e.1 += 1;
            }
        }
    }
    let avg_days_in_stage = Stage::ALL
        .into_iter()
        .map(|stage| {
            let (secs, n) = stays.get(&stage).copied().unwrap_or((0, 0));
            let days = (n > 0).then(|| (secs as f64 / 86_400.0 / f64::from(n) * 10.0).round() / 10.0);
            StageDuration { stage, days, samples: n }
        })
        .collect();
    Conversion { steps, avg_days_in_stage }
}

/// Open pipeline by stage, and won/lost over the period.
pub fn pipeline(deals: &[Deal], stages: &[DealStageSetting], period: &Period, tz: Tz) -> PipelineReport {
    let w = Window::new(period, tz);
    let mut total = Totals::default();
    let mut weighted = Totals::default();
    let by_stage = stages
        .iter()
        .filter(|s| s.outcome == StageOutcome::Open)
        .map(|s| {
            let mut t = Totals::default();
            let mut wt = Totals::default();
            let mut n = 0;
            for d in deals.iter().filter(|d| d.stage == s.key) {
                n += 1;
                t.add(&d.currency, d.value_cents());
                wt.add(&d.currency, d.weighted_cents());
                total.add(&d.currency, d.value_cents());
                weighted.add(&d.currency, d.weighted_cents());
            }
            PipelineStageRow {
                stage: s.key.clone(),
                name_de: s.name_de.clone(),
                name_en: s.name_en.clone(),
                count: n,
                total: t.to_money(),
                weighted: wt.to_money(),
            }
        })
        .collect();
    let mut won = Totals::default();
    let mut won_per_currency: HashMap<String, i64> = HashMap::new();
    let (mut won_count, mut lost_count) = (0, 0);
    for d in deals.iter().filter(|d| w.contains(d.stage_changed_at)) {
        match outcome_of(stages, &d.stage) {
            StageOutcome::Won => {
                won_count += 1;
                won.add(&d.currency, d.value_cents());
                *won_per_currency.entry(d.currency.clone()).or_default() += 1;
            }
            StageOutcome::Lost => lost_count += 1,
            StageOutcome::Open => {}
        }
    }
    let avg_won_size = won
        .currencies()
        .map(|c| {
            let n = won_per_currency.get(c).copied().unwrap_or(1).max(1);
            Money {
                currency: c.to_owned(),
                amount: from_cents((won.get(c) as f64 / n as f64).round() as i64),
            }
        })
        .collect();
    PipelineReport {
        by_stage,
        total: total.to_money(),
        weighted: weighted.to_money(),
        win_rate: ratio(won_count, won_count + lost_count),
        avg_won_size,
        won_total: won.to_money(),
        won_count,
        lost_count,
    }
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// Activities per week (Monday start, local) and kind.
pub fn activities(
    items: &[(ActivityKind, DateTime<Utc>)],
    period: &Period,
    tz: Tz,
    now: DateTime<Utc>,
) -> ActivitiesReport {
    let w = Window::new(period, tz);
    let local = |at: DateTime<Utc>| at.with_timezone(&tz).date_naive();
    let inside: Vec<_> = items.iter().filter(|(_, at)| w.contains(*at)).collect();
    let first = period.from.or_else(|| inside.iter().map(|(_, at)| local(*at)).min());
    let last = period.to.unwrap_or_else(|| local(now));
    let Some(first) = first else { return ActivitiesReport { weeks: vec![] } };
    let mut weeks: BTreeMap<NaiveDate, BTreeMap<String, u32>> = BTreeMap::new();
    let mut week = monday(first);
    while week <= last && weeks.len() < MAX_WEEKS {
        weeks.insert(week, BTreeMap::new());
        week = week + Days::new(7);
    }
    for (kind, at) in inside {
        if let Some(counts) = weeks.get_mut(&monday(local(*at))) {
            *counts.entry(kind.key().to_owned()).or_default() += 1;
        }
    }
    ActivitiesReport {
        weeks: weeks.into_iter().map(|(week_start, counts)| ActivityWeek { week_start, counts }).collect(),
    }
}

/// Lead sources of contacts created in the period, by customers won.
pub fn sources(contacts: &[Contact], period: &Period, tz: Tz) -> SourcesReport {
    let w = Window::new(period, tz);
    let mut rows: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for c in contacts.iter().filter(|c| w.contains(c.created_at)) {
        let row = rows.entry(c.source.clone().unwrap_or_default()).or_default();
        row.0 += 1;
        let customer = c.stage_history.iter().any(|h| h.to == Stage::Customer && w.before_end(h.at)) || {
            c.stage_history.is_empty() && c.stage == Stage::Customer
        };
        if customer {
            row.1 += 1;
        }
    }
    let mut sources: Vec<SourceRow> = rows
        .into_iter()
        .map(|(source, (leads, customers))| SourceRow {
            source,
            leads,
            customers,
            rate: ratio(customers, leads),
        })
        .collect();
    sources.sort_by(|a, b| {
        b.customers.cmp(&a.customers).then(b.leads.cmp(&a.leads)).then(a.source.cmp(&b.source))
    });
    SourcesReport { sources }
}

/// Overdue tasks (given oldest first), those due in the period when it has bounds.
pub fn overdue(tasks: Vec<Task>, period: &Period, tz: Tz) -> OverdueReport {
    let w = Window::new(period, tz);
    // An all-day task is due from the start of its day in the rep's zone.
    let due = |t: &Task| t.day().map_or(t.due, |d| local_day_start(d, tz));
    let tasks: Vec<Task> = tasks.into_iter().filter(|t| w.contains(due(t))).collect();
    OverdueReport { count: count(tasks.len()), tasks }
}

// --- CSV ---

/// A report's tables as they are built: cells formatted for `language`
/// (German: decimal comma; English: decimal point).
struct Csv {
    language: Language,
    tables: Vec<Vec<Vec<String>>>,
}

impl Csv {
    fn new(language: Language) -> Self {
        Csv { language, tables: vec![vec![]] }
    }

    fn t(&self, text: Text) -> &'static str {
        text.get(self.language)
    }

    fn num(&self, value: f64, decimals: usize) -> String {
        let s = format!("{value:.decimals$}");
        match self.language {
            Language::De => s.replace('.', ","),
            Language::En => s,
        }
    }

    fn percent(&self, rate: f64) -> String {
        self.num(rate * 100.0, 1)
    }

    fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let row = cells.iter().map(|c| c.as_ref().to_owned()).collect();
        if let Some(table) = self.tables.last_mut() {
            table.push(row);
        }
    }

    /// Starts the next table (a report may have two: the CSV puts an empty line between).
    fn next_table(&mut self) {
        self.tables.push(vec![]);
    }
}

fn money_rows(money: &[Money]) -> Vec<(String, f64)> {
    if money.is_empty() {
        vec![(String::new(), 0.0)]
    } else {
        money.iter().map(|m| (m.currency.clone(), m.amount)).collect()
    }
}

impl Report {
    /// The report as CSV (CRLF lines, header row in `language`; German: `;`
    /// and decimal comma, English: `,` and decimal point); its tables are
    /// separated by an empty line.
    pub fn to_csv(&self, language: Language) -> String {
        let sep = match language {
            Language::De => ';',
            Language::En => ',',
        };
        let table = |rows: &Vec<Vec<String>>| {
            rows.iter()
                .map(|row| {
                    let cells: Vec<String> = row.iter().map(|c| crate::csv_cell::cell(c, sep)).collect();
                    cells.join(&sep.to_string()) + "\r\n"
                })
                .collect::<String>()
        };
        self.tables(language).iter().map(table).collect::<Vec<_>>().join("\r\n")
    }

    /// The report as tables, each a header row and data rows, with texts
    /// and numbers in `language`: what its CSV holds and the CLI prints.
    pub fn tables(&self, language: Language) -> Vec<Vec<Vec<String>>> {
        let mut csv = Csv::new(language);
        match self {
            Report::Funnel(f) => {
                let h = [csv.t(Text::CsvStage), csv.t(Text::CsvCount), csv.t(Text::CsvEntered)];
                csv.row(&h);
                for s in &f.stages {
                    csv.row(&[
                        stage_label(s.stage, language).to_owned(),
                        s.count.to_string(),
                        s.entered.to_string(),
                    ]);
                }
            }
            Report::Conversion(c) => {
                let h = [
                    csv.t(Text::CsvFrom),
                    csv.t(Text::CsvTo),
                    csv.t(Text::CsvEnteredStep),
                    csv.t(Text::CsvConverted),
                    csv.t(Text::CsvRate),
                ];
                csv.row(&h);
                for s in &c.steps {
                    let row = [
                        stage_label(s.from, language).to_owned(),
                        stage_label(s.to, language).to_owned(),
                        s.entered.to_string(),
                        s.converted.to_string(),
                        csv.percent(s.rate),
                    ];
                    csv.row(&row);
                }
                csv.next_table();
                let h = [csv.t(Text::CsvStage), csv.t(Text::CsvAvgDays), csv.t(Text::CsvSamples)];
                csv.row(&h);
                for d in &c.avg_days_in_stage {
                    let days = d.days.map(|v| csv.num(v, 1)).unwrap_or_default();
                    csv.row(&[stage_label(d.stage, language).to_owned(), days, d.samples.to_string()]);
                }
            }
            Report::Pipeline(p) => {
                let h = [
                    csv.t(Text::CsvStage),
                    csv.t(Text::CsvCurrency),
                    csv.t(Text::CsvCount),
                    csv.t(Text::CsvTotal),
                    csv.t(Text::CsvWeighted),
                ];
                csv.row(&h);
                for s in &p.by_stage {
                    let weighted = money_rows(&s.weighted);
                    let name = match language {
                        Language::De => &s.name_de,
                        Language::En => &s.name_en,
                    };
                    // The stage's name and count once, on its first currency's row.
                    for (i, (cur, amount)) in money_rows(&s.total).into_iter().enumerate() {
                        let w = weighted.iter().find(|(c, _)| *c == cur).map_or(0.0, |x| x.1);
                        let (stage, count) = if i == 0 {
                            (name.clone(), s.count.to_string())
                        } else {
                            (String::new(), String::new())
                        };
                        csv.row(&[stage, cur, count, csv.num(amount, 2), csv.num(w, 2)]);
                    }
                }
                csv.next_table();
                let h = [
                    csv.t(Text::CsvWon),
                    csv.t(Text::CsvLost),
                    csv.t(Text::CsvWinRate),
                    csv.t(Text::CsvCurrency),
                    csv.t(Text::CsvAvgWon),
                ];
                csv.row(&h);
                for (cur, amount) in money_rows(&p.avg_won_size) {
                    let row = [
                        p.won_count.to_string(),
                        p.lost_count.to_string(),
                        csv.percent(p.win_rate),
                        cur,
                        csv.num(amount, 2),
                    ];
                    csv.row(&row);
                }
            }
            Report::Activities(a) => {
                let mut h = vec![csv.t(Text::CsvWeekOf).to_owned()];
                h.extend(ActivityKind::ALL.iter().map(|k| k.name(language).to_owned()));
                csv.row(&h);
                for week in &a.weeks {
                    let mut row = vec![week.week_start.format("%Y-%m-%d").to_string()];
                    row.extend(
                        ActivityKind::ALL
                            .iter()
                            .map(|k| week.counts.get(k.key()).copied().unwrap_or(0).to_string()),
                    );
                    csv.row(&row);
                }
            }
            Report::Sources(s) => {
                let h = [
                    csv.t(Text::CsvSource),
                    csv.t(Text::CsvLeads),
                    csv.t(Text::CsvCustomers),
                    csv.t(Text::CsvRate),
                ];
                csv.row(&h);
                for r in &s.sources {
                    let source =
                        if r.source.is_empty() { csv.t(Text::CsvNone).to_owned() } else { r.source.clone() };
                    let row = [source, r.leads.to_string(), r.customers.to_string(), csv.percent(r.rate)];
                    csv.row(&row);
                }
            }
            Report::Overdue(o) => {
                let h = [csv.t(Text::CsvDue), csv.t(Text::CsvTask), csv.t(Text::CsvPriority), "id"];
                csv.row(&h);
                for t in &o.tasks {
                    let row = [
                        t.day().map_or_else(|| t.due.to_rfc3339(), |d| d.to_string()),
                        t.title.clone(),
                        format!("{:?}", t.priority).to_lowercase(),
                        t.id.to_string(),
                    ];
                    csv.row(&row);
                }
            }
        }
        csv.tables
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_with_two_currencies_names_itself_and_counts_once_weighted_by_currency() {
        let money = |c: &str, amount| Money { currency: c.into(), amount };
        let row = PipelineStageRow {
            stage: "needs_analysis".into(),
            name_de: "Bedarfsanalyse".into(),
            name_en: "Needs analysis".into(),
            count: 3,
            total: vec![money("CHF", 1000.0), money("EUR", 2000.0)],
            weighted: vec![money("EUR", 500.0)],
        };
        let report = PipelineReport {
            by_stage: vec![row],
            total: vec![],
            weighted: vec![],
            won_count: 0,
            lost_count: 0,
            win_rate: 0.0,
            avg_won_size: vec![],
            won_total: vec![],
        };
        let csv = Report::Pipeline(report).to_csv(Language::De);
        let lines: Vec<&str> = csv.lines().take(3).collect();
        assert_eq!(
            lines,
            [
                "Phase;Währung;Anzahl;Summe;Gewichtet",
                "Bedarfsanalyse;CHF;3;1000,00;0,00",
                ";EUR;;2000,00;500,00"
            ]
        );
    }

    #[test]
    fn activity_kinds_have_names_in_both_languages() {
        for kind in ActivityKind::ALL {
            assert!(!kind.name(Language::De).is_empty() && !kind.name(Language::En).is_empty());
        }
        assert_eq!(ActivityKind::WebinarAttended.name(Language::De), "Webinar besucht");
    }

    #[test]
    fn kinds_parse() {
        assert_eq!("Funnel".parse::<ReportKind>().unwrap(), ReportKind::Funnel);
        assert!("umsatz".parse::<ReportKind>().is_err());
    }
}
