//! [`ApiGroup`]: the route table `#[api]` generates for an API group, as `'static` data.

use std::fmt;

use http::Method;

use super::endpoint::Endpoint;

/// The route table of one API group: every declared endpoint, in declaration order.
///
/// `#[api]` on an API trait generates one as a `pub static` named after the trait
/// (`TokensApi` → `TOKENS_API`), and prints it in that static's docs. The generated calls
/// use the very same [`Endpoint`]s.
#[derive(Debug)]
pub struct ApiGroup {
    name: &'static str,
    endpoints: &'static [&'static Endpoint],
}

impl ApiGroup {
    /// A group. For generated code.
    pub const fn new(name: &'static str, endpoints: &'static [&'static Endpoint]) -> Self {
        ApiGroup { name, endpoints }
    }

    /// The trait's name, such as `TokensApi`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Every endpoint, in declaration order.
    pub fn endpoints(&self) -> &'static [&'static Endpoint] {
        self.endpoints
    }

    /// The endpoint declared by the method of this name.
    pub fn endpoint(&self, operation: &str) -> Option<&'static Endpoint> {
        self.endpoints
            .iter()
            .copied()
            .find(|e| e.operation == operation)
    }

    /// The endpoint a request for `method` and `path` (the path as sent, without query)
    /// reaches, with its path arguments as sent (still percent-encoded), by placeholder name.
    /// A literal segment wins over a placeholder (`/tokens/me` before `/tokens/{userId}`).
    pub fn route<'p>(
        &self,
        method: &Method,
        path: &'p str,
    ) -> Option<(&'static Endpoint, Vec<(&'static str, &'p str)>)> {
        let mut best: Option<(&'static Endpoint, Vec<(&'static str, &'p str)>)> = None;
        for endpoint in self.endpoints.iter().copied() {
            if endpoint.method != *method {
                continue;
            }
            let Some(args) = match_template(endpoint.path, path) else {
                continue;
            };
            // Fewer placeholders means more literal segments: the more specific route.
            if best
                .as_ref()
                .is_none_or(|(_, found)| args.len() < found.len())
            {
                best = Some((endpoint, args));
            }
        }
        best
    }
}

/// Matches `/a/{x}/b` against `/a/1/b`, segment by segment: `Some([("x", "1")])`.
fn match_template<'p>(
    template: &'static str,
    path: &'p str,
) -> Option<Vec<(&'static str, &'p str)>> {
    let mut args = Vec::new();
    let mut wanted = template.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(args),
            (Some(w), Some(g)) => {
                if let Some(name) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                    if g.is_empty() {
                        return None;
                    }
                    args.push((name, g));
                } else if w != g {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

impl fmt::Display for ApiGroup {
    /// One line per endpoint: `GET /api/v2/tokens/me  get_tokens_me(preserveIdleTTL: query?) -> TokenInfo`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} endpoints", self.name, self.endpoints.len())?;
        for endpoint in self.endpoints {
            write!(f, "  {endpoint}  {}(", endpoint.operation)?;
            for (i, param) in endpoint.params.iter().enumerate() {
                let separator = if i == 0 { "" } else { ", " };
                let optional = if param.optional { "?" } else { "" };
                let list = if param.list { "[]" } else { "" };
                write!(
                    f,
                    "{separator}{}: {}{list}{optional}",
                    param.name,
                    param.kind.as_str()
                )?;
            }
            write!(f, ") -> {}", endpoint.returns)?;
            if let Some(timeout) = endpoint.timeout {
                write!(f, " timeout={timeout:?}")?;
            }
            if endpoint.retry != Default::default() {
                write!(f, " retry={:?}", endpoint.retry)?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::endpoint::{Param, ParamKind};

    static ME: Endpoint = Endpoint::new("get_me", Method::GET, "/api/v2/tokens/me");
    static USER: Endpoint = Endpoint::new("delete_user", Method::DELETE, "/api/v2/tokens/{userId}")
        .params(&[Param::new("userId", ParamKind::Path, false, false)]);
    static ME_DELETE: Endpoint = Endpoint::new("delete_me", Method::DELETE, "/api/v2/tokens/me");
    static GROUP: ApiGroup = ApiGroup::new("TestApi", &[&ME, &USER, &ME_DELETE]);

    #[test]
    fn routes_prefer_literal_segments_and_capture_placeholders() {
        let (endpoint, args) = GROUP.route(&Method::DELETE, "/api/v2/tokens/me").unwrap();
        assert_eq!(endpoint.operation, "delete_me");
        assert!(args.is_empty());
        let (endpoint, args) = GROUP
            .route(&Method::DELETE, "/api/v2/tokens/a%2Fb")
            .unwrap();
        assert_eq!(endpoint.operation, "delete_user");
        assert_eq!(args, [("userId", "a%2Fb")]);
        assert!(GROUP.route(&Method::GET, "/api/v2/tokens/x").is_none());
        assert!(GROUP.route(&Method::DELETE, "/api/v2/tokens/").is_none());
        assert!(
            GROUP
                .route(&Method::GET, "/api/v2/tokens/me/extra")
                .is_none()
        );
        assert_eq!(
            GROUP.endpoint("get_me").map(|e| e.path),
            Some("/api/v2/tokens/me")
        );
    }

    #[test]
    fn the_table_prints_one_line_per_endpoint() {
        let shown = GROUP.to_string();
        assert!(
            shown.contains("DELETE /api/v2/tokens/{userId}  delete_user(userId: path) -> ()"),
            "{shown}"
        );
        assert_eq!(shown.lines().count(), 4);
    }
}
