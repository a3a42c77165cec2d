//! Plausible text for STRING columns that have no pattern or allowed values, chosen by the
//! column's name (names, phone numbers, addresses, IP addresses...).

use super::rng::Source;
use std::fmt::Write;

const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas", "Kara",
    "Liam", "Maya", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera",
    "Wen", "Yara", "Zoe",
];
const LAST: &[&str] = &[
    "Adams", "Baker", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen",
    "Kowalski", "Lopez", "Muller", "Nakamura", "O'Brien", "Patel", "Quist", "Rossi", "Silva",
    "Tanaka", "Urban", "Varga", "Weber", "Young", "Zhang",
];
const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Maple Rd",
    "Cedar Ln",
    "Park Blvd",
    "Hill St",
    "Lake Dr",
    "River Rd",
];
const CITIES: &[&str] = &[
    "Springfield",
    "Riverside",
    "Franklin",
    "Greenville",
    "Bristol",
    "Madison",
    "Salem",
    "Dover",
];
const CATEGORIES: &[&str] = &[
    "electronics",
    "apparel",
    "home",
    "garden",
    "toys",
    "books",
    "grocery",
    "sports",
    "beauty",
];
const TEAMS: &[&str] = &[
    "Enterprise East",
    "Enterprise West",
    "Mid-Market",
    "SMB",
    "Strategic",
    "Partners",
];
const WORDS: &[&str] = &[
    "alpha", "bravo", "delta", "echo", "falcon", "harbor", "indigo", "juniper", "kestrel", "lumen",
    "meadow", "nova", "orbit", "prism", "quartz", "summit", "tundra", "vertex",
];

/// A style of text, chosen once per column from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    FirstName,
    LastName,
    FullName,
    Phone,
    Address,
    City,
    Ip,
    Email,
    Category,
    Team,
    /// `<word>-<number>` for anything else.
    Generic,
}

impl Style {
    pub(crate) fn for_column(name: &str) -> Style {
        let n = name.to_ascii_lowercase();
        let has = |s: &str| n.contains(s);
        if has("first_name") || has("given_name") {
            Style::FirstName
        } else if has("last_name") || has("surname") || has("family_name") {
            Style::LastName
        } else if has("name") && !has("team") && !has("product") && !has("category") {
            Style::FullName
        } else if has("phone") || has("mobile") {
            Style::Phone
        } else if has("address") && (has("ip") || n == "ip_address") {
            Style::Ip
        } else if has("address") || has("street") {
            Style::Address
        } else if has("city") {
            Style::City
        } else if n == "ip" || has("_ip") || has("ip_") {
            Style::Ip
        } else if has("email") {
            Style::Email
        } else if has("category") {
            Style::Category
        } else if has("team") {
            Style::Team
        } else {
            Style::Generic
        }
    }

    pub(crate) fn write(self, rng: &mut impl Source, out: &mut String) {
        let pick = |rng: &mut dyn FnMut(u64) -> u64, list: &[&'static str]| {
            list[rng(list.len() as u64) as usize]
        };
        let mut below = |n: u64| rng.below(n);
        match self {
            Style::FirstName => out.push_str(pick(&mut below, FIRST)),
            Style::LastName => out.push_str(pick(&mut below, LAST)),
            Style::FullName => {
                out.push_str(pick(&mut below, FIRST));
                out.push(' ');
                out.push_str(pick(&mut below, LAST));
            }
            Style::Phone => {
                let _ = write!(out, "+1-555-{:03}-{:04}", below(1000), below(10_000));
            }
            Style::Address => {
                let _ = write!(
                    out,
                    "{} {}, {} {:05}",
                    1 + below(9999),
                    pick(&mut below, STREETS),
                    pick(&mut below, CITIES),
                    below(100_000)
                );
            }
            Style::City => out.push_str(pick(&mut below, CITIES)),
            Style::Ip => {
                let _ = write!(
                    out,
                    "{}.{}.{}.{}",
                    1 + below(223),
                    below(256),
                    below(256),
                    1 + below(254)
                );
            }
            Style::Email => {
                let first = pick(&mut below, FIRST).to_ascii_lowercase();
                let _ = write!(out, "{first}.{}@example.com", below(100_000));
            }
            Style::Category => out.push_str(pick(&mut below, CATEGORIES)),
            Style::Team => out.push_str(pick(&mut below, TEAMS)),
            Style::Generic => {
                let _ = write!(out, "{}-{}", pick(&mut below, WORDS), below(100_000));
            }
        }
    }
}
