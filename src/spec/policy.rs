//! The product policies in one place: what each SLA level, sensitivity and tier implies.
//! Every command reads these tables; templates and checks never re-decide them.

use crate::spec::governance::{DefaultAccess, MaskingStrategy};
use crate::spec::values::{Duration, Percent, Sensitivity, SlaLevel, Tier};

/// Defaults for one SLA level (design: "SLA level → defaults").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SlaPolicy {
    pub level: SlaLevel,
    pub freshness_target: Duration,
    pub freshness_breach: Duration,
    pub availability: Percent,
    pub quality_target: Percent,
    pub quality_breach: Percent,
    /// Consistency is held one step stricter than completeness and accuracy, as in the brief.
    pub consistency_target: Percent,
    pub consistency_breach: Percent,
    /// P95 seconds for a primary-key lookup, an aggregation and a multi-table join.
    pub p95_seconds: [u32; 3],
    /// How often freshness is measured.
    pub measurement_every: Duration,
}

pub(crate) const SLA_POLICIES: [SlaPolicy; 4] = [
    SlaPolicy {
        level: SlaLevel::Critical,
        freshness_target: Duration::hours(1),
        freshness_breach: Duration::hours(2),
        availability: Percent(99.95),
        quality_target: Percent(99.9),
        quality_breach: Percent(99.0),
        consistency_target: Percent(99.95),
        consistency_breach: Percent(99.5),
        p95_seconds: [1, 5, 30],
        measurement_every: Duration::minutes(15),
    },
    SlaPolicy {
        level: SlaLevel::High,
        freshness_target: Duration::hours(2),
        freshness_breach: Duration::hours(4),
        availability: Percent(99.9),
        quality_target: Percent(99.5),
        quality_breach: Percent(98.0),
        consistency_target: Percent(99.9),
        consistency_breach: Percent(99.0),
        p95_seconds: [1, 5, 30],
        measurement_every: Duration::minutes(30),
    },
    SlaPolicy {
        level: SlaLevel::Medium,
        freshness_target: Duration::hours(4),
        freshness_breach: Duration::hours(6),
        availability: Percent(99.9),
        quality_target: Percent(99.5),
        quality_breach: Percent(98.0),
        consistency_target: Percent(99.9),
        consistency_breach: Percent(99.0),
        p95_seconds: [1, 5, 30],
        measurement_every: Duration::minutes(30),
    },
    SlaPolicy {
        level: SlaLevel::Low,
        freshness_target: Duration::hours(24),
        freshness_breach: Duration::hours(48),
        availability: Percent(99.0),
        quality_target: Percent(98.0),
        quality_breach: Percent(95.0),
        consistency_target: Percent(99.0),
        consistency_breach: Percent(97.0),
        p95_seconds: [5, 30, 120],
        measurement_every: Duration::hours(1),
    },
];

pub(crate) fn sla(level: SlaLevel) -> &'static SlaPolicy {
    SLA_POLICIES
        .iter()
        .find(|p| p.level == level)
        .unwrap_or(&SLA_POLICIES[2])
}

/// Freshness target and breach for a table refreshed at `update_frequency`: the level's
/// defaults, widened for tables that are only refreshed weekly or monthly.
pub(crate) fn freshness_for(level: SlaLevel, update_frequency: &str) -> (Duration, Duration) {
    let p = sla(level);
    match update_frequency.to_ascii_lowercase().as_str() {
        "weekly" => (Duration::days(7), Duration::days(8)),
        "monthly" => (Duration::days(31), Duration::days(33)),
        _ => (p.freshness_target, p.freshness_breach),
    }
}

/// Support response times follow the brief at every level:
/// (severity, description, response, resolution, communication).
pub(crate) const SUPPORT_LEVELS: [(&str, &str, &str, &str, &str); 4] = [
    (
        "critical",
        "Product unavailable or data corruption",
        "15 minutes",
        "2 hours",
        "Every 30 minutes",
    ),
    (
        "high",
        "SLA breach or significant quality issues",
        "1 hour",
        "8 hours",
        "Every 2 hours",
    ),
    (
        "medium",
        "Minor issues not affecting core functionality",
        "4 hours",
        "2 business days",
        "Daily",
    ),
    (
        "low",
        "Questions, enhancements, documentation",
        "1 business day",
        "5 business days",
        "As needed",
    ),
];

/// Governance defaults for one sensitivity (design: "Sensitivity → governance").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SensitivityPolicy {
    pub sensitivity: Sensitivity,
    pub default_access: DefaultAccess,
    /// PII columns are refused at this level.
    pub pii_allowed: bool,
    /// Approved consumers see clear values (internal); otherwise only the owner group does,
    /// or nobody until a column is unmasked by hand (restricted).
    pub consumers_unmask: bool,
    pub owner_unmasks: bool,
    pub approval_required: bool,
    pub justification_required: bool,
    pub max_grant_days: Option<u32>,
    pub audit: bool,
    pub row_filter: bool,
    pub external_sharing: bool,
}

pub(crate) const SENSITIVITY_POLICIES: [SensitivityPolicy; 4] = [
    SensitivityPolicy {
        sensitivity: Sensitivity::Public,
        default_access: DefaultAccess::AccountUsers,
        pii_allowed: false,
        consumers_unmask: true,
        owner_unmasks: true,
        approval_required: false,
        justification_required: false,
        max_grant_days: None,
        audit: false,
        row_filter: false,
        external_sharing: true,
    },
    SensitivityPolicy {
        sensitivity: Sensitivity::Internal,
        default_access: DefaultAccess::ApprovedConsumers,
        pii_allowed: true,
        consumers_unmask: true,
        owner_unmasks: true,
        approval_required: false,
        justification_required: false,
        max_grant_days: None,
        audit: false,
        row_filter: false,
        external_sharing: true,
    },
    SensitivityPolicy {
        sensitivity: Sensitivity::Confidential,
        default_access: DefaultAccess::Deny,
        pii_allowed: true,
        consumers_unmask: false,
        owner_unmasks: true,
        approval_required: true,
        justification_required: false,
        max_grant_days: None,
        audit: true,
        row_filter: false,
        external_sharing: false,
    },
    SensitivityPolicy {
        sensitivity: Sensitivity::Restricted,
        default_access: DefaultAccess::Deny,
        pii_allowed: true,
        consumers_unmask: false,
        owner_unmasks: false,
        approval_required: true,
        justification_required: true,
        max_grant_days: Some(90),
        audit: true,
        row_filter: true,
        external_sharing: false,
    },
];

pub(crate) fn sensitivity(level: Sensitivity) -> &'static SensitivityPolicy {
    SENSITIVITY_POLICIES
        .iter()
        .find(|p| p.sensitivity == level)
        .unwrap_or(&SENSITIVITY_POLICIES[1])
}

/// Tier rules (design: "Tier").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TierPolicy {
    pub tier: Tier,
    /// SLA levels the tier may be combined with.
    pub allowed_sla: &'static [SlaLevel],
    /// Critical expectations stop the pipeline (`expect_or_fail`) instead of dropping rows.
    pub critical_fails_pipeline: bool,
    pub change_data_feed: bool,
    pub certified: bool,
}

pub(crate) const TIER_POLICIES: [TierPolicy; 2] = [
    TierPolicy {
        tier: Tier::Gold,
        allowed_sla: &[
            SlaLevel::Critical,
            SlaLevel::High,
            SlaLevel::Medium,
            SlaLevel::Low,
        ],
        critical_fails_pipeline: false,
        // The brief's gold product keeps the change data feed on for incremental consumers.
        change_data_feed: true,
        certified: false,
    },
    TierPolicy {
        tier: Tier::Platinum,
        allowed_sla: &[SlaLevel::Critical, SlaLevel::High],
        critical_fails_pipeline: true,
        change_data_feed: true,
        certified: true,
    },
];

pub(crate) fn tier(t: Tier) -> &'static TierPolicy {
    TIER_POLICIES
        .iter()
        .find(|p| p.tier == t)
        .unwrap_or(&TIER_POLICIES[0])
}

/// Column masks are the default; the masked view is for workspaces without masks.
pub(crate) const DEFAULT_MASKING: MaskingStrategy = MaskingStrategy::ColumnMask;

/// The account-wide group every Unity Catalog user belongs to.
pub(crate) const ACCOUNT_USERS: &str = "account users";

/// What a consumer may be granted, with what it means; the first is the default. Consumers
/// read a product: dpc grants `SELECT` (with `USE CATALOG` and `USE SCHEMA`).
pub(crate) const CONSUMER_PERMISSIONS: [(&str, &str); 1] = [(
    "SELECT",
    "read every table (PII masked unless the group may unmask)",
)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_has_exactly_one_policy() {
        for level in SlaLevel::ALL {
            assert_eq!(SLA_POLICIES.iter().filter(|p| p.level == *level).count(), 1);
            let p = sla(*level);
            assert!(p.freshness_breach.as_minutes() > p.freshness_target.as_minutes());
            assert!(p.quality_breach < p.quality_target);
        }
        for s in Sensitivity::ALL {
            assert_eq!(
                SENSITIVITY_POLICIES
                    .iter()
                    .filter(|p| p.sensitivity == *s)
                    .count(),
                1
            );
        }
        for t in Tier::ALL {
            assert_eq!(TIER_POLICIES.iter().filter(|p| p.tier == *t).count(), 1);
        }
    }

    #[test]
    fn medium_reproduces_the_brief() {
        let p = sla(SlaLevel::Medium);
        assert_eq!(p.freshness_target.to_string(), "4 hours");
        assert_eq!(p.freshness_breach.to_string(), "6 hours");
        assert_eq!(p.availability.to_string(), "99.9%");
        assert_eq!(p.quality_target.to_string(), "99.5%");
        assert_eq!(p.quality_breach.to_string(), "98%");
    }

    #[test]
    fn platinum_needs_a_strict_sla() {
        assert!(!tier(Tier::Platinum).allowed_sla.contains(&SlaLevel::Medium));
        assert!(tier(Tier::Gold).allowed_sla.contains(&SlaLevel::Low));
    }
}
