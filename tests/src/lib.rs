//! Test support: loopback HTTP servers that record what arrives.
