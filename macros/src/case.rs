//! Case conversion between wire names (`userId`) and Rust names (`user_id`).

/// `userId` → `user_id`, `preserveIdleTTL` → `preserve_idle_ttl`, `OAuthClient` → `o_auth_client`.
pub(crate) fn to_snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' {
            out.push('_');
            continue;
        }
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `page_size` → `pageSize`: the default wire name of a query argument.
pub(crate) fn to_lower_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper_next = false;
    for c in name.trim_start_matches("r#").chars() {
        if c == '_' {
            upper_next = !out.is_empty();
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `get_routing_queue_members` to `GetRoutingQueueMembers`.
pub(crate) fn to_pascal_case(name: &str) -> String {
    name.split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_of_wire_names() {
        assert_eq!(to_snake_case("userId"), "user_id");
        assert_eq!(to_snake_case("preserveIdleTTL"), "preserve_idle_ttl");
        assert_eq!(to_snake_case("OAuthClient"), "o_auth_client");
        assert_eq!(to_snake_case("id"), "id");
        assert_eq!(to_snake_case("sourceId2"), "source_id2");
        assert_eq!(to_snake_case("user_id"), "user_id");
        assert_eq!(to_snake_case("HTTPServer"), "http_server");
    }

    #[test]
    fn lower_camel_case_of_rust_names() {
        assert_eq!(to_lower_camel_case("page_size"), "pageSize");
        assert_eq!(to_lower_camel_case("expand"), "expand");
        assert_eq!(to_lower_camel_case("r#type"), "type");
        assert_eq!(to_lower_camel_case("a_b_c"), "aBC");
    }
}
