//! Qualification and scoring (SPEC §4): fit criteria (0–50) and engagement
//! with exponential decay (0–50) make a score of 0–100 that always comes with
//! its line items, and rules that propose the next stage.
//!
//! Everything here is pure: `now` and the settings are parameters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::ActivityKind;
use crate::contact::Organization;
use crate::criteria::{Answer, Criteria};
use crate::lang::Language;
use crate::stage::Stage;
use crate::text::fold;
use crate::texts::Text;

/// Fit and engagement are each capped at this.
pub const PART_CAP: f64 = 50.0;
/// The most points a criterion or an activity kind may earn.
pub const POINTS_MAX: u32 = 50;
/// The shortest and longest half-life of engagement, in days.
pub const HALF_LIFE_DAYS: (f64, f64) = (1.0, 365.0);
/// The highest qualification threshold.
pub const THRESHOLD_MAX: u32 = 100;
/// Explanations list this many activities one by one; older ones are summed up.
pub(crate) const LINES_SHOWN: usize = 20;
const MS_PER_DAY: f64 = 86_400_000.0;

/// Points a "yes" earns per criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FitPoints {
    /// Target group fit.
    pub target_group: u32,
    /// Budget.
    pub budget: u32,
    /// Authority.
    pub authority: u32,
    /// Need.
    pub need: u32,
    /// Timeline.
    pub timeline: u32,
}

impl Default for FitPoints {
    fn default() -> Self {
        FitPoints { target_group: 15, budget: 10, authority: 10, need: 10, timeline: 5 }
    }
}

/// Points per activity kind, before decay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[allow(missing_docs)]
pub struct EngagementPoints {
    pub call: u32,
    pub meeting: u32,
    pub visit: u32,
    pub email: u32,
    pub note: u32,
    pub newsletter_signup: u32,
    pub whitepaper_download: u32,
    pub webinar_attended: u32,
    pub website_visit: u32,
    pub email_opened: u32,
    pub email_replied: u32,
    pub form_submitted: u32,
}

impl Default for EngagementPoints {
    fn default() -> Self {
        EngagementPoints {
            call: 8,
            meeting: 12,
            visit: 15,
            email: 4,
            note: 0,
            newsletter_signup: 5,
            whitepaper_download: 10,
            webinar_attended: 15,
            website_visit: 2,
            email_opened: 2,
            email_replied: 8,
            form_submitted: 10,
        }
    }
}

impl EngagementPoints {
    /// Points of one kind.
    pub fn get(&self, kind: ActivityKind) -> u32 {
        match kind {
            ActivityKind::Call => self.call,
            ActivityKind::Meeting => self.meeting,
            ActivityKind::Visit => self.visit,
            ActivityKind::Email => self.email,
            ActivityKind::Note => self.note,
            ActivityKind::NewsletterSignup => self.newsletter_signup,
            ActivityKind::WhitepaperDownload => self.whitepaper_download,
            ActivityKind::WebinarAttended => self.webinar_attended,
            ActivityKind::WebsiteVisit => self.website_visit,
            ActivityKind::EmailOpened => self.email_opened,
            ActivityKind::EmailReplied => self.email_replied,
            ActivityKind::FormSubmitted => self.form_submitted,
        }
    }
}

/// The rep's target profile; an empty dimension is not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct TargetProfile {
    /// Industries that fit (matched case- and accent-insensitively, as substrings).
    pub industries: Vec<String>,
    /// Smallest fitting company size (employees).
    pub size_min: Option<u32>,
    /// Largest fitting company size (employees).
    pub size_max: Option<u32>,
    /// Regions (names) or postcode prefixes that fit.
    pub regions: Vec<String>,
}

/// All weights and thresholds of scoring and qualification.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ScoringSettings {
    /// Points per criterion answered "yes".
    pub fit_points: FitPoints,
    /// Points per activity kind, before decay.
    pub engagement_points: EngagementPoints,
    /// After this many days an activity counts half.
    pub half_life_days: f64,
    /// A lead at or above this score is proposed for prospect.
    pub prospect_threshold: u32,
    /// A prospect at or above this score (with need and timeline) is proposed for opportunity.
    pub opportunity_threshold: u32,
    /// Apply proposals at once (stage history says "by rule").
    pub auto_advance: bool,
}

impl Default for ScoringSettings {
    fn default() -> Self {
        ScoringSettings {
            fit_points: FitPoints::default(),
            engagement_points: EngagementPoints::default(),
            half_life_days: 30.0,
            prospect_threshold: 40,
            opportunity_threshold: 70,
            auto_advance: false,
        }
    }
}

impl ScoringSettings {
    /// Checks ranges; returns the offending field.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let f = self.fit_points;
        for (name, v) in [
            ("fit_points.target_group", f.target_group),
            ("fit_points.budget", f.budget),
            ("fit_points.authority", f.authority),
            ("fit_points.need", f.need),
            ("fit_points.timeline", f.timeline),
        ] {
            if v > POINTS_MAX {
                return Err((name, format!("{v} is more than {POINTS_MAX}")));
            }
        }
        for kind in ActivityKind::ALL {
            let v = self.engagement_points.get(kind);
            if v > POINTS_MAX {
                return Err(("engagement_points", format!("{kind}: {v} is more than {POINTS_MAX}")));
            }
        }
        let (shortest, longest) = HALF_LIFE_DAYS;
        if !(shortest..=longest).contains(&self.half_life_days) {
            return Err(("half_life_days", format!("must be between {shortest} and {longest} days")));
        }
        for (name, v) in [
            ("prospect_threshold", self.prospect_threshold),
            ("opportunity_threshold", self.opportunity_threshold),
        ] {
            if v > THRESHOLD_MAX {
                return Err((name, format!("{v} is more than {THRESHOLD_MAX}")));
            }
        }
        if self.prospect_threshold > self.opportunity_threshold {
            return Err((
                "opportunity_threshold",
                format!(
                    "{} is below the prospect threshold {}: a contact must be a prospect before an opportunity",
                    self.opportunity_threshold, self.prospect_threshold
                ),
            ));
        }
        Ok(())
    }

    /// The decay factor for an activity `age_ms` old: 2^(−age / half-life).
    pub fn decay(&self, age_ms: i64) -> f64 {
        let age_days = age_ms.max(0) as f64 / MS_PER_DAY;
        (-age_days / self.half_life_days).exp2()
    }
}

/// Proposes the target-group answer from an organisation's data.
/// Every dimension the profile sets must match; missing data makes it unknown.
pub fn propose_target_group(org: Option<&Organization>, profile: &TargetProfile) -> Answer {
    let has_industries = !profile.industries.is_empty();
    let has_size = profile.size_min.is_some() || profile.size_max.is_some();
    let has_regions = !profile.regions.is_empty();
    if !(has_industries || has_size || has_regions) {
        return Answer::Unknown;
    }
    let Some(org) = org else { return Answer::Unknown };
    let mut unknown = false;
    let mut check = |known: bool, fits: bool| {
        if !known {
            unknown = true;
            true
        } else {
            fits
        }
    };
    let industry = org.industry.as_deref().map(fold).filter(|i| !i.trim().is_empty());
    let industry_ok = !has_industries
        || check(
            industry.is_some(),
            industry.as_deref().is_some_and(|i| {
                profile.industries.iter().map(|p| fold(p.trim())).any(|p| !p.is_empty() && i.contains(&p))
            }),
        );
    let size_ok = !has_size
        || check(
            org.size.is_some(),
            org.size.is_some_and(|s| {
                profile.size_min.is_none_or(|min| s >= min) && profile.size_max.is_none_or(|max| s <= max)
            }),
        );
    let postcode = org.postcode.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let region = org.region.as_deref().map(fold).filter(|r| !r.trim().is_empty());
    let regions_ok = !has_regions
        || check(
            postcode.is_some() || region.is_some(),
            profile.regions.iter().map(|r| r.trim()).filter(|r| !r.is_empty()).any(|r| {
                postcode.is_some_and(|p| p.starts_with(r)) || region.as_deref().is_some_and(|g| *g == fold(r))
            }),
        );
    if !(industry_ok && size_ok && regions_ok) {
        Answer::No
    } else if unknown {
        Answer::Unknown
    } else {
        Answer::Yes
    }
}

/// One line of a score's explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreLine {
    /// Points this line adds, rounded to one decimal; whole points are
    /// written as JSON integers (`15`, `7.5`, `-76`).
    #[serde(with = "points_json")]
    #[ts(type = "number")]
    pub points: f64,
    /// English explanation ("+15 webinar attended, 3 days ago").
    pub reason: String,
    /// `fit` or `engagement`.
    pub part: ScorePart,
    /// The criterion or activity kind; `older` sums up older activities;
    /// `fit_cap` and `engagement_cap` take off what a part has above 50
    /// (negative points), so that the lines add up to the score.
    pub key: String,
    /// For fit lines: the answer.
    pub answer: Option<Answer>,
    /// For activity lines: when it happened.
    pub at: Option<DateTime<Utc>>,
    /// For activity lines: whole days since then.
    #[ts(type = "number | null")]
    pub age_days: Option<i64>,
    /// Activities summed up in this line (0 for criteria and caps).
    pub count: u32,
}

/// The two halves of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ScorePart {
    /// Criteria.
    Fit,
    /// Behaviour.
    Engagement,
}

/// A contact's score with its explanation and qualification proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Score {
    /// 0–100.
    pub score: u8,
    /// 0–50.
    pub fit: u8,
    /// 0–50.
    pub engagement: u8,
    /// The line items: fit (and its cap), then activities newest first,
    /// older ones summed up, and the engagement cap. They add up to
    /// `fit + engagement` (up to the rounding of each line to one decimal).
    pub lines: Vec<ScoreLine>,
    /// The stage the rules propose, if any.
    pub proposal: Option<Stage>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Line points in JSON: a whole number as an integer (`15`, not `15.0`),
/// else the one-decimal value as it is (`7.5`).
mod points_json {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(points: &f64, s: S) -> Result<S::Ok, S::Error> {
        // Line points are at most a few thousand, far inside i64.
        if points.fract() == 0.0 && points.abs() < 1e15 {
            s.serialize_i64(*points as i64)
        } else {
            s.serialize_f64(*points)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        f64::deserialize(d)
    }
}

/// The line that takes `cut` (> 0) off a part above [`PART_CAP`].
fn cap_line(part: ScorePart, cut: f64) -> ScoreLine {
    let (key, name) = match part {
        ScorePart::Fit => ("fit_cap", "fit"),
        ScorePart::Engagement => ("engagement_cap", "engagement"),
    };
    let points = -round1(cut);
    ScoreLine {
        points,
        reason: format!("{points} {name} capped at {PART_CAP}"),
        part,
        key: key.into(),
        answer: None,
        at: None,
        age_days: None,
        count: 0,
    }
}

fn criterion_lines(
    criteria: &Criteria,
    points: &FitPoints,
) -> [(&'static str, &'static str, Answer, u32); 5] {
    [
        ("target_group", "target group", criteria.target_group, points.target_group),
        ("budget", "budget", criteria.budget, points.budget),
        ("authority", "authority to decide", criteria.authority, points.authority),
        ("need", "need", criteria.need, points.need),
        ("timeline", "timeline", criteria.timeline, points.timeline),
    ]
}

/// Fit points of the criteria, capped at 50.
pub fn fit_points(criteria: &Criteria, settings: &ScoringSettings) -> u32 {
    let sum: u32 = criterion_lines(criteria, &settings.fit_points)
        .iter()
        .filter(|(_, _, a, _)| *a == Answer::Yes)
        .map(|(_, _, _, p)| p)
        .sum();
    sum.min(PART_CAP as u32)
}

/// Engagement points (before the cap) of activities given as (kind, at)
/// newest first; those after `now` have not happened yet and do not count.
pub fn engagement_sum(
    activities: impl IntoIterator<Item = (ActivityKind, DateTime<Utc>)>,
    settings: &ScoringSettings,
    now: DateTime<Utc>,
) -> f64 {
    activities
        .into_iter()
        .filter(|(_, at)| *at <= now)
        .map(|(kind, at)| {
            f64::from(settings.engagement_points.get(kind)) * settings.decay((now - at).num_milliseconds())
        })
        .sum()
}

/// Scores a contact at `now`: `activities` are (kind, at), newest first.
pub fn score(
    stage: Stage,
    criteria: &Criteria,
    activities: impl IntoIterator<Item = (ActivityKind, DateTime<Utc>)>,
    settings: &ScoringSettings,
    now: DateTime<Utc>,
) -> Score {
    score_with_total(stage, criteria, activities, None, settings, now)
}

/// [`score`], where `total` (engagement sum before the cap, number of
/// activities) may come precomputed from [`EngagementSums`]; then only the
/// newest activities are read for the explanation.
pub fn score_with_total(
    stage: Stage,
    criteria: &Criteria,
    activities: impl IntoIterator<Item = (ActivityKind, DateTime<Utc>)>,
    total: Option<(f64, u32)>,
    settings: &ScoringSettings,
    now: DateTime<Utc>,
) -> Score {
    let mut lines = Vec::new();
    for (key, label, answer, points) in criterion_lines(criteria, &settings.fit_points) {
        let (pts, reason) = match answer {
            Answer::Yes => (points, format!("+{points} {label}: yes")),
            Answer::No => (0, format!("+0 {label}: no")),
            Answer::Unknown => (0, format!("+0 {label} unknown")),
        };
        lines.push(ScoreLine {
            points: f64::from(pts),
            reason,
            part: ScorePart::Fit,
            key: key.into(),
            answer: Some(answer),
            at: None,
            age_days: None,
            count: 0,
        });
    }
    let fit = fit_points(criteria, settings);
    let fit_sum: f64 = lines.iter().map(|l| l.points).sum();
    if fit_sum > f64::from(fit) {
        lines.push(cap_line(ScorePart::Fit, fit_sum - f64::from(fit)));
    }
    let fit_lines = lines.len();

    let mut sum = 0.0;
    let mut listed = (0.0, 0u32);
    let mut older = (0.0, 0u32);
    let take = if total.is_some() { LINES_SHOWN } else { usize::MAX };
    for (kind, at) in activities.into_iter().filter(|(_, at)| *at <= now).take(take) {
        let age = now - at;
        let points = f64::from(settings.engagement_points.get(kind)) * settings.decay(age.num_milliseconds());
        sum += points;
        let shown = lines.len() - fit_lines;
        if shown < LINES_SHOWN {
            let days = age.num_days();
            let ago = match days {
                0 => "today".to_owned(),
                1 => "1 day ago".to_owned(),
                d => format!("{d} days ago"),
            };
            listed = (listed.0 + points, listed.1 + 1);
            lines.push(ScoreLine {
                points: round1(points),
                reason: format!("+{} {}, {ago}", round1(points), kind.label()),
                part: ScorePart::Engagement,
                key: kind.key().into(),
                answer: None,
                at: Some(at),
                age_days: Some(days),
                count: 1,
            });
        } else {
            older.0 += points;
            older.1 += 1;
        }
    }
    if let Some((total_sum, count)) = total {
        sum = total_sum;
        older = ((total_sum - listed.0).max(0.0), count.saturating_sub(listed.1));
    }
    if older.1 > 0 {
        lines.push(ScoreLine {
            points: round1(older.0),
            reason: format!("+{} from {} older activities", round1(older.0), older.1),
            part: ScorePart::Engagement,
            key: "older".into(),
            answer: None,
            at: None,
            age_days: None,
            count: older.1,
        });
    }
    if sum > PART_CAP {
        // What the lines show above 50 (their rounding included) is cut, so
        // they add up to the capped part.
        let shown: f64 = lines[fit_lines..].iter().map(|l| l.points).sum();
        if round1(shown - PART_CAP) > 0.0 {
            lines.push(cap_line(ScorePart::Engagement, shown - PART_CAP));
        }
    }
    let engagement = engagement_part(sum);
    let score = fit + engagement;
    let proposal = propose(stage, criteria, score, settings);
    Score { score: score as u8, fit: fit as u8, engagement: engagement as u8, lines, proposal }
}

/// The engagement part of the score from its decayed sum: capped, rounded.
pub fn engagement_part(sum: f64) -> u32 {
    sum.min(PART_CAP).round() as u32
}

/// The qualification rules of SPEC §4: the stage a contact is proposed for.
pub fn propose(stage: Stage, criteria: &Criteria, score: u32, settings: &ScoringSettings) -> Option<Stage> {
    let yes = |a: Answer| a == Answer::Yes;
    match stage {
        Stage::Lead
            if (yes(criteria.target_group) && yes(criteria.budget) && yes(criteria.authority))
                || score >= settings.prospect_threshold =>
        {
            Some(Stage::Prospect)
        }
        Stage::Prospect
            if score >= settings.opportunity_threshold && yes(criteria.need) && yes(criteria.timeline) =>
        {
            Some(Stage::Opportunity)
        }
        _ => None,
    }
}

/// The reason recorded when a proposal is accepted by hand (`auto` false)
/// or applied by auto-advance, in the rep's language.
pub fn proposal_reason(
    stage: Stage,
    criteria: &Criteria,
    score: u32,
    settings: &ScoringSettings,
    auto: bool,
    language: Language,
) -> String {
    let yes = |a: Answer| a == Answer::Yes;
    let how = if auto { Text::ProposalAutomatic } else { Text::ProposalAccepted }.get(language);
    let why = match stage {
        Stage::Lead if yes(criteria.target_group) && yes(criteria.budget) && yes(criteria.authority) => {
            Text::ReasonFitConfirmed.fill(language, &[("score", &score)])
        }
        Stage::Lead => Text::ReasonProspectThreshold
            .fill(language, &[("score", &score), ("threshold", &settings.prospect_threshold)]),
        _ => Text::ReasonOpportunityThreshold
            .fill(language, &[("score", &score), ("threshold", &settings.opportunity_threshold)]),
    };
    format!("{how}: {why}")
}

/// Per-contact running sums for scoring everyone cheaply: per kind, the sum
/// of 2^((at − base) / half-life) over its activities, so that the decayed
/// engagement at `now` is Σ points(kind) · sum(kind) · 2^(−(now − base) / half-life).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EngagementSums {
    /// The newest activity's time (ms); sums are relative to it.
    pub base_ms: i64,
    /// Per kind (index of [`ActivityKind::ALL`]).
    pub sums: [f64; 12],
    /// Activities per kind.
    pub counts: [u32; 12],
}

impl EngagementSums {
    /// Adds an activity.
    pub fn add(&mut self, kind: ActivityKind, at_ms: i64, settings: &ScoringSettings) {
        if self.counts.iter().all(|c| *c == 0) {
            self.base_ms = at_ms;
            self.sums = [0.0; 12];
        } else if at_ms > self.base_ms {
            let shrink = settings.decay(at_ms - self.base_ms);
            self.sums.iter_mut().for_each(|s| *s *= shrink);
            self.base_ms = at_ms;
        }
        self.sums[kind.index()] += settings.decay(self.base_ms - at_ms);
        self.counts[kind.index()] += 1;
    }

    /// Removes an activity added before.
    pub fn remove(&mut self, kind: ActivityKind, at_ms: i64, settings: &ScoringSettings) {
        let i = kind.index();
        self.counts[i] = self.counts[i].saturating_sub(1);
        self.sums[i] = if self.counts[i] == 0 {
            0.0
        } else {
            (self.sums[i] - settings.decay(self.base_ms - at_ms)).max(0.0)
        };
    }

    /// Engagement points (before the cap) at `now`, when the sums can tell:
    /// not when an activity lies after `now` (the sums count it in full,
    /// the score leaves it out until its time), so the caller reads the
    /// activities then.
    pub fn value_at(&self, settings: &ScoringSettings, now: DateTime<Utc>) -> Option<f64> {
        (self.base_ms <= now.timestamp_millis()).then(|| self.value(settings, now))
    }

    /// Engagement points (before the cap) at `now`.
    pub fn value(&self, settings: &ScoringSettings, now: DateTime<Utc>) -> f64 {
        let factor = settings.decay(now.timestamp_millis() - self.base_ms);
        ActivityKind::ALL
            .iter()
            .map(|k| f64::from(settings.engagement_points.get(*k)) * self.sums[k.index()])
            .sum::<f64>()
            * factor
    }

    /// Number of activities.
    pub fn count(&self) -> u32 {
        self.counts.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;
    use rstest::rstest;
    use ActivityKind as K;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
    }

    /// Every criterion answered alike.
    fn all(a: Answer) -> Criteria {
        Criteria { target_group: a, budget: a, authority: a, need: a, timeline: a }
    }

    fn s() -> ScoringSettings {
        ScoringSettings::default()
    }

    fn only(field: &str, answer: Answer) -> Criteria {
        let mut c = Criteria::default();
        match field {
            "target_group" => c.target_group = answer,
            "budget" => c.budget = answer,
            "authority" => c.authority = answer,
            "need" => c.need = answer,
            _ => c.timeline = answer,
        }
        c
    }

    #[rstest]
    #[case("target_group", 15)]
    #[case("budget", 10)]
    #[case("authority", 10)]
    #[case("need", 10)]
    #[case("timeline", 5)]
    fn each_criterion_earns_its_points_only_for_yes(#[case] field: &str, #[case] points: u8) {
        let yes = score(Stage::Lead, &only(field, Answer::Yes), [], &s(), now());
        assert_eq!((yes.fit, yes.score), (points, points));
        let line = yes.lines.iter().find(|l| l.key == field).unwrap();
        assert_eq!(line.points, f64::from(points));
        assert!(line.reason.starts_with(&format!("+{points} ")), "{}", line.reason);
        for answer in [Answer::No, Answer::Unknown] {
            assert_eq!(score(Stage::Lead, &only(field, answer), [], &s(), now()).fit, 0);
        }
        let unknown = score(Stage::Lead, &Criteria::default(), [], &s(), now());
        assert!(unknown.lines.iter().any(|l| l.reason == "+0 budget unknown"));
    }

    #[rstest]
    #[case(K::Call, 8)]
    #[case(K::Meeting, 12)]
    #[case(K::Visit, 15)]
    #[case(K::Email, 4)]
    #[case(K::Note, 0)]
    #[case(K::NewsletterSignup, 5)]
    #[case(K::WhitepaperDownload, 10)]
    #[case(K::WebinarAttended, 15)]
    #[case(K::WebsiteVisit, 2)]
    #[case(K::EmailOpened, 2)]
    #[case(K::EmailReplied, 8)]
    #[case(K::FormSubmitted, 10)]
    fn each_kind_earns_its_points_today(#[case] kind: ActivityKind, #[case] points: u8) {
        let sc = score(Stage::Lead, &Criteria::default(), [(kind, now())], &s(), now());
        assert_eq!(sc.engagement, points);
        let line = sc.lines.last().unwrap();
        assert_eq!(line.key, kind.key());
        assert_eq!(line.reason, format!("+{points} {}, today", kind.label()));
    }

    #[rstest]
    #[case(0, 15.0)]
    #[case(30, 7.5)]
    #[case(90, 1.875)]
    fn decay_halves_per_half_life(#[case] days: i64, #[case] expected: f64) {
        let at = now() - Duration::days(days);
        let sum = engagement_sum([(K::WebinarAttended, at)], &s(), now());
        assert!((sum - expected).abs() < 1e-9, "{sum}");
        let sc = score(Stage::Lead, &Criteria::default(), [(K::WebinarAttended, at)], &s(), now());
        assert_eq!(sc.lines.last().unwrap().age_days, Some(days));
    }

    #[test]
    fn line_reads_like_the_spec() {
        let sc = score(
            Stage::Lead,
            &Criteria::default(),
            [(K::WebinarAttended, now() - Duration::days(3))],
            &s(),
            now(),
        );
        assert_eq!(sc.lines.last().unwrap().reason, "+14 webinar attended, 3 days ago");
    }

    #[test]
    fn parts_are_capped_at_50() {
        let all_yes = all(Answer::Yes);
        let mut settings = s();
        settings.fit_points =
            FitPoints { target_group: 50, budget: 50, authority: 50, need: 50, timeline: 50 };
        let many = vec![(K::Visit, now()); 10];
        let sc = score(Stage::Lead, &all_yes, many, &settings, now());
        assert_eq!((sc.fit, sc.engagement, sc.score), (50, 50, 100));
    }

    fn line_sum(sc: &Score, part: Option<ScorePart>) -> f64 {
        sc.lines.iter().filter(|l| part.is_none_or(|p| l.part == p)).map(|l| l.points).sum()
    }

    /// How far the lines may be off `fit + engagement`: the engagement part
    /// is rounded to a whole number, each of its lines to one decimal.
    fn rounding_slack(sc: &Score) -> f64 {
        let engagement_lines = sc.lines.iter().filter(|l| l.part == ScorePart::Engagement).count();
        0.5 + 0.05 * engagement_lines as f64 + 1e-6
    }

    #[rstest]
    #[case::nothing(None, 15, &[], (0, 0), None)]
    #[case::one_webinar(None, 15, &[(K::WebinarAttended, 3)], (0, 14), None)]
    #[case::decayed_under_the_cap(Some(Answer::Yes), 15, &[(K::Call, 10), (K::Visit, 33), (K::EmailOpened, 1)], (50, 15), None)]
    #[case::all_yes_exactly_50(Some(Answer::Yes), 15, &[], (50, 0), None)]
    #[case::fit_over_the_cap(Some(Answer::Yes), 40, &[], (50, 0), Some("-25 fit capped at 50"))]
    #[case::engagement_over_the_cap(None, 15, &[(K::Visit, 0); 10], (0, 50), Some("-100 engagement capped at 50"))]
    #[case::both_over_the_cap(Some(Answer::Yes), 50, &[(K::WebinarAttended, 0); 8], (50, 50), Some("-70 engagement capped at 50"))]
    fn lines_add_up_to_fit_plus_engagement(
        #[case] answer: Option<Answer>,
        #[case] target_group_points: u32,
        #[case] activities: &[(ActivityKind, i64)],
        #[case] expected: (u8, u8),
        #[case] cap_reason: Option<&str>,
    ) {
        let criteria = all(answer.unwrap_or_default());
        let mut settings = s();
        settings.fit_points.target_group = target_group_points;
        let acts = activities.iter().map(|(k, d)| (*k, now() - Duration::days(*d)));
        let sc = score(Stage::Lead, &criteria, acts, &settings, now());
        assert_eq!((sc.fit, sc.engagement), expected);
        assert_eq!(line_sum(&sc, Some(ScorePart::Fit)), f64::from(sc.fit), "fit lines are whole points");
        let total = f64::from(sc.fit) + f64::from(sc.engagement);
        assert!((line_sum(&sc, None) - total).abs() <= rounding_slack(&sc), "{:?}", sc.lines);
        let caps: Vec<&ScoreLine> = sc.lines.iter().filter(|l| l.key.ends_with("_cap")).collect();
        assert!(caps.len() <= 2 && caps.iter().all(|l| l.points < 0.0 && l.count == 0));
        if let Some(reason) = cap_reason {
            assert!(caps.iter().any(|l| l.reason == reason), "{caps:?}");
        } else {
            assert!(caps.is_empty(), "{caps:?}");
        }
        if caps.iter().any(|l| l.part == ScorePart::Engagement) {
            let shown = line_sum(&sc, Some(ScorePart::Engagement));
            assert!((shown - 50.0).abs() < 1e-9, "a capped part adds up exactly: {shown}");
        }
    }

    #[test]
    fn the_engagement_cap_comes_last_and_the_fit_cap_after_the_criteria() {
        let all_yes = all(Answer::Yes);
        let mut settings = s();
        settings.fit_points.need = 30;
        let acts: Vec<_> = (0..30).map(|h| (K::Meeting, now() - Duration::hours(h))).collect();
        let sc = score(Stage::Lead, &all_yes, acts, &settings, now());
        let keys: Vec<&str> = sc.lines.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(&keys[..6], ["target_group", "budget", "authority", "need", "timeline", "fit_cap"]);
        assert_eq!(sc.lines[5].part, ScorePart::Fit);
        assert_eq!(sc.lines[5].points, -20.0);
        assert_eq!(keys[6..26].iter().filter(|k| **k == "meeting").count(), 20);
        assert_eq!(&keys[26..], ["older", "engagement_cap"]);
        assert_eq!(sc.lines[27].part, ScorePart::Engagement);
    }

    #[test]
    fn line_points_are_json_integers_when_whole_and_one_decimal_otherwise() {
        let acts = [(K::Visit, now()), (K::Call, now() - Duration::days(10))];
        let sc = score(Stage::Lead, &only("budget", Answer::Yes), acts, &s(), now());
        let json = serde_json::to_value(&sc).unwrap();
        let points: Vec<String> =
            json["lines"].as_array().unwrap().iter().map(|l| l["points"].to_string()).collect();
        assert_eq!(points, ["0", "10", "0", "0", "0", "15", "6.3"]);
        assert!(json["score"].is_u64() && json["fit"].is_u64() && json["engagement"].is_u64());
        let capped = score(Stage::Lead, &Criteria::default(), vec![(K::Visit, now()); 4], &s(), now());
        let json = serde_json::to_value(&capped).unwrap();
        assert_eq!(json["lines"].as_array().unwrap().last().unwrap()["points"], serde_json::json!(-10));
        let back: Score = serde_json::from_value(json).unwrap();
        assert_eq!(back, capped);
    }

    #[test]
    fn future_activities_do_not_count_yet() {
        let sc =
            score(Stage::Lead, &Criteria::default(), [(K::Visit, now() + Duration::hours(1))], &s(), now());
        assert_eq!(sc.engagement, 0);
    }

    #[test]
    fn many_activities_are_summed_up_in_one_older_line() {
        let acts: Vec<_> = (0..25).map(|d| (K::Call, now() - Duration::days(d))).collect();
        let sc = score(Stage::Lead, &Criteria::default(), acts.clone(), &s(), now());
        assert_eq!(sc.lines.len(), 5 + 20 + 1 + 1, "fit, 20 activities, older, engagement cap");
        let older = &sc.lines[5 + 20];
        assert_eq!((older.key.as_str(), older.count), ("older", 5));
        let listed: f64 = sc
            .lines
            .iter()
            .filter(|l| l.part == ScorePart::Engagement && l.key != "engagement_cap")
            .map(|l| l.points)
            .sum();
        assert!((listed - engagement_sum(acts, &s(), now())).abs() < 0.2);
    }

    #[test]
    fn lead_is_proposed_for_prospect_by_criteria_or_threshold() {
        let mut c = Criteria { target_group: Answer::Yes, budget: Answer::Yes, ..Default::default() };
        assert_eq!(propose(Stage::Lead, &c, 25, &s()), None);
        c.authority = Answer::Yes;
        assert_eq!(propose(Stage::Lead, &c, 35, &s()), Some(Stage::Prospect));
        let none = Criteria::default();
        assert_eq!(propose(Stage::Lead, &none, 39, &s()), None);
        assert_eq!(propose(Stage::Lead, &none, 40, &s()), Some(Stage::Prospect));
    }

    #[test]
    fn prospect_needs_threshold_need_and_timeline_for_opportunity() {
        let mut c = Criteria { need: Answer::Yes, ..Default::default() };
        assert_eq!(propose(Stage::Prospect, &c, 90, &s()), None);
        c.timeline = Answer::Yes;
        assert_eq!(propose(Stage::Prospect, &c, 69, &s()), None);
        assert_eq!(propose(Stage::Prospect, &c, 70, &s()), Some(Stage::Opportunity));
        for stage in [Stage::Opportunity, Stage::Customer, Stage::Disqualified] {
            assert_eq!(propose(stage, &c, 100, &s()), None);
        }
    }

    #[test]
    fn target_group_is_proposed_from_the_organisation() {
        let org = |industry: Option<&str>, size: Option<u32>, postcode: Option<&str>| Organization {
            id: uuid::Uuid::nil(),
            name: "X".into(),
            industry: industry.map(Into::into),
            size,
            postcode: postcode.map(Into::into),
            region: None,
            street: None,
            city: None,
            country: None,
            pin: None,
            created_at: now(),
            updated_at: now(),
        };
        let profile = TargetProfile {
            industries: vec!["Bäckerei".into(), "Handwerk".into()],
            size_min: Some(5),
            size_max: Some(200),
            regions: vec!["30".into(), "31".into()],
        };
        let fits = org(Some("Bäckerei und Konditorei"), Some(20), Some("30159"));
        assert_eq!(propose_target_group(Some(&fits), &profile), Answer::Yes);
        assert_eq!(
            propose_target_group(Some(&org(Some("IT"), Some(20), Some("30159"))), &profile),
            Answer::No
        );
        assert_eq!(
            propose_target_group(Some(&org(Some("Handwerk"), Some(500), Some("30159"))), &profile),
            Answer::No
        );
        assert_eq!(
            propose_target_group(Some(&org(Some("Handwerk"), Some(50), Some("80331"))), &profile),
            Answer::No
        );
        assert_eq!(
            propose_target_group(Some(&org(Some("Handwerk"), None, Some("30159"))), &profile),
            Answer::Unknown
        );
        assert_eq!(propose_target_group(None, &profile), Answer::Unknown);
        assert_eq!(propose_target_group(Some(&fits), &TargetProfile::default()), Answer::Unknown);
    }

    #[test]
    fn engagement_sums_match_the_direct_sum() {
        let acts = [(K::Visit, 40), (K::Call, 3), (K::WebinarAttended, 10), (K::Call, 70)];
        let mut sums = EngagementSums::default();
        for (kind, days) in acts {
            sums.add(kind, (now() - Duration::days(days)).timestamp_millis(), &s());
        }
        let direct = engagement_sum(acts.iter().map(|(k, d)| (*k, now() - Duration::days(*d))), &s(), now());
        assert!((sums.value(&s(), now()) - direct).abs() < 1e-9);
        sums.remove(K::Call, (now() - Duration::days(3)).timestamp_millis(), &s());
        let without = engagement_sum(
            acts.iter().filter(|(_, d)| *d != 3).map(|(k, d)| (*k, now() - Duration::days(*d))),
            &s(),
            now(),
        );
        assert!((sums.value(&s(), now()) - without).abs() < 1e-9);
    }

    fn any_kind() -> impl Strategy<Value = ActivityKind> {
        prop::sample::select(ActivityKind::ALL.to_vec())
    }

    fn any_answer() -> impl Strategy<Value = Answer> {
        prop::sample::select(vec![Answer::Yes, Answer::No, Answer::Unknown])
    }

    fn any_criteria() -> impl Strategy<Value = Criteria> {
        (any_answer(), any_answer(), any_answer(), any_answer(), any_answer()).prop_map(|(a, b, c, d, e)| {
            Criteria { target_group: a, budget: b, authority: c, need: d, timeline: e }
        })
    }

    fn any_activities() -> impl Strategy<Value = Vec<(ActivityKind, DateTime<Utc>)>> {
        prop::collection::vec((any_kind(), 0i64..2_000), 0..60).prop_map(|v| {
            let mut acts: Vec<_> = v.into_iter().map(|(k, h)| (k, now() - Duration::hours(h * 7))).collect();
            acts.sort_by_key(|a| std::cmp::Reverse(a.1));
            acts
        })
    }

    proptest! {
        #[test]
        fn score_stays_within_0_to_100(c in any_criteria(), acts in any_activities()) {
            let sc = score(Stage::Lead, &c, acts, &s(), now());
            prop_assert!(sc.score <= 100 && sc.fit <= 50 && sc.engagement <= 50);
            prop_assert_eq!(sc.score, sc.fit + sc.engagement);
        }

        #[test]
        fn more_engagement_never_lowers_it(c in any_criteria(), acts in any_activities(), extra in any_kind(), h in 0i64..5_000) {
            let before = score(Stage::Lead, &c, acts.clone(), &s(), now()).score;
            let mut more = acts;
            more.push((extra, now() - Duration::hours(h)));
            more.sort_by_key(|a| std::cmp::Reverse(a.1));
            prop_assert!(score(Stage::Lead, &c, more, &s(), now()).score >= before);
        }

        #[test]
        fn lines_always_add_up_to_the_score(
            c in any_criteria(),
            acts in any_activities(),
            fit_each in 0u32..=50,
            with_sums in any::<bool>(),
        ) {
            let mut settings = s();
            settings.fit_points =
                FitPoints { target_group: fit_each, budget: fit_each, authority: fit_each, need: fit_each, timeline: fit_each };
            // Both ways a score is made: from every activity, or (as the store
            // does) from the running sums and the newest activities.
            let sc = if with_sums {
                let mut sums = EngagementSums::default();
                for (kind, at) in &acts {
                    sums.add(*kind, at.timestamp_millis(), &settings);
                }
                let total = (sums.value(&settings, now()), sums.count());
                score_with_total(Stage::Lead, &c, acts.into_iter().take(LINES_SHOWN), Some(total), &settings, now())
            } else {
                score(Stage::Lead, &c, acts, &settings, now())
            };
            prop_assert_eq!(line_sum(&sc, Some(ScorePart::Fit)), f64::from(sc.fit));
            let off = (line_sum(&sc, None) - f64::from(sc.score)).abs();
            prop_assert!(off <= rounding_slack(&sc), "off by {} in {:?}", off, sc.lines);
        }

        #[test]
        fn decay_never_raises_it(c in any_criteria(), acts in any_activities(), later in 0i64..10_000) {
            let at_now = score(Stage::Lead, &c, acts.clone(), &s(), now()).score;
            let afterwards = score(Stage::Lead, &c, acts, &s(), now() + Duration::hours(later)).score;
            prop_assert!(afterwards <= at_now);
        }
    }
}
