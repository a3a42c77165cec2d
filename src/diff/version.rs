//! Semantic versions and the bump a set of changes requires.

use serde::Serialize;
use std::fmt;

/// How much a change breaks consumers, in semantic-versioning terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub(crate) fn parse(s: &str) -> Result<Self, String> {
        let err = || format!("'{s}' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0)");
        let core = s.trim().split(['-', '+']).next().unwrap_or("");
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse::<u64>().map_err(|_| err()))
            .collect::<Result<_, _>>()?;
        match parts[..] {
            [major, minor, patch] => Ok(Version {
                major,
                minor,
                patch,
            }),
            _ => Err(err()),
        }
    }

    /// The smallest version that carries `bump` over `self`.
    pub(crate) fn bumped(self, bump: Bump) -> Self {
        match bump {
            Bump::Major => Version {
                major: self.major + 1,
                minor: 0,
                patch: 0,
            },
            Bump::Minor => Version {
                major: self.major,
                minor: self.minor + 1,
                patch: 0,
            },
            Bump::Patch => Version {
                patch: self.patch + 1,
                ..self
            },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps() {
        let v = Version::parse("1.2.3").expect("version");
        assert_eq!(v.bumped(Bump::Major).to_string(), "2.0.0");
        assert_eq!(v.bumped(Bump::Minor).to_string(), "1.3.0");
        assert_eq!(v.bumped(Bump::Patch).to_string(), "1.2.4");
        assert!(Version::parse("1.2").is_err());
        assert!(Version::parse("1.2.0") < Version::parse("1.10.0"));
    }
}
