//! A compile-time check that `#[endpoint]` is on a trait method (outside `#[api]`, where the
//! macro cannot see the enclosing item): method resolution on [`Probe<Self>`] picks the
//! `Sized` implementation where `Self` is a concrete type (an inherent `impl`) and the
//! general one where it is a trait's own `Self` (which is not known to be `Sized`).

use std::marker::PhantomData;

/// Stands for the type `#[endpoint]`'s method is declared on.
pub struct Probe<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> Probe<T> {
    /// The probe.
    pub const NEW: Self = Probe(PhantomData);
}

/// What the probe finds in an inherent `impl`.
pub struct EndpointInAnImpl;

/// What the probe finds in a trait.
pub struct EndpointInATrait;

/// Chosen where `Self` is a concrete type.
pub trait ConcreteSelf {
    /// What the probe found.
    fn probe(&self) -> EndpointInAnImpl {
        EndpointInAnImpl
    }
}

impl<T> ConcreteSelf for Probe<T> {}

/// Chosen where `Self` is a trait's `Self`.
pub trait TraitSelf {
    /// What the probe found.
    fn probe(&self) -> EndpointInATrait {
        EndpointInATrait
    }
}

impl<T: ?Sized> TraitSelf for &Probe<T> {}

/// Implemented only for what the probe finds in a trait.
#[diagnostic::on_unimplemented(
    message = "`#[endpoint]` declares a method of an API trait, not of an `impl` block",
    label = "this method is in an `impl` block",
    note = "move the declaration, without a body, into `pub trait MyApi: genesys_runtime::Api {{ ... }}` (marked `#[api]`), and give your clients the methods with `impl<T: genesys_runtime::Api + ?Sized> MyApi for T {{}}`"
)]
pub trait DeclaredInATrait {
    /// Compiles only for what the probe finds in a trait (a method of the trait itself, so
    /// that the error names no function of this crate).
    fn check(self)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl DeclaredInATrait for EndpointInATrait {}
