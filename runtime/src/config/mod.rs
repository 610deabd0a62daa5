//! Configuration: the [`ClientBuilder`](builder::ClientBuilder), where requests go
//! ([`endpoints`]), and the Genesys [`Region`](region::Region)s.

pub(crate) mod budget;
pub(crate) mod builder;
pub(crate) mod credentials;
pub(crate) mod endpoints;
pub(crate) mod region;
