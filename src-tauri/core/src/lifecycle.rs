//! The lifecycle gate: the one check every stage change passes (SPEC §3).
//! Forward steps are free, disqualifying needs a reason, recycling goes back
//! to lead, and anything else (skipping, going back) is an explicit forced
//! correction with a reason.

use crate::error::{Error, Result};
use crate::stage::{Requirement, Stage};

/// Checks a move against the lifecycle. Returns the trimmed reason.
pub fn check_transition(from: Stage, to: Stage, reason: Option<&str>, force: bool) -> Result<Option<String>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let requirement = from.requirement_to(to).ok_or(Error::SameStage(from))?;
    if requirement == Requirement::Forced && !force {
        return Err(Error::InvalidTransition { from, to });
    }
    if requirement != Requirement::None && reason.is_none() {
        return Err(Error::ReasonRequired { from, to });
    }
    Ok(reason.map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Stage::*;

    #[test]
    fn forward_step_needs_no_reason() {
        assert_eq!(check_transition(Lead, Prospect, None, false).unwrap(), None);
        assert_eq!(
            check_transition(Lead, Prospect, Some("  met at fair "), false).unwrap(),
            Some("met at fair".into())
        );
    }

    #[test]
    fn skipping_without_force_is_invalid() {
        let err = check_transition(Lead, Customer, Some("bought"), false).unwrap_err();
        assert!(matches!(err, Error::InvalidTransition { from: Lead, to: Customer }));
        assert_eq!(err.code().as_str(), "invalid_transition");
    }

    #[test]
    fn forced_change_needs_reason() {
        let err = check_transition(Customer, Lead, Some("   "), true).unwrap_err();
        assert!(matches!(err, Error::ReasonRequired { .. }));
        assert!(check_transition(Customer, Lead, Some("wrong entry"), true).is_ok());
    }

    #[test]
    fn disqualify_needs_reason_recycle_does_not() {
        assert!(matches!(
            check_transition(Prospect, Disqualified, None, false),
            Err(Error::ReasonRequired { .. })
        ));
        assert!(check_transition(Disqualified, Lead, None, false).is_ok());
    }

    #[test]
    fn same_stage_is_rejected() {
        assert!(matches!(check_transition(Lead, Lead, Some("x"), true), Err(Error::SameStage(Lead))));
    }

    fn any_stage() -> impl Strategy<Value = Stage> {
        prop::sample::select(Stage::ALL.to_vec())
    }

    proptest! {
        /// Without force only one step forward, disqualify and recycle succeed.
        #[test]
        fn unforced_moves_follow_the_lifecycle(from in any_stage(), to in any_stage()) {
            let ok = check_transition(from, to, Some("because"), false).is_ok();
            let expected = matches!(
                (from, to),
                (Lead, Prospect)
                    | (Prospect, Opportunity)
                    | (Opportunity, Customer)
                    | (Lead | Prospect | Opportunity, Disqualified)
                    | (Disqualified, Lead)
            );
            prop_assert_eq!(ok, expected);
        }

        /// With force and a reason every change to another stage is possible.
        #[test]
        fn forced_with_reason_reaches_every_other_stage(from in any_stage(), to in any_stage()) {
            prop_assert_eq!(check_transition(from, to, Some("fix"), true).is_ok(), from != to);
        }
    }
}
