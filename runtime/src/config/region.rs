//! The Genesys Cloud regions, with their API and login hosts.

use std::fmt;
use std::str::FromStr;

macro_rules! regions {
    ($($variant:ident => $id:literal, $env:literal;)*) => {
        /// A Genesys Cloud region. Parses from any form users write: `us-east-1`, `us_east_1`,
        /// `mypurecloud.com`, `api.mypurecloud.com`, `login.mypurecloud.com`, or a full
        /// `https://api.mypurecloud.com` URL.
        ///
        /// ```
        /// use genesys_runtime::Region;
        /// let region: Region = "eu_west_1".parse().unwrap();
        /// assert_eq!(region, Region::EuWest1);
        /// assert_eq!(region.api_base_url(), "https://api.mypurecloud.ie");
        /// assert_eq!(region.login_base_url(), "https://login.mypurecloud.ie");
        /// assert_eq!("api.mypurecloud.ie".parse::<Region>().unwrap(), region);
        /// assert_eq!(region.to_string(), "eu-west-1");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Region {
            $(
                #[doc = concat!("`", $id, "`: `", $env, "`.")]
                $variant,
            )*
        }

        impl Region {
            /// Every region, in the order Genesys lists them.
            pub const ALL: &'static [Region] = &[$(Region::$variant),*];

            /// The region's id, such as `us-east-1`.
            pub fn id(self) -> &'static str {
                match self { $(Region::$variant => $id,)* }
            }

            /// The region's domain, such as `mypurecloud.com`.
            pub fn domain(self) -> &'static str {
                match self { $(Region::$variant => $env,)* }
            }

            /// The API base URL, such as `https://api.mypurecloud.com`.
            pub fn api_base_url(self) -> &'static str {
                match self { $(Region::$variant => concat!("https://api.", $env),)* }
            }

            /// The login base URL (OAuth), such as `https://login.mypurecloud.com`.
            pub fn login_base_url(self) -> &'static str {
                match self { $(Region::$variant => concat!("https://login.", $env),)* }
            }
        }
    };
}

regions! {
    UsEast1 => "us-east-1", "mypurecloud.com";
    EuWest1 => "eu-west-1", "mypurecloud.ie";
    ApSoutheast2 => "ap-southeast-2", "mypurecloud.com.au";
    ApNortheast1 => "ap-northeast-1", "mypurecloud.jp";
    EuCentral1 => "eu-central-1", "mypurecloud.de";
    UsWest2 => "us-west-2", "usw2.pure.cloud";
    CaCentral1 => "ca-central-1", "cac1.pure.cloud";
    ApNortheast2 => "ap-northeast-2", "apne2.pure.cloud";
    EuWest2 => "eu-west-2", "euw2.pure.cloud";
    ApSouth1 => "ap-south-1", "aps1.pure.cloud";
    UsEast2 => "us-east-2", "use2.us-gov-pure.cloud";
    SaEast1 => "sa-east-1", "sae1.pure.cloud";
    MeCentral1 => "me-central-1", "mec1.pure.cloud";
    ApNortheast3 => "ap-northeast-3", "apne3.pure.cloud";
    EuCentral2 => "eu-central-2", "euc2.pure.cloud";
    MxCentral1 => "mx-central-1", "mxc1.pure.cloud";
    ApSoutheast1 => "ap-southeast-1", "apse1.pure.cloud";
    EuscDeEast1 => "eusc-de-east-1", "edee1.eusc-pure.cloud";
}

impl Default for Region {
    /// `us-east-1` (`mypurecloud.com`), the SDKs' default.
    fn default() -> Self {
        Region::UsEast1
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A region name that matches no Genesys Cloud region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRegion {
    given: String,
}

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Genesys Cloud region {:?}; use a region id or its domain: ",
            self.given
        )?;
        for (i, region) in Region::ALL.iter().enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            write!(f, "{separator}{} ({})", region.id(), region.domain())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownRegion {}

impl FromStr for Region {
    type Err = UnknownRegion;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let normalized = text.trim().to_ascii_lowercase();
        let host = normalized
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let domain = host
            .strip_prefix("api.")
            .or_else(|| host.strip_prefix("login."))
            .unwrap_or(host);
        let id = domain.replace('_', "-");
        Region::ALL
            .iter()
            .copied()
            .find(|region| region.id() == id || region.domain() == domain)
            .ok_or_else(|| UnknownRegion {
                given: text.to_owned(),
            })
    }
}

/// Written as the region's id (`"eu-west-1"`), the form `Display` gives.
impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// Read from any form [`FromStr`] accepts (`"eu-west-1"`, `"eu_west_1"`, `"mypurecloud.ie"`,
/// `"api.mypurecloud.ie"`), so a configuration file can use the form its users know.
impl<'de> serde::Deserialize<'de> for Region {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_writes_the_id_and_reads_any_form() {
        let json = serde_json::to_string(&Region::EuWest1).unwrap();
        assert_eq!(json, "\"eu-west-1\"");
        for form in ["\"eu-west-1\"", "\"eu_west_1\"", "\"api.mypurecloud.ie\""] {
            assert_eq!(
                serde_json::from_str::<Region>(form).unwrap(),
                Region::EuWest1
            );
        }
        let error = serde_json::from_str::<Region>("\"mars-1\"").unwrap_err();
        assert!(error.to_string().contains("us-east-1"), "{error}");
    }

    #[test]
    fn eighteen_regions_with_api_and_login_hosts() {
        assert_eq!(Region::ALL.len(), 18);
        for region in Region::ALL {
            assert!(region.api_base_url().starts_with("https://api."));
            assert_eq!(
                region.login_base_url().replacen("login.", "api.", 1),
                region.api_base_url()
            );
            for form in [
                region.id().to_owned(),
                region.id().replace('-', "_"),
                region.id().to_uppercase().replace('-', "_"),
                region.domain().to_owned(),
                format!("api.{}", region.domain()),
                format!("login.{}", region.domain()),
                region.api_base_url().to_owned(),
                format!("{}/", region.api_base_url()),
            ] {
                assert_eq!(form.parse::<Region>(), Ok(*region), "{form}");
            }
        }
        assert_eq!(Region::default(), Region::UsEast1);
    }

    #[test]
    fn unknown_regions_list_the_valid_ones() {
        let error = "us-east-9".parse::<Region>().unwrap_err().to_string();
        assert!(error.contains("\"us-east-9\""), "{error}");
        assert!(error.contains("us-east-1 (mypurecloud.com)"), "{error}");
        assert!(
            error.contains("eusc-de-east-1 (edee1.eusc-pure.cloud)"),
            "{error}"
        );
    }
}
